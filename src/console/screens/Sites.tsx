// Owns the sites: the list, creating and renaming one (coordinator), and making an enrolment code for a tablet with
// its link and a QR code to print or show (both roles, for a site they may see).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { useConsoleT } from '../i18n';
import { QrCode } from '../qr';
import type { EnrolmentCode, Site, User } from '../types';
import { dateTime, ErrorNotice, Loading, Notice, PageTitle, useLoad } from '../ui';

export const MAX_SITE_NAME = 100;

/** The name as it will be saved, or undefined when it cannot be one (empty, or longer than 100 characters). */
export function siteName(input: string): string | undefined {
  const name = input.trim().replace(/\s+/g, ' ');
  return name.length >= 1 && [...name].length <= MAX_SITE_NAME ? name : undefined;
}

export function SitesScreen(props: { user: User }) {
  const { t } = useConsoleT();
  const sites = useLoad(() => api.get<Site[]>('/sites'), []);
  const coordinator = props.user.role === 'coordinator';
  const [code, setCode] = useState<{ site: Site; code: EnrolmentCode }>();
  const [renaming, setRenaming] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState('');

  const makeCode = async (site: Site) => {
    setError(undefined);
    setDone('');
    try {
      setCode({ site, code: await api.post<EnrolmentCode>(`/sites/${encodeURIComponent(site.id)}/enrolment-codes`, {}) });
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section>
      <div>
        <PageTitle>{t('sites.title')}</PageTitle>
        <p>{t('sites.intro')}</p>
        {done ? <Notice>{done}</Notice> : null}
        <ErrorNotice error={error ?? sites.error} />
        {sites.loading && !sites.data ? <Loading /> : null}
        {sites.data ? (
          sites.data.length === 0 ? (
            <p>{t('sites.none')}</p>
          ) : (
            <ul class="cards" aria-label={t('sites.listLabel')}>
              {sites.data.map((site) => (
                <li class="card" key={site.id} data-site={site.id}>
                  <h2>{site.name}</h2>
                  <p>{t('sites.tablets', { count: site.tablets })}</p>
                  <p class="hint">{t('sites.created', { when: dateTime(site.createdAt) })}</p>
                  {code?.site.id === site.id ? <EnrolmentPanel site={code.site} code={code.code} onClose={() => setCode(undefined)} /> : null}
                  {renaming === site.id ? (
                    <SiteNameForm
                      id={`rename-${site.id}`}
                      label={t('sites.newName')}
                      submit={t('sites.saveName')}
                      initial={site.name}
                      onCancel={() => setRenaming(undefined)}
                      onSave={async (name) => {
                        await api.patch<Site>(`/sites/${encodeURIComponent(site.id)}`, { name });
                        setRenaming(undefined);
                        setDone(t('sites.renamed', { name }));
                        sites.reload();
                      }}
                    />
                  ) : (
                    <div class="button-row">
                      <button type="button" class="button primary" onClick={() => void makeCode(site)}>
                        {t('sites.makeCode')}
                      </button>
                      {coordinator ? (
                        <button type="button" class="button" onClick={() => setRenaming(site.id)}>
                          {t('sites.rename')}
                        </button>
                      ) : null}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )
        ) : null}
        {coordinator ? (
          <section class="panel" aria-labelledby="new-site-title">
            <h2 id="new-site-title">{t('sites.newTitle')}</h2>
            <SiteNameForm
              id="new-site"
              label={t('sites.name')}
              submit={t('sites.create')}
              initial=""
              onSave={async (name) => {
                await api.post<Site>('/sites', { name });
                setDone(t('sites.createdNotice', { name }));
                sites.reload();
              }}
            />
          </section>
        ) : null}
      </div>
    </section>
  );
}

function SiteNameForm(props: { id: string; label: string; submit: string; initial: string; onSave: (name: string) => Promise<void>; onCancel?: () => void }) {
  const { t } = useConsoleT();
  const [value, setValue] = useState(props.initial);
  const [problem, setProblem] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const name = siteName(value);
    setProblem(!name);
    setError(undefined);
    if (!name) return;
    setBusy(true);
    try {
      await props.onSave(name);
      setValue(props.initial);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form inline-form" onSubmit={(event) => void submit(event)} noValidate>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="text"
        maxLength={MAX_SITE_NAME}
        value={value}
        aria-invalid={problem}
        aria-describedby={problem ? `${props.id}-problem` : undefined}
        onInput={(event) => setValue(event.currentTarget.value)}
      />
      {problem ? (
        <p id={`${props.id}-problem`} class="field-error" role="alert">
          {t('sites.nameProblem', { max: MAX_SITE_NAME })}
        </p>
      ) : null}
      <div class="button-row">
        <button type="submit" class="button primary" disabled={busy}>
          {props.submit}
        </button>
        {props.onCancel ? (
          <button type="button" class="button" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
      </div>
      <ErrorNotice error={error} />
    </form>
  );
}

function EnrolmentPanel(props: { site: Site; code: EnrolmentCode; onClose: () => void }) {
  const { t } = useConsoleT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [props.code.code]);
  return (
    <section class="panel enrolment printable" aria-labelledby="enrolment-title" data-code={props.code.code}>
      <h2 id="enrolment-title" tabIndex={-1} ref={heading}>
        {t('enrolment.title', { site: props.site.name })}
      </h2>
      <p>{t('enrolment.scan')}</p>
      <QrCode text={props.code.link} label={t('enrolment.qrLabel', { site: props.site.name })} />
      <p>{t('enrolment.typeCode')}</p>
      <p class="enrolment-code" id="enrolment-code">
        {props.code.code}
      </p>
      <p>
        {t('enrolment.link')} <code class="enrolment-link">{props.code.link}</code>
      </p>
      <p>{t('enrolment.expires', { when: dateTime(props.code.expiresAt) })}</p>
      <p class="hint">{t('enrolment.oneTablet')}</p>
      <div class="button-row no-print">
        <button type="button" class="button primary" onClick={() => window.print()}>
          {t('enrolment.print')}
        </button>
        <button type="button" class="button" onClick={props.onClose}>
          {t('common.close')}
        </button>
      </div>
    </section>
  );
}
