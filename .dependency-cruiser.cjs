// The import rules of the README's Layout section, checked by `npm run lint` (dependency-cruiser reads src/ through
// Babel, see .dependency-cruiser.babel.cjs). Feature folders: guides, sessions, feedback, reports, lock, sync.
// Each rule's name is what a refusal prints; tests/tooling/import-rules.test.ts plants one breach of each.
const FEATURES = '(guides|sessions|feedback|reports|lock|sync)';

module.exports = {
  forbidden: [
    {
      name: 'dexie-only-in-db',
      comment: 'src/db is the only importer of dexie: everything else reaches the database through src/db.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/db/' },
      to: { path: '^node_modules/dexie/' },
    },
    {
      name: 'db-imports-no-feature',
      comment: 'screens -> feature state -> db: src/db sits at the bottom and imports only protocol and lib.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: '^src/(db|protocol|lib)/' },
    },
    {
      name: 'feature-state-imports-no-screen',
      comment: 'screens -> feature state -> db: a plain .ts module never imports a screen or component (.tsx).',
      severity: 'error',
      from: { path: '^src/.+\\.ts$', pathNot: '^src/(app|ui)/' },
      to: { path: '\\.tsx$' },
    },
    {
      name: 'screens-write-records-through-feature-state',
      comment:
        'screens -> feature state -> db: a screen (.tsx) writes no record itself; src/db/changes.ts (a record, its clocks and its outbox row) ' +
        "is reached through the feature's state module. Screens may read through src/db's query functions and live queries.",
      severity: 'error',
      from: { path: '^src/.+\\.tsx$' },
      to: { path: '^src/db/changes\\.ts$' },
    },
    {
      name: 'sync-engine-imports-db-and-protocol',
      comment: 'sync -> db + protocol: the sync engine (its .ts modules) imports only src/db, src/protocol and src/lib.',
      severity: 'error',
      from: { path: '^src/sync/.+\\.ts$' },
      to: { path: '^src/', pathNot: '^src/(sync|db|protocol|lib)/' },
    },
    {
      name: 'server-imports-protocol-and-lib',
      comment: "The server imports only src/protocol and the pure helpers of src/lib (and the locale files' words, data without code, for its CSV headings).",
      severity: 'error',
      from: { path: '^src/server/' },
      to: { path: '^src/', pathNot: ['^src/(server|protocol|lib)/', '^src/i18n/locales/.+\\.json$'] },
    },
    {
      name: 'protocol-imports-nothing-internal',
      comment: 'src/protocol is pure and shared by client and server: it imports nothing else from src/.',
      severity: 'error',
      from: { path: '^src/protocol/' },
      to: { path: '^src/', pathNot: '^src/protocol/' },
    },
    {
      name: 'lib-imports-nothing-internal',
      comment: 'src/lib holds tiny pure helpers: they import nothing else from src/.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/', pathNot: '^src/lib/' },
    },
    {
      name: 'service-worker-imports-no-ui',
      comment: 'The service worker (src/sw.ts, and src/sw/ should it grow) imports no UI and nothing of the app but src/lib and src/protocol.',
      severity: 'error',
      from: { path: '^src/sw(\\.ts$|/)' },
      to: { path: ['\\.tsx$', '^src/(?!lib/|protocol/)', '^node_modules/(preact|i18next)/'] },
    },
    {
      name: 'features-import-no-other-features-screens',
      comment: "A feature never imports another feature's screens or components (.tsx); shared pieces live in src/ui.",
      severity: 'error',
      from: { path: `^src/${FEATURES}/` },
      to: { path: `^src/${FEATURES}/.+\\.tsx$`, pathNot: '^src/$1/' },
    },
    {
      name: 'ui-kit-imports-no-feature',
      comment: 'src/ui is the shared UI kit under the features: it imports only i18n, protocol and lib.',
      severity: 'error',
      from: { path: '^src/ui/' },
      to: { path: '^src/', pathNot: '^src/(ui|i18n|protocol|lib)/' },
    },
    {
      name: 'shell-on-top',
      comment: 'src/app is the shell on top: no feature, nor the UI kit, db, i18n, protocol or lib imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/app/', '^src/main\\.tsx$'] },
      to: { path: '^src/app/' },
    },
    {
      name: 'imports-resolve',
      comment: 'Every import names a file or package that exists.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    babelConfig: { fileName: '.dependency-cruiser.babel.cjs' },
    doNotFollow: { path: '^node_modules/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'browser', 'default'],
      mainFields: ['module', 'main', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.json'],
    },
  },
};
