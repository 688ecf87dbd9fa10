import { describe, expect, it } from 'vitest';
import enCore from '../../../src/i18n/locales/en.json';
import fiCore from '../../../src/i18n/locales/fi.json';
import enInstructor from '../../../src/i18n/locales/instructor/en.json';
import fiInstructor from '../../../src/i18n/locales/instructor/fi.json';
import svInstructor from '../../../src/i18n/locales/instructor/sv.json';
import svCore from '../../../src/i18n/locales/sv.json';
import { changeLanguage, initI18n } from '../../../src/i18n';

type Tree = { [key: string]: string | Tree };

function entries(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : entries(value, `${prefix}${key}.`),
  );
}

const placeholders = (text: string) => [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();

// Each language is the participant part (bundled) plus the instructor part (loaded with the instructor area).
const fi = { ...fiCore, ...fiInstructor } as Tree;
const sv = { ...svCore, ...svInstructor } as Tree;
const en = { ...enCore, ...enInstructor } as Tree;

describe('the locale files', () => {
  it('keep instructor strings out of the participant part', () => {
    for (const core of [fiCore, svCore, enCore]) expect(Object.keys(core).filter((key) => key in fiInstructor)).toEqual([]);
  });

  const finnish = new Map(entries(fi));
  for (const [name, locale] of [
    ['sv', sv],
    ['en', en],
  ] as const) {
    it(`${name} has exactly the Finnish keys, none empty, with the same placeholders`, () => {
      const other = new Map(entries(locale));
      expect([...other.keys()].sort()).toEqual([...finnish.keys()].sort());
      for (const [key, text] of other) {
        expect(text.trim(), key).not.toBe('');
        expect(placeholders(text), key).toEqual(placeholders(finnish.get(key)!));
      }
    });
  }
});

describe('switching the language', () => {
  it('loads Swedish on demand and marks the page language', async () => {
    await initI18n('fi');
    expect(document.documentElement.lang).toBe('fi');
    await changeLanguage('sv');
    expect(document.documentElement.lang).toBe('sv');
    const { default: i18next } = await import('i18next');
    expect(i18next.t('settings.title')).toBe('Inställningar');
    await changeLanguage('en');
    expect(i18next.t('home.title')).toBe('What would you like to learn?');
  });
});
