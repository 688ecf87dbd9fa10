// Feedback answers are anonymous and always fit the sync protocol; each person starts from an empty form.
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect } from 'vitest';
import { db } from '../../../src/db/db';
import { it } from '../support/database';
import {
  answersToStore,
  CHIPS,
  isValidWord,
  MOODS,
  sessionIdFrom,
  toggleChoice,
  wordAsSlug,
  type Chip,
  type FeedbackDraft,
} from '../../../src/feedback/answers';
import FeedbackScreen from '../../../src/feedback/FeedbackScreen';
import { initI18n } from '../../../src/i18n';
import { feedbackFields } from '../../../src/protocol/tables';

const chipList = fc.array(fc.constantFrom(...CHIPS), { maxLength: 12 });
const draft: fc.Arbitrary<FeedbackDraft> = fc
  .record({
    mood: fc.option(fc.constantFrom(...MOODS), { nil: undefined }),
    got: chipList,
    next: chipList,
    learn: chipList,
    learnWord: fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^[a-zA-ZäöåÄÖÅéü]{1,25}$/)),
  })
  .map((value) => ({ ...value, got: [...new Set(value.got)], next: [...new Set(value.next)], learn: [...new Set(value.learn)] }));

describe('stored answers', () => {
  it('always pass the protocol schema for feedback, and hold no text but a one-word a–z topic', () => {
    fc.assert(
      fc.property(draft, (value) => {
        const answers = answersToStore(value);
        expect(feedbackFields.safeParse({ createdAt: 1, lang: 'fi', answers }).success).toBe(true);
        if (answers.learnWord !== undefined) {
          expect(answers.learnWord).toMatch(/^[a-z]{1,20}$/);
          expect(value.learn).toContain('something-else');
        }
        if (value.mood === undefined) expect(answers).not.toHaveProperty('mood');
      }),
    );
  });

  it('keep only what was answered', () => {
    expect(answersToStore({ got: [], next: [], learn: [], learnWord: '' })).toEqual({});
    expect(answersToStore({ mood: 4, got: ['contact'], next: [], learn: ['something-else'], learnWord: ' Sähköposti ' })).toEqual({
      mood: 4,
      got: ['contact'],
      learn: ['something-else'],
      learnWord: 'sahkoposti',
    });
  });

  it('"nothing yet" and "don\'t know" stand alone', () => {
    fc.assert(
      fc.property(chipList, (taps) => {
        let chosen: Chip[] = [];
        for (const chip of taps) chosen = toggleChoice(chosen, chip);
        const alone = chosen.filter((chip) => chip === 'nothing-yet' || chip === 'dont-know');
        if (alone.length > 0) expect(chosen).toHaveLength(1);
        expect(new Set(chosen).size).toBe(chosen.length);
      }),
    );
  });
});

describe('the "something else" word', () => {
  it('is one word of letters, at most 20', () => {
    for (const ok of ['', 'kirjasto', 'Sähköposti', 'Åland', 'Привет']) expect(isValidWord(ok), ok).toBe(true);
    for (const bad of ['two words', 'abc1', 'x@y.fi', 'a'.repeat(21), '040-123', 'e-kirja']) expect(isValidWord(bad), bad).toBe(false);
  });

  it('is stored as lower-case a–z, or not at all when it has no such spelling', () => {
    expect(wordAsSlug('Sähköposti')).toBe('sahkoposti');
    expect(wordAsSlug('Café')).toBe('cafe');
    expect(wordAsSlug('Привет')).toBeUndefined();
    expect(wordAsSlug('two words')).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (word) => {
        const slug = wordAsSlug(word);
        if (slug !== undefined) expect(slug).toMatch(/^[a-z]{1,20}$/);
      }),
    );
  });

  it('session ids from the address are checked before they are stored', () => {
    expect(sessionIdFrom('3f2a-b_9')).toBe('3f2a-b_9');
    expect(sessionIdFrom('<script>')).toBeNull();
    expect(sessionIdFrom(null)).toBeNull();
  });
});

describe('the feedback form', () => {
  beforeAll(async () => {
    await initI18n('en');
  });
  beforeEach(() => {
    history.replaceState(null, '', '/feedback');
  });

  it("saves one person's answers and gives the next person an empty form", async () => {
    render(<FeedbackScreen />);
    await screen.findByRole('heading', { level: 1, name: 'How did today feel?' });
    fireEvent.click(screen.getByRole('radio', { name: 'Very good' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { level: 1, name: 'What did you get today?' });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Keeping in touch' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { level: 1, name: 'What else would you like to learn?' });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Something else' }));
    fireEvent.input(screen.getByRole('textbox', { name: 'One word, if you like' }), { target: { value: 'two words' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByRole('alert')).textContent).toContain('one word');
    fireEvent.input(screen.getByRole('textbox', { name: 'One word, if you like' }), { target: { value: 'Podcastit' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByRole('heading', { level: 1, name: 'Thank you!' });
    const saved = await db().feedback.toArray();
    expect(saved.map((row) => row.answers)).toEqual([{ mood: 5, got: ['contact'], learn: ['something-else'], learnWord: 'podcastit' }]);
    expect(await db().outbox.count()).toBe(1);

    fireEvent.click(screen.getByRole('button', { name: 'Next person' }));
    await screen.findByRole('heading', { level: 1, name: 'How did today feel?' });
    await waitFor(() => expect(screen.getAllByRole('radio').some((radio) => (radio as HTMLInputElement).checked)).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('heading', { level: 1, name: 'What did you get today?' });
    expect(screen.getAllByRole('checkbox').some((box) => (box as HTMLInputElement).checked)).toBe(false);
  });
});
