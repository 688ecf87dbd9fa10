// The feedback's picture choices are declared once (src/protocol/feedback.ts, from the guide topics): the report names each of them in words and
// counts only the topics among them as wishes.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { FEEDBACK_CHIPS, NOT_A_TOPIC, SOMETHING_ELSE } from '../../../src/protocol/feedback';
import { GUIDE_CATEGORIES } from '../../../src/protocol/lists';
import { wishedTopics } from '../../../src/protocol/report';
import { cellLabel } from '../../../src/reports/labels';

describe('feedback choices in the report', () => {
  it('labels every picture choice with its words, not its slug', () => {
    for (const chip of FEEDBACK_CHIPS) {
      expect(cellLabel(i18next.t, 'wishedTopics', chip)).toBe(i18next.t(`feedback.chips.${chip}`));
      expect(cellLabel(i18next.t, 'wishedTopics', chip)).not.toBe(chip);
    }
    expect(cellLabel(i18next.t, 'wishedTopics', 'podcasts')).toBe('podcasts'); // a slug of a newer app shows as it is
  });

  it('counts the guide topics as wishes and leaves out the answers that are no topic', () => {
    const learn = [...FEEDBACK_CHIPS];
    expect(wishedTopics({ learn })).toEqual([...GUIDE_CATEGORIES]);
    expect(wishedTopics({ learn: [...NOT_A_TOPIC, SOMETHING_ELSE] })).toEqual([]);
  });
});
