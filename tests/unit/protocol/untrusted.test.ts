// Reading untrusted text: nesting measured without parsing, control characters written out, __proto__ found anywhere.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControlCharacters, hasControlCharacters, jsonNestingDepth, prototypeKeyPath } from '../../../src/protocol';

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(value as object).map(depthOf));
}

const anyText = fc.string({ unit: 'binary', maxLength: 40 });

describe('jsonNestingDepth', () => {
  it('is the depth of the parsed value, brackets inside strings and escaped quotes included', () => {
    const tricky = fc.oneof(fc.jsonValue(), fc.constantFrom('[', ']', '{"a":"\\"[[["}', '\\', '"'));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), tricky, (value, extra) => {
        const text = JSON.stringify([value, extra]);
        expect(jsonNestingDepth(text)).toBe(depthOf(JSON.parse(text)));
      }),
    );
  });

  it('measures a million levels without a stack', () => {
    expect(jsonNestingDepth('['.repeat(1_000_000) + ']'.repeat(1_000_000))).toBe(1_000_000);
  });
});

describe('escapeControlCharacters', () => {
  it('leaves no control character and keeps every other character', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const escaped = escapeControlCharacters(text);
        expect(hasControlCharacters(escaped)).toBe(false);
        if (!hasControlCharacters(text)) expect(escaped).toBe(text);
      }),
    );
  });

  it('keeps JSON text valid JSON with the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), anyText, (value, text) => {
        const json = JSON.stringify({ value, text });
        expect(JSON.parse(escapeControlCharacters(json))).toEqual(JSON.parse(json));
      }),
    );
  });

  it('writes NUL, escape, DEL, a C1 control and a lone surrogate out as \\uXXXX', () => {
    expect(escapeControlCharacters('a\u0000b\u001b[31m\u007f\u0085\ud800ok')).toBe('a\\u0000b\\u001b[31m\\u007f\\u0085\\ud800ok');
    expect(escapeControlCharacters('Hyvä 😀 päivä')).toBe('Hyvä 😀 päivä');
  });
});

describe('prototypeKeyPath', () => {
  it('finds __proto__ at any depth, and nothing where there is none', () => {
    expect(prototypeKeyPath(JSON.parse('{"fields":{"participants":{"__proto__":{"new":1}}}}'))).toBe('fields.participants.__proto__');
    expect(prototypeKeyPath(JSON.parse('[1,{"__proto__":null}]'))).toBe('1.__proto__');
    expect(prototypeKeyPath(JSON.parse('{"constructor":{"prototype":1},"toString":2}'))).toBeUndefined();
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(prototypeKeyPath(value) !== undefined).toBe(text.includes('"__proto__":'));
      }),
    );
  });
});
