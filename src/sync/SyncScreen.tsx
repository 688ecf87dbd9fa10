// The instructor's sync screen: join the tablet to a site with a code, see what waits and what went wrong, sync now.
import { syncTone } from './status-tone';
import { useEffect, useState } from 'preact/hooks';
import { location } from '../ui/router';
import { useObservable } from '../ui/use-observable';
import { db } from '../db/db';
import { useLiveQuery } from '../db/live';
import { forgetEnrolment, readEnrolment } from '../db/sync';
import { useT } from '../i18n';
import { useSubmit } from '../ui/use-submit';
import { useFailed } from '../ui/use-failed';
import { ConfirmBox } from '../ui/ConfirmBox';
import { protectStoredNotes } from '../sessions/notes';
import { enrolmentCodeFromLink } from './enrol-link';
import { enrol, EnrolmentError } from './engine';
import { resetSyncStatus, startSync, syncNow, syncStatus } from './runtime';
import { HeldBackChanges } from './HeldBackChanges';
import { RefusedChanges } from './RefusedChanges';
import { RepairedRecords } from './RepairedRecords';
import './sync.css';

type EnrolError = 'codeMissing' | 'nameMissing' | 'serverInvalid' | EnrolmentError['code'];

function validServer(address: string): boolean {
  try {
    return ['https:', 'http:'].includes(new URL(address).protocol);
  } catch {
    return false;
  }
}

function EnrolForm() {
  const { t } = useT();
  const { search } = useObservable(location);
  const [code, setCode] = useState(() => enrolmentCodeFromLink(search.toString(), window.location.hash));
  const [server, setServer] = useState(window.location.origin);
  const [name, setName] = useState('');
  const enrolling = useSubmit<void, EnrolError>({ describe: (failure) => (failure instanceof EnrolmentError ? failure.code : 'server-error') });
  const { busy, error } = enrolling;
  const submit = (event: Event) => {
    event.preventDefault();
    const problem: EnrolError | undefined = !code.trim()
      ? 'codeMissing'
      : !name.trim()
        ? 'nameMissing'
        : !validServer(server.trim())
          ? 'serverInvalid'
          : undefined;
    if (problem) return enrolling.refuse(problem);
    return enrolling.run(async () => {
      await enrol(db(), { serverUrl: server.trim(), code: code.trim(), deviceName: name.trim() });
      await protectStoredNotes(); // notes written before the enrolment are sealed to the organisation's key now, before the first push
      await startSync();
    });
  };
  return (
    <form class="card sync-form" onSubmit={submit} noValidate>
      <h2>{t('sync.enrolTitle')}</h2>
      <label for="enrol-code">{t('sync.code')}</label>
      <input
        id="enrol-code"
        value={code}
        autocomplete="off"
        autocapitalize="characters"
        spellcheck={false}
        aria-describedby="enrol-code-help"
        onInput={(e) => setCode(e.currentTarget.value)}
      />
      <p id="enrol-code-help" class="help">
        {t('sync.codeHelp')}
      </p>
      <label for="enrol-name">{t('sync.deviceName')}</label>
      <input id="enrol-name" value={name} autocomplete="off" aria-describedby="enrol-name-help" onInput={(e) => setName(e.currentTarget.value)} />
      <p id="enrol-name-help" class="help">
        {t('sync.deviceNameHelp')}
      </p>
      <label for="enrol-server">{t('sync.server')}</label>
      <input id="enrol-server" type="url" value={server} autocomplete="off" spellcheck={false} onInput={(e) => setServer(e.currentTarget.value)} />
      {error && (
        <p class="form-error" role="alert">
          {t(`sync.errors.${error}`)}
        </p>
      )}
      <button type="submit" class="button primary" disabled={busy}>
        {busy ? t('sync.enrolling') : t('sync.enrol')}
      </button>
    </form>
  );
}

function Status() {
  const { t, language } = useT();
  const status = useObservable(syncStatus);
  const enrolment = useLiveQuery(() => readEnrolment(db()), []);
  const [confirmLeave, setConfirmLeave] = useState(false);
  if (!enrolment) return null;
  const when = status.lastSyncAt ? new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(status.lastSyncAt) : undefined;
  return (
    <section class="card sync-status" aria-labelledby="sync-status-title">
      <h2 id="sync-status-title">{t('sync.status')}</h2>
      <p>
        <strong>{t('sync.joined', { org: enrolment.orgName, site: enrolment.siteName })}</strong>
      </p>
      <p>{t('sync.device', { name: enrolment.deviceName })}</p>
      <p data-testid="last-sync">{when ? t('sync.lastSync', { when }) : t('sync.neverSynced')}</p>
      <p data-testid="pending">{status.pending > 0 ? t('sync.pending', { count: status.pending }) : t('sync.nothingPending')}</p>
      <RefusedChanges count={status.lastQuarantined} reasons={status.lastRefusedBecause} />
      <RepairedRecords count={status.lastRepaired} />
      <div aria-live="polite">
        {status.running && <p>{t('sync.running')}</p>}
        {!status.running && status.problem && (
          <p
            class={syncTone(status.problem) === 'calm' ? 'sync-calm' : 'form-error'}
            role={syncTone(status.problem) === 'calm' ? 'status' : 'alert'}
            data-testid="sync-problem"
          >
            {t(`sync.problems.${status.problem.code}`)}
          </p>
        )}
      </div>
      <div class="button-row">
        <button type="button" class="button primary" disabled={status.running} onClick={() => void syncNow() /* never rejects: a failed round is the status */}>
          {t('sync.syncNow')}
        </button>
        {!confirmLeave ? (
          <button type="button" class="button danger" onClick={() => setConfirmLeave(true)}>
            {t('sync.leave')}
          </button>
        ) : (
          <ConfirmBox
            id="leave-question"
            question={t('sync.leaveConfirm')}
            yes={t('sync.leaveYes')}
            cancel={t('sync.cancel')}
            onYes={async () => {
              await forgetEnrolment(db());
              resetSyncStatus();
              setConfirmLeave(false);
            }}
            onCancel={() => setConfirmLeave(false)}
          />
        )}
      </div>
    </section>
  );
}

export default function SyncScreen() {
  const { t } = useT();
  const enrolment = useLiveQuery(() => readEnrolment(db()).then((e) => e ?? null), []);
  const failed = useFailed();
  useEffect(() => {
    startSync().catch(failed);
  }, [failed]);
  return (
    <section class="screen sync" aria-labelledby="sync-title">
      <h1 id="sync-title">{t('sync.title')}</h1>
      <p>{t('sync.intro')}</p>
      {enrolment === undefined ? null : enrolment ? (
        <>
          <Status />
          <HeldBackChanges />
        </>
      ) : (
        <EnrolForm />
      )}
      <a class="button" href="/instructor">
        {t('nav.back')}
      </a>
    </section>
  );
}
