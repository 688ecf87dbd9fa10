import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildIndex, editDistance, normalize, searchGuides, wordMatch, type SearchableGuide } from '../../../src/guides/search';

const guide = (id: string, title: string, tags: string[], summary = '', lang = 'fi'): SearchableGuide => ({ id, lang, title, summary, tags });

const library = [
  guide(
    'bank',
    'Kirjaudu Suomi.fi-palveluun pankkitunnuksilla',
    ['pankkitunnukset', 'tunnistautuminen', 'kirjautuminen'],
    'Näin tunnistaudut verkkopankin tunnuksilla.',
  ),
  guide('mobile', 'Kirjaudu mobiilivarmenteella', ['mobiilivarmenne', 'tunnistautuminen', 'puhelin'], 'Tunnistaudu puhelimella.'),
  guide('celia', 'Celia-äänikirjat', ['celia', 'äänikirja', 'kirjasto'], 'Kuuntele kirjoja maksutta.'),
  guide('ekirjasto', 'E-kirjasto: e-kirjat ja äänikirjat', ['e-kirjasto', 'äänikirja', 'kirjasto'], 'Lainaa kirjoja netistä.'),
  guide('whatsapp', 'Lähetä kuva WhatsAppissa', ['whatsapp', 'valokuva', 'kuva'], 'Kuva läheiselle.'),
  guide('scam', 'Tunnista huijausviesti', ['huijaus', 'tekstiviesti'], 'Älä anna koodeja kenellekään.'),
  guide('celia-sv', 'Celia ljudböcker', ['celia', 'ljudbok', 'bibliotek'], 'Lyssna på böcker.', 'sv'),
];
const index = buildIndex(library);
const ids = (query: string, lang = 'fi') => searchGuides(index, query, lang).map((hit) => hit.guide.id);

describe('guide search', () => {
  it('finds the bank-code guide from "pankki" and "tunnukset", best first', () => {
    expect(ids('pankki')[0]).toBe('bank');
    expect(ids('tunnukset')[0]).toBe('bank');
  });

  it('forgives missing diacritics: "aanikirja" finds Celia and E-kirjasto', () => {
    expect(ids('aanikirja').slice(0, 2).sort()).toEqual(['celia', 'ekirjasto']);
    expect(ids('äänikirja').slice(0, 2).sort()).toEqual(['celia', 'ekirjasto']);
  });

  it('forgives a typo and a word ending', () => {
    expect(ids('whatsap')[0]).toBe('whatsapp');
    expect(ids('watsapp')[0]).toBe('whatsapp');
    expect(ids('huijuas')[0]).toBe('scam');
    expect(ids('kirjastosta')).toEqual(expect.arrayContaining(['celia', 'ekirjasto']));
  });

  it('knows everyday synonyms of the language', () => {
    expect(ids('kännykkä')).toEqual(expect.arrayContaining(['mobile']));
    expect(ids('ljudbok', 'sv')[0]).toBe('celia-sv');
  });

  it('needs every word of the query to match', () => {
    expect(ids('celia pankki')).toEqual([]);
    expect(ids('celia äänikirja')[0]).toBe('celia');
  });

  it('ranks a title match above a summary-only match', () => {
    const hits = searchGuides(buildIndex([guide('a', 'Muu asia', [], 'kuva'), guide('b', 'Kuva', [])]), 'kuva', 'fi');
    expect(hits.map((h) => h.guide.id)).toEqual(['b', 'a']);
  });

  it('returns nothing for an empty or punctuation-only query', () => {
    expect(ids('')).toEqual([]);
    expect(ids('  !? ')).toEqual([]);
  });
});

describe('search building blocks', () => {
  it('normalizes Finnish and Swedish letters away', () => {
    expect(normalize('Ääni-KIRJA Åbo')).toBe('aani kirja abo');
  });

  it('edit distance is symmetric and zero only for equal words', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), (a, b) => {
        expect(editDistance(a, b, 20)).toBe(editDistance(b, a, 20));
        expect(editDistance(a, b, 20) === 0).toBe(a === b);
      }),
    );
  });

  it('every word matches itself fully, and a match is between 0 and 1', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,12}$/), fc.stringMatching(/^[a-z]{1,12}$/), (a, b) => {
        expect(wordMatch(a, a)).toBe(1);
        const m = wordMatch(a, b);
        expect(m >= 0 && m <= 1).toBe(true);
      }),
    );
  });

  it('a guide found by a query is still found when the query loses its diacritics', () => {
    fc.assert(
      fc.property(fc.constantFrom(...library.flatMap((g) => g.tags)), (tag) => {
        const plain = normalize(tag);
        expect(ids(plain).length).toBeGreaterThan(0);
        expect(ids(tag)).toEqual(ids(plain));
      }),
    );
  });
});
