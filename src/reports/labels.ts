// Owns the words of a report: the title of each group and the label of each cell, in the language asked for.
import type { TFunction } from 'i18next';
import { vocabularyLabel } from '../sessions/labels';
import { FEEDBACK_CHIPS } from '../protocol/feedback';
import { REPORT_VOCABULARY } from '../protocol/report-fields';
import { NOT_RECORDED, type GroupId } from './aggregate';

const isChip = (key: string) => (FEEDBACK_CHIPS as readonly string[]).includes(key);

export function groupTitle(t: TFunction, id: GroupId): string {
  return t(`reports.groups.${id}`);
}

export function cellLabel(t: TFunction, group: GroupId, key: string): string {
  if (key === NOT_RECORDED) return group === 'moods' ? t('reports.noAnswer') : t('reports.notRecorded');
  if (group === 'newReturning') return key === 'new' ? t('sessions.people.new') : t('sessions.people.returning');
  if (group === 'moods') return /^[1-5]$/.test(key) ? t(`feedback.moods.${key as '1'}`) : key;
  if (group === 'wishedTopics') {
    if (key.startsWith('word:')) return key.slice('word:'.length);
    return isChip(key) ? t(`feedback.chips.${key as 'contact'}`) : key;
  }
  const vocabulary = REPORT_VOCABULARY[group];
  return vocabulary ? vocabularyLabel(t, vocabulary, key) : key;
}
