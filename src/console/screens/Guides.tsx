// Owns the organisation's own guides: the list with which tablet changed each and when (a tablet's name, never a
// person), a preview one step at a time as a participant sees it, and hiding a guide from every tablet (coordinator).
import { useState } from 'preact/hooks';
import { STEP_KINDS } from '../../protocol/lists';
import { Icon } from '../../ui/Icon';
import { api } from '../api';
import { useConsoleT } from '../i18n';
import { navigate, routePath } from '../router';
import type { Guide, GuideRow, GuideStep, User } from '../types';
import { dateTime, ErrorNotice, Loading, Notice, PageTitle, useLoad } from '../ui';

function GuideLink(props: { guide: GuideRow }) {
  return (
    <a
      href={routePath({ screen: 'guides', id: props.guide.id })}
      lang={props.guide.lang}
      onClick={(event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey) return;
        event.preventDefault();
        navigate({ screen: 'guides', id: props.guide.id });
      }}
    >
      {props.guide.title}
    </a>
  );
}

export function GuidesScreen(_props: { user: User }) {
  const { t } = useConsoleT();
  const guides = useLoad(() => api.get<GuideRow[]>('/guides'), []);
  return (
    <section>
      <PageTitle>{t('guides.title')}</PageTitle>
      <p>{t('guides.intro')}</p>
      <ErrorNotice error={guides.error} />
      {guides.loading && !guides.data ? <Loading /> : null}
      {guides.data && guides.data.length === 0 ? <p>{t('guides.none')}</p> : null}
      {guides.data && guides.data.length > 0 ? (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={t('guides.listLabel')}>
          <table class="numbers" id="guides">
            <caption class="visually-hidden">{t('guides.listLabel')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('guides.guide')}</th>
                <th scope="col">{t('guides.language')}</th>
                <th scope="col">{t('guides.changedAt')}</th>
                <th scope="col">{t('guides.changedBy')}</th>
                <th scope="col">{t('guides.state')}</th>
              </tr>
            </thead>
            <tbody>
              {guides.data.map((guide) => (
                <tr key={guide.id} data-guide={guide.id}>
                  <th scope="row">
                    <GuideLink guide={guide} />
                  </th>
                  <td>{guide.lang}</td>
                  <td>{dateTime(guide.changedAt)}</td>
                  <td>{guide.changedByTablet ?? t('guides.unknownTablet')}</td>
                  <td>{guide.hidden ? t('guides.hidden') : t('guides.visible')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export function GuideScreen(props: { user: User; id: string }) {
  const { t } = useConsoleT();
  const guide = useLoad(() => api.get<Guide>(`/guides/${encodeURIComponent(props.id)}`), [props.id]);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>();
  const [hidden, setHidden] = useState(false);
  const coordinator = props.user.role === 'coordinator';

  const hide = async () => {
    setError(undefined);
    try {
      await api.post(`/guides/${encodeURIComponent(props.id)}/hide`);
      setConfirming(false);
      setHidden(true);
      guide.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  const data = guide.data;
  return (
    <section>
      <p>
        <a
          href={routePath({ screen: 'guides' })}
          onClick={(event) => {
            event.preventDefault();
            navigate({ screen: 'guides' });
          }}
        >
          {t('guides.back')}
        </a>
      </p>
      <ErrorNotice error={guide.error ?? error} />
      {guide.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <PageTitle>{t('guides.previewTitle', { title: data.title })}</PageTitle>
          <p>{t('guides.changed', { when: dateTime(data.changedAt), tablet: data.changedByTablet ?? t('guides.unknownTablet') })}</p>
          {hidden ? <Notice>{t('guides.hiddenNotice')}</Notice> : null}
          {data.hidden ? (
            <p class="state" data-state="hidden">
              {t('guides.isHidden')}
            </p>
          ) : coordinator ? (
            confirming ? (
              <div class="panel confirm" role="group" aria-labelledby="hide-title">
                <h2 id="hide-title">{t('guides.hideTitle', { title: data.title })}</h2>
                <p>{t('guides.hideWarning')}</p>
                <div class="button-row">
                  <button type="button" class="button danger" onClick={() => void hide()}>
                    {t('guides.hideConfirm')}
                  </button>
                  <button type="button" class="button" onClick={() => setConfirming(false)}>
                    {t('common.cancel')}
                  </button>
                </div>
              </div>
            ) : (
              <button type="button" class="button danger" onClick={() => setConfirming(true)}>
                {t('guides.hide')}
              </button>
            )
          ) : null}
          <Preview guide={data} />
        </>
      ) : null}
    </section>
  );
}

type MarkedKind = Exclude<(typeof STEP_KINDS)[number], 'step'>;

/** The step's kind as the tablet stores it; a kind this console does not know, or none (an older server), is a plain step. */
export function stepKind(step: Pick<GuideStep, 'kind'>): (typeof STEP_KINDS)[number] {
  return (STEP_KINDS as readonly unknown[]).includes(step.kind) ? (step.kind as (typeof STEP_KINDS)[number]) : 'step';
}

const KIND_ICONS = { tip: 'tip', warning: 'safety', practice: 'hand' } as const;

/** A tip, warning or practice step is marked as the tablet's viewer marks it: an icon and the kind's word (src/guides/Viewer.tsx). */
function StepKind(props: { kind: (typeof STEP_KINDS)[number] }) {
  const { t, language } = useConsoleT();
  if (props.kind === 'step') return null;
  const kind: MarkedKind = props.kind;
  return (
    <p class={`step-kind kind-${kind}`} data-kind={kind} lang={language}>
      <Icon name={KIND_ICONS[kind]} />
      {t(`guides.kinds.${kind}`)}
    </p>
  );
}

/** One step at a time, big picture and text, as the participant's viewer shows it; the guide's own language. */
function Preview(props: { guide: Guide }) {
  const { t, language } = useConsoleT();
  const [index, setIndex] = useState(0);
  const steps = props.guide.steps;
  const step = steps[Math.min(index, steps.length - 1)];
  return (
    <section class="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('guides.preview')}</h2>
      <div class="participant-view" lang={props.guide.lang}>
        <p class="guide-title">{props.guide.title}</p>
        {props.guide.summary ? <p>{props.guide.summary}</p> : null}
        {step ? (
          <div class="step" data-step={index + 1}>
            <p class="step-of" lang={language}>
              {t('guides.stepOf', { step: index + 1, total: steps.length })}
            </p>
            {step.pictureUrl ? <img src={step.pictureUrl} alt={step.alt ?? ''} /> : null}
            <StepKind kind={stepKind(step)} />
            <p class="step-text">{step.text}</p>
          </div>
        ) : (
          <p>{t('guides.noSteps')}</p>
        )}
      </div>
      {steps.length > 1 ? (
        <div class="button-row">
          <button type="button" class="button" disabled={index === 0} onClick={() => setIndex(index - 1)}>
            {t('guides.previous')}
          </button>
          <button type="button" class="button primary" disabled={index >= steps.length - 1} onClick={() => setIndex(index + 1)}>
            {t('guides.next')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
