// The guide editor's rules: steps keep the order the instructor gives them under any number of moves (one row
// written per move), typed text survives a reload inside the typing pause, deletes are tombstones with Undo, and a
// copy of a built-in guide is an own guide that remembers where it came from.
import { Blob as NodeBlob } from 'node:buffer';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, vi } from 'vitest';
import { db } from '../../../src/db/db';
import { it } from '../support/database';
import { libraryGuides, ownGuides, stepsOfGuide } from '../../../src/db/guides';
import { recordId } from '../../../src/protocol';
import { flush, replayJournal, saveSoon, TYPING_PAUSE_MS } from '../../../src/guides/editor/autosave';
import {
  addStep,
  copyBuiltinGuide,
  createGuide,
  deleteGuide,
  deleteStep,
  moveStep,
  newRecordId,
  parseTags,
  restoreGuide,
  restoreStep,
} from '../../../src/guides/editor/guide-edits';
import { compareOrder, keysAfterMove, type Ordered } from '../../../src/guides/editor/order';
import { keysFor } from '../../../src/lib/order-key';

globalThis.Blob = NodeBlob as unknown as typeof Blob; // see pictures.test.ts: happy-dom's Blob loses its bytes in IndexedDB

beforeEach(() => {
  localStorage.clear();
});
afterEach(() => vi.useRealTimers());

const titles = async (guideId: string) => (await stepsOfGuide(guideId)).map((s) => s.text);

describe('order of steps', () => {
  it('pure: keeps any list in the wanted order under many random moves, rewriting only the moved step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 400 }), (count, moves) => {
        let rows: Ordered[] = keysFor(count).map((orderKey, i) => ({ id: `s${i}`, orderKey }));
        const model = rows.map((r) => r.id);
        for (const [a, b] of moves) {
          const from = a % count;
          const to = b % count;
          const changed = keysAfterMove(rows, from, to);
          expect(changed.length).toBe(from === to ? 0 : 1);
          const [id] = model.splice(from, 1);
          model.splice(to, 0, id!);
          rows = rows.map((r) => changed.find((c) => c.id === r.id) ?? r);
        }
        expect([...rows].sort(compareOrder).map((r) => r.id)).toEqual(model);
        expect(Math.max(...rows.map((r) => r.orderKey.length))).toBeLessThanOrEqual(200);
      }),
    );
  });

  it('pure: repairs keys two tablets made equal, and still puts the moved step where it was dropped', () => {
    const rows = [
      { id: 'a', orderKey: 'V' },
      { id: 'b', orderKey: 'W' },
      { id: 'c', orderKey: 'W' },
      { id: 'd', orderKey: 'X' },
    ];
    const changed = keysAfterMove(rows, 3, 2); // d between b and c, whose keys are equal
    const after = rows.map((r) => changed.find((c) => c.id === r.id) ?? r).sort(compareOrder);
    expect(after.map((r) => r.id)).toEqual(['a', 'b', 'd', 'c']);
    expect(new Set(after.map((r) => r.orderKey)).size).toBe(4);
  });

  it('through the editor: 200 moves up, down and across keep the order and leave one outbox row per step', async () => {
    const guideId = await createGuide({ lang: 'fi', title: 'Kirjaston tulostin' });
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const id = await addStep(guideId);
      saveSoon('guideSteps', id, { text: `vaihe ${i}` });
      ids.push(id);
    }
    await flush();
    const model = ids.map((_, i) => `vaihe ${i}`);
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let n = 0; n < 200; n += 1) {
      const from = next() % 6;
      const to = n % 3 === 0 ? Math.max(0, from - 1) : n % 3 === 1 ? Math.min(5, from + 1) : next() % 6;
      const before = await db().outbox.count();
      const written = await moveStep(guideId, from, to);
      expect(written).toBe(from === to ? 0 : 1);
      // A step's moves wait as one row until it is pushed (issue 16): a move adds a row only for a step not yet waiting.
      expect(await db().outbox.count()).toBeLessThanOrEqual(before + written);
      expect(await db().outbox.count()).toBe(new Set((await db().outbox.toArray()).map((row) => row.recordId)).size);
      const [text] = model.splice(from, 1);
      model.splice(to, 0, text!);
    }
    expect(await titles(guideId)).toEqual(model);
  });
});

describe('autosave', () => {
  it('writes typing after the pause, as one change with the latest text', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const guideId = await createGuide({ lang: 'fi' });
    const outboxBefore = await db().outbox.count();
    for (const text of ['K', 'Ki', 'Kir', 'Kirjasto']) saveSoon('guides', guideId, { title: text });
    expect((await db().guides.get(guideId))!.title).toBe('');
    vi.advanceTimersByTime(TYPING_PAUSE_MS);
    vi.useRealTimers();
    await flush();
    expect((await db().guides.get(guideId))!.title).toBe('Kirjasto');
    // The new guide's waiting row takes the typing: still one row, with the latest text (issue 16).
    expect(await db().outbox.count()).toBe(outboxBefore);
    expect((await db().outbox.where('[table+recordId]').equals(['guides', guideId]).toArray()).map((row) => row.fields.title)).toEqual(['Kirjasto']);
  });

  it('replays text typed just before a crash, from the journal, when the editor opens again', async () => {
    const guideId = await createGuide({ lang: 'sv' }, 1_000);
    saveSoon('guides', guideId, { title: 'Bibliotekets skrivare', summary: 'Skriv ut ett dokument' }, 2_000);
    // The tab dies inside the typing pause: a new page has only IndexedDB and localStorage.
    const journal = localStorage.getItem('digituki.guideEditor.unsaved');
    expect(journal).toContain('Bibliotekets skrivare');
    expect((await db().guides.get(guideId))!.title).toBe('');
    expect(await replayJournal()).toBe(1);
    expect(await db().guides.get(guideId)).toMatchObject({ title: 'Bibliotekets skrivare', summary: 'Skriv ut ett dokument', updatedAt: 2_000 });
    expect(await replayJournal()).toBe(0); // replayed once only
    await flush(); // (this test's page did not really die: its own pending write lands too, and empties the journal)
    expect((await db().guides.get(guideId))!.title).toBe('Bibliotekets skrivare');
    expect(localStorage.getItem('digituki.guideEditor.unsaved')).toBeNull();
  });

  it('does not replay an old journal over a later change', async () => {
    const guideId = await createGuide({ lang: 'fi' }, 1_000);
    localStorage.setItem('digituki.guideEditor.unsaved', JSON.stringify([{ table: 'guides', id: guideId, fields: { title: 'vanha' }, at: 500 }]));
    expect(await replayJournal()).toBe(0);
    expect((await db().guides.get(guideId))!.title).toBe('');
  });
});

describe('guides and steps', () => {
  it('makes ids the sync protocol accepts, and splits tags', () => {
    for (let i = 0; i < 50; i += 1) expect(recordId.safeParse(newRecordId()).success).toBe(true);
    expect(parseTags(' kirjasto, tulostin ,, kirjasto,print ')).toEqual(['kirjasto', 'tulostin', 'print']);
  });

  it('deletes a step and a guide as tombstones that sync carries, and Undo brings them back', async () => {
    const guideId = await createGuide({ lang: 'fi', title: 'Wi-Fi' });
    const a = await addStep(guideId);
    const b = await addStep(guideId);
    await deleteStep(a);
    expect((await stepsOfGuide(guideId)).map((s) => s.id)).toEqual([b]);
    expect((await db().guideSteps.get(a))!.deleted).toBe(1);
    expect((await db().outbox.where('[table+recordId]').equals(['guideSteps', a]).last())!).toMatchObject({
      table: 'guideSteps',
      recordId: a,
      fields: { deleted: 1 },
    });
    await restoreStep(a);
    expect((await stepsOfGuide(guideId)).map((s) => s.id)).toEqual([a, b]);

    await deleteGuide(guideId);
    expect(await ownGuides()).toEqual([]);
    expect((await libraryGuides()).map((g) => g.id)).not.toContain(guideId);
    await restoreGuide(guideId);
    expect((await ownGuides()).map((g) => g.title)).toEqual(['Wi-Fi']);
  });

  it('copies a built-in guide into an own guide that remembers its origin, with stored pictures instead of built-in files', async () => {
    const base = { org: '', site: '', updatedAt: 1, hlc: '', fieldClocks: {}, deleted: 0 as const };
    await db().guides.put({
      ...base,
      id: 'b-wifi-fi',
      slug: 'wifi',
      lang: 'fi',
      title: 'Nettiyhteys',
      summary: 'Yhdistä',
      category: 'device',
      tags: ['wifi'],
      source: 'builtin',
      version: 3,
    });
    await db().guideSteps.bulkPut([
      {
        ...base,
        id: 'b-wifi-fi-1',
        guideId: 'b-wifi-fi',
        orderKey: 'V',
        kind: 'step',
        text: 'Avaa asetukset',
        alt: 'Asetukset',
        imageUrl: '/assets/wifi-1.svg',
      },
      {
        ...base,
        id: 'b-wifi-fi-2',
        guideId: 'b-wifi-fi',
        orderKey: 'W',
        kind: 'practice',
        practice: 'tap',
        text: 'Napauta',
        alt: 'Sormi',
        imageUrl: '/assets/wifi-1.svg',
      },
    ]);
    const read: string[] = [];
    const copyId = await copyBuiltinGuide('b-wifi-fi', {
      readPicture: async (url) => {
        read.push(url);
        return { bytes: new TextEncoder().encode(`webp of ${url}`), type: 'image/webp' };
      },
    });
    expect(read).toEqual(['/assets/wifi-1.svg']); // the same picture is read and stored once
    const copy = (await db().guides.get(copyId))!;
    expect(copy).toMatchObject({ source: 'org', originId: 'b-wifi-fi', title: 'Nettiyhteys', category: 'device', lang: 'fi', slug: copyId, deleted: 0 });
    expect(recordId.safeParse(copyId).success).toBe(true);
    const steps = await stepsOfGuide(copyId);
    expect(steps.map((s) => [s.text, s.kind, s.practice, s.imageUrl])).toEqual([
      ['Avaa asetukset', 'step', undefined, undefined],
      ['Napauta', 'practice', 'tap', undefined],
    ]);
    expect(steps[0]!.imageHash).toMatch(/^[0-9a-f]{64}$/);
    expect(steps[1]!.imageHash).toBe(steps[0]!.imageHash);
    expect(await db().blobs.count()).toBe(1);
    // The built-in guide itself is untouched, and the copy travels to the other tablets.
    expect((await stepsOfGuide('b-wifi-fi')).map((s) => s.imageUrl)).toEqual(['/assets/wifi-1.svg', '/assets/wifi-1.svg']);
    expect(await db().outbox.where('[table+recordId]').equals(['guides', copyId]).count()).toBe(1);
  });
});
