// A participant finds each guide of issue 15 by typing everyday words, in the real search over the real content.
import { describe, expect, it } from 'vitest';
import { builtinGuides } from '../../../src/guides/content';
import type { ContentLang } from '../../../src/guides/content/types';
import { buildIndex, searchGuides, type SearchableGuide } from '../../../src/guides/search';

const LANGS: ContentLang[] = ['fi', 'sv', 'en'];
const library: SearchableGuide[] = builtinGuides.flatMap((g) =>
  LANGS.map((lang) => ({ id: g.slug, lang, title: g.title[lang], summary: g.summary[lang], tags: g.tags[lang] })),
);
const index = buildIndex(library);
const firstHit = (query: string, lang: ContentLang) => searchGuides(index, query, lang).find((hit) => hit.guide.lang === lang)?.guide.id;

/** Three things a participant would type, per new guide (Finnish), and one in Swedish and English. */
const WORDS: Record<string, { fi: string[]; sv: string; en: string }> = {
  'tunnistautuminen-ilman-pankkitunnuksia': { fi: ['henkilökortti', 'perustili', 'ei pankkitunnuksia'], sv: 'utan bankkoder', en: 'no bank codes' },
  'toimeentulotuki-omakela': { fi: ['toimeentulo', 'toimeentulotuki', 'rahaa kelasta'], sv: 'utkomststöd', en: 'social assistance' },
  'tiliote-kelaan': { fi: ['tiliote', 'pdf', 'tiliotteet kelaan'], sv: 'kontoutdrag', en: 'bank statement' },
  huijauspuhelu: { fi: ['huijauspuhelu', 'turvatili', 'huijari soitti'], sv: 'bluffsamtal', en: 'scam call' },
  'suomifi-valtuudet': { fi: ['valtuutus', 'valtakirja', 'asioida puolesta'], sv: 'fullmakt', en: 'power of attorney' },
  sahkoposti: { fi: ['sähköposti', 'gmail', 'unohtunut salasana'], sv: 'glömt lösenord', en: 'email' },
  tyonhakijaksi: { fi: ['työtön', 'te-toimisto', 'työnhaku'], sv: 'arbetslös', en: 'unemployed' },
  'omakanta-resepti': { fi: ['resepti', 'lääkkeet', 'omakanta'], sv: 'recept', en: 'prescription' },
  'vuokra-asunnon-haku': { fi: ['vuokra-asunto', 'asunto', 'y-säätiö'], sv: 'hyresbostad', en: 'rental flat' },
  'puhelimen-perusteet': { fi: ['soittaminen', 'tekstiviesti', 'saldo'], sv: 'ringa', en: 'top up' },
};

describe('searching the built-in guides', () => {
  for (const [slug, words] of Object.entries(WORDS)) {
    it(`finds ${slug} first from everyday words`, () => {
      for (const query of words.fi) expect(firstHit(query, 'fi'), `fi "${query}"`).toBe(slug);
      expect(firstHit(words.sv, 'sv'), `sv "${words.sv}"`).toBe(slug);
      expect(firstHit(words.en, 'en'), `en "${words.en}"`).toBe(slug);
    });
  }
});
