// Built-in guides are the app's: the protocol's rule tells every built-in guide and step apart from own records, and
// calls a change to one (or a step put into one, or a guide claiming to be built-in) a change to built-in content.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imageUrl } from '../../support/builtin-pictures';
import { toRecords } from '../../../src/guides/builtin-records';
import { newRecordId } from '../../../src/guides/editor/guide-edits';
import { builtinGuides, CONTENT_VERSION } from '../../../src/guides/content';
import { isBuiltinId, SYNCED_TABLES, touchesBuiltinGuide } from '../../../src/protocol';

const { guides, steps } = toRecords(builtinGuides, CONTENT_VERSION, imageUrl, 0);
/** Ids the app makes for own guides, steps, logs and feedback: random hex, or a UUID. */
const ownId = fc.oneof(
  fc.constant(null).map(() => newRecordId()),
  fc.uuid(),
);

describe('built-in content in the protocol', () => {
  it('knows every shipped guide and step by its id, and no own record', () => {
    expect(guides.length).toBeGreaterThan(0);
    for (const record of [...guides, ...steps]) expect(isBuiltinId(record.id), record.id).toBe(true);
    fc.assert(
      fc.property(ownId, (id) => {
        expect(isBuiltinId(id)).toBe(false);
      }),
    );
  });

  it('calls any change to a built-in guide or step a change to built-in content, whatever it sets', () => {
    const anyFields = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 });
    fc.assert(
      fc.property(fc.constantFrom(...guides, ...steps), anyFields, (record, fields) => {
        expect(touchesBuiltinGuide('guideId' in record ? 'guideSteps' : 'guides', record.id, fields)).toBe(true);
      }),
    );
  });

  it('calls a step put into a built-in guide, or a guide that says it is built-in, the same; an own copy is fine', () => {
    fc.assert(
      fc.property(ownId, fc.constantFrom(...guides), (id, guide) => {
        expect(touchesBuiltinGuide('guideSteps', id, { guideId: guide.id, text: 'x' })).toBe(true);
        expect(touchesBuiltinGuide('guides', id, { source: 'builtin' })).toBe(true);
        expect(touchesBuiltinGuide('guides', id, { source: 'org', originId: guide.id, title: guide.title })).toBe(false);
        expect(touchesBuiltinGuide('guideSteps', id, { guideId: newRecordId(), text: 'x' })).toBe(false);
      }),
    );
  });

  it('never calls a session log or feedback built-in, whatever its id', () => {
    fc.assert(
      fc.property(fc.oneof(ownId, fc.constantFrom(...guides.map((g) => g.id))), (id) => {
        for (const table of SYNCED_TABLES.filter((t) => t === 'sessions' || t === 'feedback'))
          expect(touchesBuiltinGuide(table, id, { guideId: 'b-x-fi', source: 'builtin' })).toBe(false);
      }),
    );
  });
});
