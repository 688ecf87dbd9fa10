// The participant's feedback form at /feedback (lazy chunk): one question per screen, read aloud, faces and picture
// chips, every answer optional, then a thank-you that goes back to the start. Anonymous by construction: nothing is
// typed but an optional one-word topic. Each person gets a fresh form (a new round remounts everything), and a form
// left half-way is cleared after a while, so the next person never sees someone else's answers.
import { useEffect, useRef, useState } from 'preact/hooks';
import { location, navigate } from '../ui/router';
import { useObservable } from '../ui/use-observable';
import { forgetRecentGuides } from '../db/device-settings';
import { useT } from '../i18n';
import {
  CHIPS,
  emptyDraft,
  isValidWord,
  MOODS,
  QUESTIONS,
  sessionIdFrom,
  SOMETHING_ELSE,
  toggleChoice,
  WORD_MAX_LENGTH,
  type Chip,
  type ChipQuestion,
  type FeedbackDraft,
} from './answers';
import { ChipPicture, Face, SpeakerPicture } from './pictures';
import { saveFeedback } from './save';
import { useReadAloud } from './speech';
import './feedback.css';
import { useFailed } from '../ui/use-failed';

const THANKS_MS = 6_000; // long enough to read "thank you", short enough that the next person finds the start
const LEFT_HALFWAY_MS = 2 * 60_000;

export default function FeedbackScreen() {
  const { search } = useObservable(location);
  const sessionId = sessionIdFrom(search.get('session'));
  const [round, setRound] = useState(0);
  const nextPerson = () => {
    // The feedback is reset for the next person: so are the guides they opened.
    forgetRecentGuides().catch((error: unknown) => console.error('forgetting the recently opened guides failed', error));
    setRound((current) => current + 1);
  };
  return <FeedbackRound key={round} sessionId={sessionId} onNextPerson={nextPerson} />;
}

function FeedbackRound({ sessionId, onNextPerson }: { sessionId: string | null; onNextPerson: () => void }) {
  const { t, language } = useT();
  const speak = useReadAloud(language);
  const [step, setStep] = useState(0);
  const [draft, setDraft] = useState<FeedbackDraft>(emptyDraft);
  const [wordProblem, setWordProblem] = useState(false);
  const [saving, setSaving] = useState(false);
  const failed = useFailed();
  const heading = useRef<HTMLHeadingElement>(null);
  const done = step === QUESTIONS.length;
  const question = QUESTIONS[step];

  useEffect(() => heading.current?.focus(), [step]);

  // A form left half-way is cleared, so it never greets the next person with someone's answers.
  useEffect(() => {
    if (done) return;
    let timer = setTimeout(onNextPerson, LEFT_HALFWAY_MS);
    const touched = () => {
      clearTimeout(timer);
      timer = setTimeout(onNextPerson, LEFT_HALFWAY_MS);
    };
    document.addEventListener('pointerdown', touched);
    document.addEventListener('keydown', touched);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('pointerdown', touched);
      document.removeEventListener('keydown', touched);
    };
  }, [done]);

  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(() => navigate('/'), THANKS_MS);
    return () => clearTimeout(timer);
  }, [done]);

  async function forward() {
    if (question === 'learn' && !isValidWord(draft.learnWord)) {
      setWordProblem(true);
      return;
    }
    if (step < QUESTIONS.length - 1) return setStep(step + 1);
    setSaving(true);
    await saveFeedback(draft, sessionId, language);
    setSaving(false);
    setStep(QUESTIONS.length);
  }

  const questionText = question ? t(`feedback.questions.${question}`) : '';
  const chipLabel = (chip: Chip): string => t(`feedback.chips.${chip}`);

  if (done) {
    return (
      <section class="screen feedback thanks" aria-labelledby="feedback-title">
        <Face mood={5} size={120} />
        <h1 id="feedback-title" ref={heading} tabIndex={-1}>
          {t('feedback.thanks.title')}
        </h1>
        <p class="lead">{t('feedback.thanks.text')}</p>
        <p>{t('feedback.thanks.returning')}</p>
        <div class="button-row">
          <button type="button" class="button primary big" onClick={onNextPerson}>
            {t('feedback.thanks.nextPerson')}
          </button>
          <a class="button big" href="/">
            {t('feedback.thanks.home')}
          </a>
        </div>
      </section>
    );
  }

  return (
    <section class="screen feedback" aria-labelledby="feedback-title">
      <p class="feedback-progress">
        <span class="visually-hidden">{t('feedback.progress', { current: step + 1, total: QUESTIONS.length })}</span>
        {QUESTIONS.map((name, index) => (
          <span key={name} aria-hidden="true" class={`dot ${index < step ? 'is-done' : ''} ${index === step ? 'is-current' : ''}`} />
        ))}
      </p>
      <div class="feedback-question">
        <h1 id="feedback-title" ref={heading} tabIndex={-1}>
          {questionText}
        </h1>
        {speak && (
          <button type="button" class="button listen" onClick={() => speak(questionText)}>
            <SpeakerPicture />
            <span>{t('feedback.listen')}</span>
          </button>
        )}
      </div>
      <p class="hint">{step === 0 ? t('feedback.anonymous') : t('feedback.optional')}</p>

      {question === 'mood' ? (
        <fieldset class="faces">
          <legend class="visually-hidden">{questionText}</legend>
          {MOODS.map((mood) => (
            <label key={mood} class={`face ${draft.mood === mood ? 'is-chosen' : ''}`}>
              <input type="radio" name="mood" value={mood} checked={draft.mood === mood} onChange={() => setDraft({ ...draft, mood })} />
              <Face mood={mood} />
              <span>{t(`feedback.moods.${mood}`)}</span>
            </label>
          ))}
        </fieldset>
      ) : (
        question && (
          <ChipAnswer
            question={question}
            legend={questionText}
            chosen={draft[question]}
            label={chipLabel}
            onToggle={(chip) => {
              setDraft({ ...draft, [question]: toggleChoice(draft[question], chip) });
              setWordProblem(false);
            }}
          />
        )
      )}

      {question === 'learn' && draft.learn.includes(SOMETHING_ELSE) && (
        <div class="field word">
          {/* ui/Field's markup written out: as a shared chunk, Field would be one more file for this participant screen. */}
          <label for="feedback-word">{t('feedback.word.label')}</label>
          <input
            id="feedback-word"
            type="text"
            autoComplete="off"
            autoCapitalize="off"
            spellcheck={false}
            maxLength={WORD_MAX_LENGTH + 10}
            value={draft.learnWord}
            aria-invalid={wordProblem}
            aria-describedby={wordProblem ? 'feedback-word-problem' : undefined}
            onInput={(event) => {
              setDraft({ ...draft, learnWord: event.currentTarget.value });
              setWordProblem(false);
            }}
          />
          {wordProblem && (
            <p id="feedback-word-problem" class="problem" role="alert">
              {t('feedback.word.problem', { max: WORD_MAX_LENGTH })}
            </p>
          )}
        </div>
      )}

      <div class="feedback-nav">
        {step > 0 && (
          <button type="button" class="button big" onClick={() => setStep(step - 1)}>
            {t('feedback.back')}
          </button>
        )}
        <button type="button" class="button primary big" disabled={saving} onClick={() => forward().catch(failed)}>
          {step === QUESTIONS.length - 1 ? t('feedback.send') : t('feedback.next')}
        </button>
      </div>
    </section>
  );
}

function ChipAnswer(props: { question: ChipQuestion; legend: string; chosen: readonly Chip[]; label: (chip: Chip) => string; onToggle: (chip: Chip) => void }) {
  return (
    <fieldset class="picture-chips">
      <legend class="visually-hidden">{props.legend}</legend>
      {CHIPS.map((chip) => {
        const chosen = props.chosen.includes(chip);
        return (
          <label key={chip} class={`picture-chip ${chosen ? 'is-chosen' : ''}`}>
            <input type="checkbox" name={props.question} value={chip} checked={chosen} onChange={() => props.onToggle(chip)} />
            <ChipPicture chip={chip} />
            <span>{props.label(chip)}</span>
          </label>
        );
      })}
    </fieldset>
  );
}
