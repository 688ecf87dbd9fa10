// Owns the tablets: last contact, app version, records waiting as the tablet last reported, refused changes and why,
// and revoking one (keeping or wiping its data) after the coordinator types the tablet's name to confirm.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { useConsoleT } from '../i18n';
import type { Site, Tablet, User } from '../types';
import { dateTime, ErrorNotice, formatNumber, Loading, Notice, PageTitle, useLoad } from '../ui';

/** The confirmation matches when the typed name is the tablet's name (spaces at the ends do not count). */
export function confirmsName(typed: string, name: string): boolean {
  return typed.trim() === name.trim() && name.trim() !== '';
}

export function TabletsScreen(_props: { user: User }) {
  const { t } = useConsoleT();
  const tablets = useLoad(() => api.get<Tablet[]>('/tablets'), []);
  const sites = useLoad(() => api.get<Site[]>('/sites'), []);
  const [revoking, setRevoking] = useState<Tablet>();
  const [done, setDone] = useState('');
  const siteName = (id: string) => sites.data?.find((site) => site.id === id)?.name ?? id;

  return (
    <section>
      <PageTitle>{t('tablets.title')}</PageTitle>
      <p>{t('tablets.intro')}</p>
      {done ? <Notice>{done}</Notice> : null}
      <ErrorNotice error={tablets.error ?? sites.error} />
      {tablets.loading && !tablets.data ? <Loading /> : null}
      {tablets.data && tablets.data.length === 0 ? <p>{t('tablets.none')}</p> : null}
      {tablets.data && tablets.data.length > 0 ? (
        <ul class="cards" aria-label={t('tablets.listLabel')}>
          {tablets.data.map((tablet) => (
            <li class="card" key={tablet.id} data-tablet={tablet.id}>
              <h2>{tablet.name}</h2>
              <dl class="facts">
                <div>
                  <dt>{t('tablets.site')}</dt>
                  <dd>{siteName(tablet.siteId)}</dd>
                </div>
                <div>
                  <dt>{t('tablets.state')}</dt>
                  <dd data-state={tablet.revokedAt === null ? 'active' : tablet.wipeRequested ? 'wiped' : 'revoked'}>
                    {tablet.revokedAt === null
                      ? t('tablets.active')
                      : tablet.wipeRequested
                        ? t('tablets.revokedWipe', { when: dateTime(tablet.revokedAt) })
                        : t('tablets.revoked', { when: dateTime(tablet.revokedAt) })}
                  </dd>
                </div>
                <div>
                  <dt>{t('tablets.lastContact')}</dt>
                  <dd>{dateTime(tablet.lastContactAt)}</dd>
                </div>
                <div>
                  <dt>{t('tablets.appVersion')}</dt>
                  <dd>{tablet.appVersion ?? t('tablets.notReported')}</dd>
                </div>
                <div>
                  <dt>{t('tablets.waiting')}</dt>
                  <dd>
                    {tablet.waitingAsReported === null
                      ? t('tablets.notReported')
                      : t('tablets.waitingValue', { count: formatNumber(tablet.waitingAsReported), when: dateTime(tablet.waitingReportedAt) })}
                  </dd>
                </div>
                <div>
                  <dt>{t('tablets.enrolled')}</dt>
                  <dd>{dateTime(tablet.createdAt)}</dd>
                </div>
              </dl>
              {tablet.quarantined.length > 0 ? (
                <details class="refused">
                  <summary>{t('tablets.refused', { count: tablet.quarantined.length })}</summary>
                  <ul>
                    {tablet.quarantined.map((entry, index) => (
                      <li key={index}>
                        <span>{dateTime(entry.at)}</span> — <span lang="en">{entry.message || entry.reason}</span>
                      </li>
                    ))}
                  </ul>
                </details>
              ) : (
                <p class="hint">{t('tablets.noRefused')}</p>
              )}
              {tablet.revokedAt === null ? (
                <button type="button" class="button danger" onClick={() => setRevoking(tablet)}>
                  {t('tablets.revoke')}
                </button>
              ) : null}
              {revoking?.id === tablet.id ? (
                <RevokePanel
                  tablet={tablet}
                  onCancel={() => setRevoking(undefined)}
                  onDone={(wipe) => {
                    setRevoking(undefined);
                    setDone(wipe ? t('tablets.revokedWipeNotice', { name: tablet.name }) : t('tablets.revokedNotice', { name: tablet.name }));
                    tablets.reload();
                  }}
                />
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function RevokePanel(props: { tablet: Tablet; onCancel: () => void; onDone: (wipe: boolean) => void }) {
  const { t } = useConsoleT();
  const [wipe, setWipe] = useState(false);
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const id = `revoke-${props.tablet.id}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    const matches = confirmsName(typed, props.tablet.name);
    setProblem(!matches);
    setError(undefined);
    if (!matches) return;
    setBusy(true);
    try {
      await api.post(`/tablets/${encodeURIComponent(props.tablet.id)}/revoke`, { wipe, confirmName: typed.trim() });
      props.onDone(wipe);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <form class="panel confirm" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} tabIndex={-1} ref={heading}>
        {t('revoke.title', { name: props.tablet.name })}
      </h3>
      <p>{t('revoke.intro')}</p>
      <fieldset>
        <legend>{t('revoke.dataLegend')}</legend>
        <label class="choice">
          <input type="radio" name={`${id}-wipe`} checked={!wipe} onChange={() => setWipe(false)} />
          <span>{t('revoke.keep')}</span>
        </label>
        <label class="choice">
          <input type="radio" name={`${id}-wipe`} checked={wipe} onChange={() => setWipe(true)} />
          <span>{t('revoke.wipe')}</span>
        </label>
      </fieldset>
      <label for={`${id}-name`}>{t('revoke.typeName', { name: props.tablet.name })}</label>
      <input
        id={`${id}-name`}
        type="text"
        autocomplete="off"
        value={typed}
        aria-invalid={problem}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onInput={(event) => setTyped(event.currentTarget.value)}
      />
      {problem ? (
        <p id={`${id}-problem`} class="field-error" role="alert">
          {t('revoke.nameProblem', { name: props.tablet.name })}
        </p>
      ) : null}
      <div class="button-row">
        <button type="submit" class="button danger" disabled={busy}>
          {wipe ? t('revoke.confirmWipe', { name: props.tablet.name }) : t('revoke.confirm', { name: props.tablet.name })}
        </button>
        <button type="button" class="button" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
      <ErrorNotice error={error} />
    </form>
  );
}
