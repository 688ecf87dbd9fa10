// Owns the words of the server's CSV export: the same Finnish column names and value labels as the tablet's files,
// read from the app's Finnish locale files (data, not code), so a coordinator's Excel shows "Päivystys", not "walk-in".
import participantFi from '../i18n/locales/fi.json';
import instructorFi from '../i18n/locales/instructor/fi.json';
import type { GroupId } from '../protocol/report';
import { REPORT_VOCABULARY } from '../protocol/report-fields';

type Words = Record<string, unknown>;

/** The text at a dotted path of a locale file, or undefined when there is none (never a prototype's property). */
function lookup(words: Words, path: readonly string[]): string | undefined {
  let at: unknown = words;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Words)[key];
  }
  return typeof at === 'string' ? at : undefined;
}

const instructor = instructorFi as Words;
const participant = participantFi as Words;

/** A column name of the exported logs, as on the tablet's file ("Päivä", "Ryhmäläiset uudet"). */
export function logColumn(name: string): string {
  return lookup(instructor, ['reports', 'csv', 'logColumns', name]) ?? lookup(instructor, ['reports', 'csv', 'exportColumns', name]) ?? name;
}

/** A session-log value in Finnish; a slug a newer app added stays as it is, so nothing is hidden. */
export function sessionLabel(group: string, value: string): string {
  return lookup(instructor, ['sessions', group, value]) ?? value;
}

export function statusLabel(status: string): string {
  return lookup(instructor, ['sessions', 'status', status]) ?? status;
}

/** A feedback question as the participant saw it ("Miltä tänään tuntui?"); the one-word answer by its field label. */
export function feedbackQuestion(question: string): string {
  return (
    lookup(participant, ['feedback', 'questions', question]) ??
    (question === 'learnWord' ? lookup(participant, ['feedback', 'word', 'label']) : undefined) ??
    question
  );
}

/** A feedback answer in Finnish: a mood by its face's name ("4 Hyvä"), a chip by its label, a word as written. */
export function feedbackAnswer(question: string, answer: string | number): string {
  if (typeof answer === 'number') {
    const mood = lookup(participant, ['feedback', 'moods', String(answer)]);
    return mood ? `${answer} ${mood}` : String(answer);
  }
  return question === 'learnWord' ? answer : (lookup(participant, ['feedback', 'chips', answer]) ?? answer);
}

/** A word of the instructor's Finnish reports at a dotted path ("reports.totals.sessions"); the path itself when missing. */
export function reportWord(path: readonly string[]): string {
  return lookup(instructor, path) ?? path.join('.');
}

export function reportGroupTitle(group: string): string {
  return reportWord(['reports', 'groups', group]);
}

/** A report cell's label in Finnish, as the tablet's report labels it (src/reports/labels.ts). */
export function reportCellLabel(group: string, key: string): string {
  if (key === 'not-recorded') return group === 'moods' ? reportWord(['reports', 'noAnswer']) : reportWord(['reports', 'notRecorded']);
  if (group === 'newReturning') return reportWord(['sessions', 'people', key === 'new' ? 'new' : 'returning']);
  if (group === 'moods') return lookup(participant, ['feedback', 'moods', key]) ?? key;
  if (group === 'wishedTopics') return key.startsWith('word:') ? key.slice('word:'.length) : (lookup(participant, ['feedback', 'chips', key]) ?? key);
  const vocabulary = Object.hasOwn(REPORT_VOCABULARY, group) ? REPORT_VOCABULARY[group as GroupId] : undefined;
  return vocabulary ? sessionLabel(vocabulary, key) : key;
}
