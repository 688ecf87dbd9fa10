// canonicalJson was rewritten for speed (one string appended to instead of arrays mapped and joined): it must give the
// very text the first version gave for every value, since digests of pushed changes kept by servers are made from it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sameValue } from '../../../src/protocol';

/** The first canonicalJson, kept as the reference. */
function referenceCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => referenceCanonicalJson(item ?? null)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${referenceCanonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

// Values as pushes carry them, and odder ones: holes, undefined, -0, NaN, null prototypes, numeric and unicode keys.
const anything = fc.anything({
  withSparseArray: true,
  withNullPrototype: true,
  withObjectString: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withUnicodeString: true,
  maxDepth: 4,
});

describe('canonicalJson', () => {
  it('gives the text the reference implementation gives, for any value', () => {
    fc.assert(
      fc.property(anything, (value) => {
        expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the reference text for parsed JSON, keys in any order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed = JSON.parse(JSON.stringify(value)) as unknown;
        expect(canonicalJson(parsed)).toBe(referenceCanonicalJson(parsed));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes keys in code-unit order whatever order they were written in, numeric ones included', () => {
    expect(canonicalJson({ b: 1, a: [undefined, { d: undefined, c: 'é' }], 10: true, 9: null })).toBe('{"10":true,"9":null,"a":[null,{"c":"é"}],"b":1}');
    const holey: number[] = [];
    holey[0] = 1;
    holey[2] = 3;
    expect(canonicalJson(holey)).toBe('[1,,3]');
    expect(canonicalJson([() => 1, Symbol('s')])).toBe('[,]');
  });

  it('quotes every key anew past its cache of field names, the same way', () => {
    const many = Object.fromEntries(Array.from({ length: 2500 }, (_, index) => [`key "${index}"\n`, index]));
    expect(canonicalJson(many)).toBe(referenceCanonicalJson(many));
    expect(canonicalJson(many)).toBe(referenceCanonicalJson(many));
  });

  it('sameValue agrees with comparing the reference texts', () => {
    fc.assert(
      fc.property(anything, anything, (a, b) => {
        expect(sameValue(a, b)).toBe(referenceCanonicalJson(a ?? null) === referenceCanonicalJson(b ?? null));
        expect(sameValue(a, a)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
