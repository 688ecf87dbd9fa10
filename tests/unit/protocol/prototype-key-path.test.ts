// prototypeKeyPath was rewritten for speed (one path pushed and popped instead of a new array per key): it must name
// the very path the first version named, for every parsed value, since a push's refusal message quotes it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prototypeKeyPath } from '../../../src/protocol';

/** The first prototypeKeyPath, kept as the reference. */
function referencePrototypeKeyPath(value: unknown, path: readonly string[] = []): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return [...path, key].join('.');
    const found = referencePrototypeKeyPath((value as Record<string, unknown>)[key], [...path, key]);
    if (found) return found;
  }
  return undefined;
}

// JSON text, so that "__proto__" becomes an own key as it does in a pushed body; numeric keys come first in Object.keys.
const key = fc.constantFrom('a', 'b', '__proto__', '0', '12', 'constructor', 'fields', '');
const jsonText = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('1', 'null', '"__proto__"', 'true'),
    fc.array(tie('node'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(key, tie('node')), { maxLength: 4 })
      .map((entries) => `{${entries.map(([name, inner]) => `${JSON.stringify(name)}:${inner}`).join(',')}}`),
  ),
})).node;

describe('prototypeKeyPath', () => {
  it('names the path the reference implementation names, for any parsed value and any starting path', () => {
    fc.assert(
      fc.property(jsonText, fc.array(fc.constantFrom('fields', 'x', '0'), { maxLength: 2 }), (text, path) => {
        const value = JSON.parse(text) as unknown;
        expect(prototypeKeyPath(value, path)).toBe(referencePrototypeKeyPath(value, path));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves the starting path as it was', () => {
    const path = ['mutations', '3'];
    expect(prototypeKeyPath(JSON.parse('{"a":{"b":1},"c":{"__proto__":2}}'), path)).toBe('mutations.3.c.__proto__');
    expect(path).toEqual(['mutations', '3']);
  });
});
