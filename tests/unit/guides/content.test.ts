// Checks the real built-in guide content: topics, step shape, three languages, plain-language limits, pictures.
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath, URL as NodeURL } from 'node:url';
import { builtinGuides, CONTENT_VERSION } from '../../../src/guides/content';
import type { BuiltinGuide, ContentLang } from '../../../src/guides/content/types';

const LANGS: ContentLang[] = ['fi', 'sv', 'en'];
// Node's URL, not the happy-dom global one, so the file URL resolves against this test file.
const IMAGES = fileURLToPath(new NodeURL('../../../src/guides/content/images/', import.meta.url));
const KINDS = ['step', 'tip', 'warning', 'practice'];
const CATEGORIES = ['contact', 'authorities', 'books', 'safety', 'device', 'say'];

const REQUIRED_SLUGS = [
  'kosketusnayton-perusteet',
  'suomifi-pankkitunnukset',
  'suomifi-mobiilivarmenne',
  'kela-liite',
  'kela-kirjeet',
  'celia-aanikirjat',
  'e-kirjasto',
  'whatsapp-kuva',
  'puhelimen-paivitys',
  'naytonlukitus',
  'huijausviesti',
  'oman-laitteen-valinta',
  'nettiyhteys',
  'kansalaisaloite-otakantaa',
  // Issue 15: the guides people most often come for.
  'tunnistautuminen-ilman-pankkitunnuksia',
  'toimeentulotuki-omakela',
  'tiliote-kelaan',
  'huijauspuhelu',
  'suomifi-valtuudet',
  'sahkoposti',
  'tyonhakijaksi',
  'omakanta-resepti',
  'vuokra-asunnon-haku',
  'puhelimen-perusteet',
];

const bySlug = (slug: string): BuiltinGuide => {
  const guide = builtinGuides.find((g) => g.slug === slug);
  if (!guide) throw new Error(`guide ${slug} missing`);
  return guide;
};

/** How every guide starts: a tip saying what you need (Selkokeskus: tell the reader first what the task takes). */
const NEED: Record<ContentLang, string> = { fi: 'Tarvitset:', sv: 'Du behöver:', en: 'You need:' };

/** Words and forms the selkokieli review asked us to drop (issue 15): hard words, passives, "-malla" forms. */
const FI_AVOID: [RegExp, string][] = [
  [/näppäil/i, 'näppäillä: write "kirjoita"'],
  [/tunnistustava/i, 'tunnistustapa'],
  [/tietoturva-auk/i, 'tietoturva-aukko'],
  [/kirjanmerk/i, 'kirjanmerkit'],
  [/\bon merkitty\b/i, 'passive "on merkitty"'],
  [/\p{L}{3,}[aeiouyäö](malla|mällä)\b/iu, 'a "-malla/-mällä" form'],
  [/\p{L}{2,}[aeiouyäö][td](aan|ään)\b|\btehdään\b|\bei tarvita\b/iu, 'a passive ("kannatetaan", "ei tarvita")'],
];

/** Swedish and English wordings the review corrected; they must not come back. */
const OLD_WORDING: Record<'sv' | 'en', RegExp[]> = {
  sv: [/svårt att koncentrera sig/, /läsning är svårt/, /av din teleoperatör/, /Den är ett gem/, /Skydda knapparna/, /fast meddelandet/, /bara i banken/],
  en: [/Log in or Identify button/],
};

/**
 * Finnish imperative verbs that start an instruction (with "älä" for "don't"). A heuristic, honest about its limits:
 * it counts such a verb where a sentence or a comma/colon clause begins, and after "ja"/"tai" unless the word before
 * is a capitalised button label ("Paina Lataa ja asenna" is one instruction). It misses verbs not in this list.
 */
const FI_IMPERATIVES = new Set(
  (
    'avaa aloita anna asenna estä etsi hae hylkää hyväksy jatka jätä kannata katso keksi kerro kirjaudu kirjoita kokeile ' +
    'kopioi kuuntele kuvaa kysy käytä laita lataa lisää liitä lopeta lue luo lähetä maksa mene merkitse mieti muista ' +
    'napauta näytä odota osta ota paina palaa palauta peitä pidä poista pyydä pyyhkäise päivitä rekisteröidy selaa ' +
    'siirry soita sulje säilytä tallenna tarkista tee tulosta tunnistaudu tyhjennä täytä uusi vahvista valitse vaihda ' +
    'varaa vastaa vedä vie vieritä ilmoittaudu ilmoita älä'
  ).split(' '),
);

function finnishInstructions(text: string): number {
  let count = 0;
  for (const sentence of text.split(/(?<=[.!?])\s+/)) {
    for (const clause of sentence.split(/[,:;]\s+/)) {
      const words = clause
        .split(/\s+/)
        .map((w) => w.replace(/[^\p{L}-]/gu, ''))
        .filter(Boolean);
      if (words.length === 0) continue;
      if (FI_IMPERATIVES.has(words[0]!.toLowerCase())) count += 1;
      for (let i = 1; i < words.length - 1; i += 1) {
        if (words[i] !== 'ja' && words[i] !== 'tai') continue;
        const label = i - 1 > 0 && /^\p{Lu}/u.test(words[i - 1]!);
        if (!label && FI_IMPERATIVES.has(words[i + 1]!)) count += 1;
      }
    }
  }
  return count;
}

/** Sentence-ending punctuation followed by whitespace or the end ("Suomi.fi" and "15.1.2026" do not count). */
const sentenceCount = (text: string): number => (text.match(/[.!?](?=\s|$)/g) ?? []).length;

describe('built-in guide content', () => {
  it('has a positive integer content version', () => {
    expect(Number.isInteger(CONTENT_VERSION)).toBe(true);
    expect(CONTENT_VERSION).toBeGreaterThanOrEqual(1);
  });

  it('has at least 24 guides, with every required topic, touch-screen basics first', () => {
    expect(builtinGuides.length).toBeGreaterThanOrEqual(24);
    const slugs = builtinGuides.map((g) => g.slug);
    for (const slug of REQUIRED_SLUGS) expect(slugs, slug).toContain(slug);
    expect(slugs[0]).toBe('kosketusnayton-perusteet');
  });

  it('has unique, well-formed slugs and known categories', () => {
    const slugs = builtinGuides.map((g) => g.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const guide of builtinGuides) {
      expect(guide.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(CATEGORIES).toContain(guide.category);
    }
  });

  // One action per step and a "what you need" tip first make guides longer; 12 still fits one sitting.
  it('gives each guide 4 to 12 steps of a known kind', () => {
    for (const guide of builtinGuides) {
      expect(guide.steps.length, guide.slug).toBeGreaterThanOrEqual(4);
      expect(guide.steps.length, guide.slug).toBeLessThanOrEqual(12);
      for (const step of guide.steps) {
        expect(KINDS).toContain(step.kind);
        if (step.kind === 'practice') expect(['tap', 'swipe']).toContain(step.practice);
        else expect(step.practice, `${guide.slug}: practice only on practice steps`).toBeUndefined();
      }
    }
  });

  it('is complete in Finnish, Swedish and English', () => {
    for (const guide of builtinGuides) {
      for (const lang of LANGS) {
        const where = `${guide.slug} ${lang}`;
        expect(guide.title[lang]?.trim(), `${where} title`).toBeTruthy();
        expect(guide.summary[lang]?.trim(), `${where} summary`).toBeTruthy();
        expect(sentenceCount(guide.summary[lang]), `${where} summary is one sentence`).toBe(1);
        expect(guide.tags[lang]?.length, `${where} tags`).toBeGreaterThan(0);
        for (const tag of guide.tags[lang]) expect(tag.trim(), `${where} tag`).toBeTruthy();
        guide.steps.forEach((step, i) => {
          expect(step.text[lang]?.trim(), `${where} step ${i + 1} text`).toBeTruthy();
          expect(step.alt[lang]?.trim(), `${where} step ${i + 1} alt`).toBeTruthy();
        });
      }
    }
  });

  it('keeps each step to at most two short sentences', () => {
    for (const guide of builtinGuides) {
      guide.steps.forEach((step, i) => {
        for (const lang of LANGS) {
          const text = step.text[lang];
          const where = `${guide.slug} step ${i + 1} ${lang}: ${text}`;
          expect(sentenceCount(text), where).toBeGreaterThanOrEqual(1);
          expect(sentenceCount(text), where).toBeLessThanOrEqual(2);
          expect(text.length, where).toBeLessThanOrEqual(200);
          for (const sentence of text.split(/(?<=[.!?])\s+/)) {
            expect(sentence.split(/\s+/).length, `${where} (sentence length)`).toBeLessThanOrEqual(20);
          }
        }
      });
    }
  });

  it('starts every guide with a tip that says what you need, in every language', () => {
    for (const guide of builtinGuides) {
      const first = guide.steps[0]!;
      expect(first.kind, guide.slug).toBe('tip');
      for (const lang of LANGS) expect(first.text[lang].startsWith(NEED[lang]), `${guide.slug} ${lang}: ${first.text[lang]}`).toBe(true);
    }
  });

  it('uses none of the Finnish words and forms the plain-language review asked to drop', () => {
    for (const guide of builtinGuides) {
      const texts = [guide.title.fi, guide.summary.fi, ...guide.steps.flatMap((s) => [s.text.fi, s.alt.fi])];
      for (const text of texts) for (const [pattern, why] of FI_AVOID) expect(pattern.test(text), `${guide.slug}: ${why} in "${text}"`).toBe(false);
    }
  });

  it('does not bring back Swedish and English wordings the review corrected', () => {
    for (const guide of builtinGuides) {
      for (const lang of ['sv', 'en'] as const) {
        for (const step of guide.steps) for (const pattern of OLD_WORDING[lang]) expect(step.text[lang], guide.slug).not.toMatch(pattern);
      }
    }
  });

  it('gives every Finnish action step exactly one instruction, in at most 15 words (tips and warnings may say more)', () => {
    for (const guide of builtinGuides) {
      guide.steps.forEach((step, i) => {
        if (step.kind !== 'step' && step.kind !== 'practice') return;
        const where = `${guide.slug} step ${i + 1}: ${step.text.fi}`;
        expect(finnishInstructions(step.text.fi), where).toBe(1);
        expect(step.text.fi.split(/\s+/).length, where).toBeLessThanOrEqual(15);
      });
    }
  });

  it('counts instructions the way the heuristic promises', () => {
    expect(finnishInstructions('Kirjoita salasana ja paina Yhdistä.')).toBe(2);
    expect(finnishInstructions('Paina Lataa ja asenna. Puhelin voi käynnistyä uudelleen.')).toBe(1);
    expect(finnishInstructions('Näytöllä näkyy nimesi. Jos nimi on oikein, paina Jatka.')).toBe(1);
    expect(finnishInstructions('Avaa sovellus. Valitse kirjasto.')).toBe(2);
    expect(finnishInstructions('Celia on ilmainen.')).toBe(0);
  });

  it('has a tap and a swipe practice in the touch-screen guide', () => {
    const practices = bySlug('kosketusnayton-perusteet')
      .steps.filter((s) => s.kind === 'practice')
      .map((s) => s.practice);
    expect(practices).toContain('tap');
    expect(practices).toContain('swipe');
  });

  it('warns in the guides about codes, scams and the screen lock', () => {
    for (const slug of ['suomifi-pankkitunnukset', 'suomifi-mobiilivarmenne', 'huijausviesti', 'naytonlukitus']) {
      expect(
        bySlug(slug).steps.some((s) => s.kind === 'warning'),
        slug,
      ).toBe(true);
    }
  });

  it('carries the search words people type', () => {
    const bank = bySlug('suomifi-pankkitunnukset').tags;
    for (const tag of ['pankki', 'tunnukset', 'pankkitunnukset']) expect(bank.fi).toContain(tag);
    for (const slug of ['celia-aanikirjat', 'e-kirjasto']) {
      const tags = bySlug(slug).tags;
      expect(tags.fi, slug).toContain('äänikirja');
      expect(tags.sv, slug).toContain('ljudbok');
      expect(tags.en, slug).toContain('audiobook');
    }
    expect(bySlug('whatsapp-kuva').tags.fi).toEqual(expect.arrayContaining(['whatsapp', 'kuva', 'valokuva']));
    expect(bySlug('huijausviesti').tags.fi).toEqual(expect.arrayContaining(['huijaus', 'tekstiviesti']));
    expect(bySlug('nettiyhteys').tags.fi).toEqual(expect.arrayContaining(['wifi', 'netti']));
    expect(bySlug('puhelimen-paivitys').tags.fi).toEqual(expect.arrayContaining(['päivitys', 'puhelin']));
    expect(bySlug('kela-liite').tags.fi).toEqual(expect.arrayContaining(['kela', 'liite']));
    expect(bySlug('celia-aanikirjat').tags.fi).toEqual(expect.arrayContaining(['celia', 'kirjasto']));
  });

  describe('pictures', () => {
    const files = readdirSync(IMAGES).filter((f) => f.endsWith('.svg'));
    const referenced = new Set(builtinGuides.flatMap((g) => g.steps.map((s) => s.image)));

    it('exist for every step', () => {
      for (const guide of builtinGuides) {
        guide.steps.forEach((step, i) => {
          expect(step.image, `${guide.slug} step ${i + 1}`).toMatch(/^[a-z0-9-]+\.svg$/);
          expect(existsSync(IMAGES + step.image), `${guide.slug} step ${i + 1}: ${step.image}`).toBe(true);
        });
      }
    });

    it('are all used by some step (no orphans)', () => {
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect(referenced.has(file), `orphan picture ${file}`).toBe(true);
    });

    it('are small, self-contained SVG without scripts or outside references', () => {
      for (const file of files) {
        const path = IMAGES + file;
        const svg = readFileSync(path, 'utf8');
        expect(statSync(path).size, file).toBeLessThan(6000);
        expect(svg.trimStart().startsWith('<svg'), file).toBe(true);
        expect(svg, file).toMatch(/viewBox="0 0 400 300"/);
        expect(svg, file).toMatch(/<\/svg>\s*$/);
        expect(svg.toLowerCase(), file).not.toContain('<script');
        expect(svg, file).not.toMatch(/\son\w+\s*=/i);
        expect(svg, file).not.toMatch(/href\s*=\s*["']\s*(https?:|data:|\/\/)/i);
        expect(svg, file).not.toContain('<foreignObject');
        expect(svg, file).not.toContain('<image');
      }
    });

    // One picture serves all three languages, so a word in it must read the same in each: codes, digits, Wi-Fi, PDF.
    const LANGUAGE_NEUTRAL = /^([0-9 €?+•.,:-]+|ABCD|WXYZ|Wi-Fi|PDF|PIN|SIM|18\+)$/;

    it('use only words that read the same in Finnish, Swedish and English, at a readable size', () => {
      for (const file of files) {
        const svg = readFileSync(IMAGES + file, 'utf8');
        for (const [, attributes, words] of svg.matchAll(/<text\b([^>]*)>([^<]*)<\/text>/g)) {
          expect(Number(/font-size="([\d.]+)"/.exec(attributes!)?.[1]), `${file}: ${words}`).toBeGreaterThanOrEqual(12);
          expect(words, file).toMatch(LANGUAGE_NEUTRAL);
        }
      }
    });

    it('draw Cancel as a neutral button, never green (green means go)', () => {
      const cancel = builtinGuides.flatMap((g) => g.steps).find((s) => s.text.fi.includes('paina Keskeytä'))!;
      expect(readFileSync(IMAGES + cancel.image, 'utf8').toLowerCase()).not.toContain('#0b6e4f');
    });

    it('parse as SVG documents', () => {
      const parser = new DOMParser();
      for (const file of files) {
        const doc = parser.parseFromString(readFileSync(IMAGES + file, 'utf8'), 'image/svg+xml');
        expect(doc.documentElement.nodeName.toLowerCase(), file).toBe('svg');
        expect(doc.getElementsByTagName('parsererror').length, file).toBe(0);
      }
    });
  });
});
