// How dependency-cruiser reads our TypeScript: its own TypeScript reader supports TypeScript below 7 only (we use 7),
// so Babel turns each file into plain JavaScript first. Type-only imports would vanish with the types; the first
// plugin keeps each as a bare import of its module, so the import rules hold for types too.
const keepTypeImports = ({ types: t }) => ({
  name: 'keep-type-imports-for-the-import-rules',
  visitor: {
    Program(path) {
      for (const statement of path.get('body')) {
        const node = statement.node;
        const fromModule = node.source && (statement.isImportDeclaration() || statement.isExportNamedDeclaration() || statement.isExportAllDeclaration());
        if (!fromModule) continue;
        const specifiers = node.specifiers ?? [];
        const onlyTypes =
          node.importKind === 'type' || node.exportKind === 'type' || (specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));
        if (onlyTypes) statement.replaceWith(t.importDeclaration([], t.stringLiteral(node.source.value)));
      }
    },
  },
});

module.exports = {
  babelrc: false,
  configFile: false,
  plugins: [keepTypeImports, ['@babel/plugin-transform-react-jsx', { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' }]],
  presets: [['@babel/preset-typescript', { onlyRemoveTypeImports: true, isTSX: true, allExtensions: true }]],
};
