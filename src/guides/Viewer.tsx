// The guide viewer: one step per screen, big picture and text, Previous/Next, swipe and arrow keys, read-aloud.
// It shows guide content only: nothing of the instructor area is reachable or rendered from here.
import { useEffect, useRef, useState } from 'preact/hooks';
import { navigate } from '../ui/router';
import { Icon } from '../ui/Icon';
import { rememberGuideOpened } from '../db/device-settings';
import { guideBySlug, stepsOfGuide } from '../db/guides';
import { useLiveQuery } from '../db/live';
import type { GuideStepRecord } from '../db/records';
import { useT } from '../i18n';
import { guideHref } from './GuideList';
import { Practice } from './Practice';
import { speak, useVoice, type Reading } from './read-aloud';
import { StepPicture } from './StepPicture';
import './guides.css';

const SWIPE_PX = 60;

function SpokenText({ text, spoken }: { text: string; spoken: [number, number] | undefined }) {
  if (!spoken) return <>{text}</>;
  const [start, end] = spoken;
  return (
    <>
      {text.slice(0, start)}
      <mark class="spoken-word">{text.slice(start, end)}</mark>
      {text.slice(end)}
    </>
  );
}

/** Read-aloud state of one step: whether a voice exists, whether it is speaking, and the word being spoken. */
function useReadAloud(text: string, lang: string) {
  const voice = useVoice(lang);
  const reading = useRef<Reading | undefined>(undefined);
  const [spoken, setSpoken] = useState<[number, number] | undefined>();
  const [active, setActive] = useState(false);
  useEffect(() => () => reading.current?.stop(), [text]);
  const toggle = () => {
    if (!voice) return;
    if (active) {
      reading.current?.stop();
      return;
    }
    setActive(true);
    reading.current = speak(text, lang, voice, {
      onWord: setSpoken,
      onEnd: () => {
        setActive(false);
        setSpoken(undefined);
      },
    });
  };
  return { available: voice !== undefined, active, spoken, toggle };
}

export default function Viewer({ params }: { params: Record<string, string> }) {
  const { t, language } = useT();
  const slug = params.slug ?? '';
  const guide = useLiveQuery(() => guideBySlug(slug, language).then((g) => g ?? null), [slug, language]);
  const steps = useLiveQuery(() => (guide ? stepsOfGuide(guide.id) : Promise.resolve([] as GuideStepRecord[])), [guide?.id]);

  useEffect(() => {
    // Only the home's "recently opened" misses this guide if the write fails: the guide itself is shown, so log it.
    if (guide) rememberGuideOpened(guide.slug).catch((error: unknown) => console.error('remembering an opened guide failed', error));
  }, [guide?.slug]);

  if (guide === undefined || (guide && steps === undefined)) return <p class="loading">{t('app.loading')}</p>;
  if (guide === null || !steps || steps.length === 0) {
    return (
      <section class="screen" aria-labelledby="guide-missing">
        <h1 id="guide-missing">{t('guides.notFound')}</h1>
        <a class="button primary" href="/">
          {t('guides.backToLibrary')}
        </a>
      </section>
    );
  }
  const total = steps.length;
  const done = params.step === 'done';
  const number = done ? total + 1 : Math.min(Math.max(1, Number.parseInt(params.step ?? '1', 10) || 1), total);
  return <StepScreen key={`${guide.id}-${number}`} guideTitle={guide.title} lang={guide.lang} slug={guide.slug} steps={steps} number={number} />;
}

/**
 * One step of a guide as a participant sees it. The guide editor's preview shows this same screen and passes its own
 * addresses (`hrefOf`, `closeHref`), so previewing never leaves the instructor area.
 */
export function StepScreen(props: {
  guideTitle: string;
  lang: string;
  slug: string;
  steps: GuideStepRecord[];
  number: number;
  hrefOf?: (step: number | 'done') => string;
  closeHref?: string;
}) {
  const { t } = useT();
  const { steps, number, slug } = props;
  const total = steps.length;
  const step = steps[number - 1];
  const hrefOf = props.hrefOf ?? ((to: number | 'done') => guideHref({ slug }, to));
  const go = (to: number) => {
    if (to < 1) return;
    navigate(hrefOf(to > total ? 'done' : to), { replace: true });
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (event.key === 'ArrowRight') go(number + 1);
      if (event.key === 'ArrowLeft') go(number - 1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [number]);
  const swipeStart = useRef<{ x: number; y: number } | undefined>(undefined);
  const readAloud = useReadAloud(step?.text ?? '', props.lang);

  if (!step) {
    return (
      <section class="screen guide-done" aria-labelledby="done-title" lang={props.lang}>
        <h1 id="done-title">{t('guides.done.title')}</h1>
        <p class="step-text">{t('guides.done.text')}</p>
        <div class="button-column">
          <a class="button primary" href="/">
            {t('guides.backToLibrary')}
          </a>
          <a class="button" href="/feedback">
            {t('guides.done.feedback')}
          </a>
          <a class="button" href={hrefOf(1)}>
            {t('guides.done.again')}
          </a>
        </div>
      </section>
    );
  }

  return (
    <section class="screen viewer" aria-labelledby="guide-title">
      <div class="viewer-top">
        <h1 id="guide-title" class="guide-title" lang={props.lang}>
          {props.guideTitle}
        </h1>
        <a class="button ghost" href={props.closeHref ?? '/'}>
          <Icon name="back" />
          <span>{t('guides.close')}</span>
        </a>
      </div>
      <p class="step-progress">
        <strong>{t('guides.stepOf', { step: number, total })}</strong>
        <span class="dots" aria-hidden="true">
          {steps.map((s, i) => (
            <span key={s.id} class={`dot ${i + 1 === number ? 'is-current' : i + 1 < number ? 'is-done' : ''}`} />
          ))}
        </span>
      </p>
      <article
        class={`step step-${step.kind}`}
        lang={props.lang}
        onPointerDown={(event) => {
          swipeStart.current = { x: event.clientX, y: event.clientY };
        }}
        onPointerCancel={() => {
          swipeStart.current = undefined;
        }}
        onPointerUp={(event) => {
          const start = swipeStart.current;
          swipeStart.current = undefined;
          if (!start) return;
          const dx = event.clientX - start.x;
          const dy = event.clientY - start.y;
          if (Math.abs(dx) > SWIPE_PX && Math.abs(dx) > 1.5 * Math.abs(dy)) go(dx < 0 ? number + 1 : number - 1);
        }}
      >
        <StepPicture step={step} />
        {step.kind !== 'step' && (
          <p class={`step-kind kind-${step.kind}`}>
            <Icon name={step.kind === 'warning' ? 'safety' : step.kind === 'tip' ? 'tip' : 'hand'} />
            {t(`guides.kinds.${step.kind}`)}
          </p>
        )}
        <p class="step-text" aria-live="polite">
          <SpokenText text={step.text} spoken={readAloud.spoken} />
        </p>
        {step.kind === 'practice' && step.practice && <Practice kind={step.practice} />}
      </article>
      {/* The bar stays on screen at every text size: the picture above it shrinks first (see guides.css). */}
      <nav class="step-nav" aria-label={t('guides.stepOf', { step: number, total })}>
        <button type="button" class="button step-button step-previous" disabled={number === 1} onClick={() => go(number - 1)}>
          <Icon name="back" />
          <span class="step-button-label">{t('guides.previous')}</span>
        </button>
        {readAloud.available && (
          <button
            type="button"
            class={`button step-button read-aloud ${readAloud.active ? 'is-reading' : ''}`}
            aria-pressed={readAloud.active}
            onClick={readAloud.toggle}
          >
            <Icon name={readAloud.active ? 'stop' : 'speaker'} />
            <span class="step-button-label">{readAloud.active ? t('guides.stopReading') : t('guides.readAloud')}</span>
          </button>
        )}
        <button type="button" class="button primary step-button step-next" onClick={() => go(number + 1)}>
          <span>{number === total ? t('guides.finish') : t('guides.next')}</span>
          <Icon name="forward" />
        </button>
      </nav>
    </section>
  );
}
