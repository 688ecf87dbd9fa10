import { describe, expect, it } from 'vitest';
import en from '../../../src/console/locales/en.json';
import fi from '../../../src/console/locales/fi.json';
import sv from '../../../src/console/locales/sv.json';
import { consoleResource } from '../../../src/console/i18n';

type Tree = { [key: string]: string | Tree };

function entries(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : entries(value, `${prefix}${key}.`),
  );
}
const placeholders = (text: string) => [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();

describe("the console's locale files", () => {
  const finnish = new Map(entries(fi as Tree));
  for (const [name, locale] of [
    ['sv', sv],
    ['en', en],
  ] as const) {
    it(`${name} has exactly the Finnish keys, none empty, with the same placeholders`, () => {
      const other = new Map(entries(locale as Tree));
      expect([...other.keys()].sort()).toEqual([...finnish.keys()].sort());
      for (const [key, text] of other) {
        expect(text.trim(), key).not.toBe('');
        expect(placeholders(text), key).toEqual(placeholders(finnish.get(key)!));
      }
    });
  }
  it("puts the console's words under console. and takes only the tablet's report, vocabulary and feedback labels", () => {
    const resource = consoleResource(
      fi as Tree,
      { sessions: { a: 'x' }, reports: { b: 'y' }, lock: { secret: 'z' } },
      { feedback: { c: 'w' }, home: { d: 'v' } },
    );
    expect(Object.keys(resource).sort()).toEqual(['console', 'feedback', 'reports', 'sessions']);
  });
});
