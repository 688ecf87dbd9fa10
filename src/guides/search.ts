// Owns guide search: forgiving of missing ä/ö/å, typos and word endings, and aware of the words people use instead.
// Pure functions: build an index once per guide list, then each keystroke is a lookup over the vocabulary.

export interface SearchableGuide {
  id: string;
  lang: string;
  title: string;
  summary: string;
  tags: string[];
}

export interface SearchHit<G extends SearchableGuide> {
  guide: G;
  score: number;
}

/** Lower case, no diacritics ("äänikirja" and "aanikirja" are one word), letters and digits only. */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function words(text: string): string[] {
  const normal = normalize(text);
  return normal ? normal.split(' ') : [];
}

/**
 * Words people say for the same thing, by language (normalized). A query word also looks for these.
 * Guide tags carry most synonyms; this covers everyday words that no single guide should have to list.
 */
export const SYNONYMS: Record<string, Record<string, string[]>> = {
  fi: {
    pankki: ['pankkitunnukset', 'verkkopankki'],
    tunnukset: ['pankkitunnukset', 'tunnistautuminen', 'kirjautuminen'],
    tunnistautuminen: ['kirjautuminen', 'pankkitunnukset', 'mobiilivarmenne'],
    kannykka: ['puhelin', 'alypuhelin'],
    kanny: ['puhelin'],
    luuri: ['puhelin'],
    netti: ['internet', 'verkko', 'wifi'],
    nettiyhteys: ['wifi', 'internet'],
    wlan: ['wifi'],
    aanikirja: ['celia', 'kirjasto', 'e-kirjasto'],
    kirja: ['kirjasto', 'aanikirja', 'e-kirja'],
    huijari: ['huijaus'],
    huijausviesti: ['huijaus'],
    posti: ['kirje', 'viesti'],
    kuva: ['valokuva'],
    salasana: ['pin', 'koodi', 'naytonlukitus'],
  },
  sv: {
    bank: ['bankkoder'],
    koder: ['bankkoder', 'identifiering'],
    mobil: ['telefon'],
    natet: ['internet', 'wifi'],
    natt: ['internet', 'wifi'],
    ljudbok: ['celia', 'bibliotek', 'e-bibliotek'],
    bok: ['bibliotek', 'ljudbok', 'e-bok'],
    bedragare: ['bedrageri'],
    bild: ['foto'],
  },
  en: {
    bank: ['bank-codes', 'banking'],
    codes: ['bank-codes', 'identification'],
    mobile: ['phone'],
    cellphone: ['phone'],
    internet: ['wifi', 'online'],
    audiobook: ['celia', 'library', 'e-library'],
    book: ['library', 'audiobook', 'e-book'],
    scammer: ['scam'],
    fraud: ['scam'],
    picture: ['photo'],
    password: ['pin', 'code', 'screen-lock'],
  },
};

/** Damerau–Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowBest = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2]! + 1);
      current[j] = value;
      rowBest = Math.min(rowBest, value);
    }
    if (rowBest > limit) return limit + 1;
    previous2 = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** How well a query word matches a word of a guide: 1 exact, less for a prefix, part of a compound or a typo. */
export function wordMatch(query: string, word: string): number {
  if (query === word) return 1;
  if (query.length >= 3 && word.startsWith(query)) return 0.8;
  if (query.length >= 4 && word.includes(query)) return 0.6; // Finnish compounds: "tunnukset" in "pankkitunnukset"
  if (word.length >= 4 && query.length > word.length && query.startsWith(word)) return 0.7; // an inflected form: "kirjaston"
  const limit = query.length >= 8 ? 2 : query.length >= 4 ? 1 : 0;
  if (limit > 0 && editDistance(query, word, limit) <= limit) return 0.5;
  return 0;
}

const FIELD_WEIGHTS = { title: 3, tags: 2.5, summary: 1.2 } as const;
type Field = keyof typeof FIELD_WEIGHTS;

export interface GuideIndex<G extends SearchableGuide> {
  guides: G[];
  /** word → where it occurs: [guide position, field weight] pairs, best weight per guide. */
  postings: Map<string, Map<number, number>>;
}

export function buildIndex<G extends SearchableGuide>(guides: G[]): GuideIndex<G> {
  const postings = new Map<string, Map<number, number>>();
  guides.forEach((guide, position) => {
    const fields: Record<Field, string[]> = {
      title: words(guide.title),
      tags: guide.tags.flatMap((tag) => [...words(tag), normalize(tag).replace(/ /g, '')]),
      summary: words(guide.summary),
    };
    for (const field of Object.keys(fields) as Field[]) {
      for (const word of fields[field]) {
        let where = postings.get(word);
        if (!where) postings.set(word, (where = new Map()));
        where.set(position, Math.max(where.get(position) ?? 0, FIELD_WEIGHTS[field]));
      }
    }
  });
  return { guides, postings };
}

/** Scores of every guide for one query word (and its synonyms, slightly lower). */
function scoresForWord(index: GuideIndex<SearchableGuide>, queryWord: string, language: string): Map<number, number> {
  const alternatives: [string, number][] = [
    [queryWord, 1],
    ...(SYNONYMS[language]?.[queryWord] ?? []).map((w): [string, number] => [normalize(w).replace(/ /g, ''), 0.9]),
  ];
  // Per guide: the best match counts fully, further matches (other synonyms, other words) a little.
  const best = new Map<number, number>();
  const sum = new Map<number, number>();
  for (const [word, factor] of alternatives) {
    for (const [indexed, where] of index.postings) {
      const match = wordMatch(word, indexed);
      if (match === 0) continue;
      for (const [position, weight] of where) {
        const score = match * weight * factor;
        best.set(position, Math.max(best.get(position) ?? 0, score));
        sum.set(position, (sum.get(position) ?? 0) + score);
      }
    }
  }
  const scores = new Map<number, number>();
  for (const [position, top] of best) scores.set(position, top + 0.25 * (sum.get(position)! - top));
  return scores;
}

/**
 * Guides matching the query, best first. Every query word must match something in a guide;
 * guides in the reader's language come before others with the same score.
 */
export function searchGuides<G extends SearchableGuide>(index: GuideIndex<G>, query: string, language: string): SearchHit<G>[] {
  const queryWords = [...new Set(words(query))];
  if (queryWords.length === 0) return [];
  let total: Map<number, number> | undefined;
  for (const word of queryWords) {
    const scores = scoresForWord(index as GuideIndex<SearchableGuide>, word, language);
    if (!total) total = scores;
    else {
      const next = new Map<number, number>();
      for (const [position, score] of total) {
        const more = scores.get(position);
        if (more !== undefined) next.set(position, score + more);
      }
      total = next;
    }
  }
  return [...(total ?? new Map<number, number>())]
    .map(([position, score]) => ({ guide: index.guides[position]!, score }))
    .sort((a, b) => b.score - a.score || Number(b.guide.lang === language) - Number(a.guide.lang === language) || a.guide.title.localeCompare(b.guide.title));
}
