// "This tablet" (instructor area): idle lock minutes, what this browser lacks, how long synced logs stay, backup and
// restore, wipe.
import { useEffect, useState } from 'preact/hooks';
import { ChoiceGroup } from '../ui/ChoiceGroup';
import { db } from '../db/db';
import { profileById } from '../db/lock';
import { readStorageReport } from '../db/storage';
import { waitingChangeCount } from '../db/sync';
import { useT } from '../i18n';
import { useSubmit } from '../ui/use-submit';
import { backupFileName, BackupError, exportBackup } from './backup';
import { IDLE_CHOICES, setIdleMinutes } from './mode';
import { RestoreBackup } from './RestoreBackup';
import { applyRetention, RETENTION_CHOICES } from './retention';
import { loadLockSettings, saveIdleMinutes, saveRetentionMonths, type LockSettings } from './settings';
import { Field, Message } from './ui';
import { wipeTabletAsAdmin } from './wipe';
import { useObservable } from '../ui/use-observable';
import { mode } from './mode';
import { downloadFile } from '../ui/download';
import { DeviceInfo } from './DeviceInfo';
import { useFailed } from '../ui/use-failed';

function LockSettingsCard() {
  const { t } = useT();
  const [settings, setSettings] = useState<LockSettings>();
  const [done, setDone] = useState<string>();
  const failed = useFailed();
  useEffect(() => {
    loadLockSettings().then(setSettings, failed);
  }, []);
  if (!settings) return null;
  const chooseIdle = async (minutes: string) => {
    const value = Number(minutes);
    await saveIdleMinutes(value);
    setIdleMinutes(value);
    setSettings({ ...settings, idleMinutes: value });
    setDone(t('lock.tablet.saved'));
  };
  const chooseRetention = async (months: string) => {
    const value = Number(months);
    await saveRetentionMonths(value);
    setSettings({ ...settings, retentionMonths: value });
    const removed = await applyRetention(value);
    setDone(removed > 0 ? t('lock.tablet.retentionDone', { count: removed }) : t('lock.tablet.saved'));
  };
  return (
    <>
      <section class="card" aria-labelledby="lock-title">
        <h2 id="lock-title">{t('lock.tablet.lockTitle')}</h2>
        <ChoiceGroup
          legend={t('lock.tablet.idle')}
          value={String(settings.idleMinutes)}
          choices={IDLE_CHOICES.map((count) => ({ value: String(count), label: t('lock.tablet.minutes', { count }) }))}
          onChoose={(value) => chooseIdle(value).catch(failed)}
        />
        <p>{t('lock.tablet.background')}</p>
      </section>
      <section class="card" aria-labelledby="retention-title">
        <h2 id="retention-title">{t('lock.tablet.retentionTitle')}</h2>
        <ChoiceGroup
          legend={t('lock.tablet.retention')}
          value={String(settings.retentionMonths)}
          choices={RETENTION_CHOICES.map((count) => ({ value: String(count), label: t('lock.tablet.months', { count }) }))}
          onChoose={(value) => chooseRetention(value).catch(failed)}
        />
        <p>{t('lock.tablet.retentionHelp')}</p>
      </section>
      <Message kind="done" text={done} />
    </>
  );
}

type BrowserGap = 'storage' | 'locks' | 'backgroundSync';

/**
 * What this browser does not offer that the app would use, each with what it means for the instructor. Safari on
 * iPads lacks the most: it may evict the data of a site not on the home screen, and it has no Background Sync.
 */
function BrowserLimits() {
  const { t } = useT();
  const [gaps, setGaps] = useState<BrowserGap[]>();
  const failed = useFailed();
  useEffect(() => {
    readStorageReport().then((storage) => {
      const missing: BrowserGap[] = [];
      if (!storage.persisted) missing.push('storage'); // no API, refused or not yet granted: the data may be evicted
      if (!('locks' in navigator)) missing.push('locks'); // sync falls back to a lease in localStorage
      if (!('SyncManager' in window)) missing.push('backgroundSync'); // the app syncs while it is open, everywhere
      setGaps(missing);
    }, failed);
  }, []);
  if (!gaps) return null;
  return (
    <section class="card" aria-labelledby="browser-title">
      <h2 id="browser-title">{t('lock.tablet.browser.title')}</h2>
      {gaps.length > 0 ? (
        <ul class="browser-limits">
          {gaps.map((gap) => (
            <li key={gap}>{t(`lock.tablet.browser.${gap}`)}</li>
          ))}
        </ul>
      ) : (
        <p>{t('lock.tablet.browser.allGood')}</p>
      )}
    </section>
  );
}

function download(text: string, name: string): void {
  downloadFile(new Blob([text], { type: 'application/json' }), name);
}

function ExportBackup() {
  const { t } = useT();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const exporting = useSubmit({
    describe: (problem) =>
      problem instanceof BackupError && (problem.code === 'passphraseShort' || problem.code === 'passphraseMismatch')
        ? t(`lock.backup.${problem.code}`)
        : t('app.error'),
  });
  const { busy, error, done } = exporting;
  const submit = (event: Event) => {
    event.preventDefault();
    return exporting.run(async () => {
      const now = Date.now();
      const { text, counts } = await exportBackup(passphrase, again, undefined, now);
      download(text, backupFileName(now));
      setPassphrase('');
      setAgain('');
      return t('lock.backup.exported', { sessions: counts.sessions, feedback: counts.feedback, profiles: counts.profiles });
    });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Field id="backup-passphrase" label={t('lock.backup.passphrase')} help={t('lock.backup.passphraseHelp')}>
        <input
          id="backup-passphrase"
          type="password"
          autoComplete="new-password"
          aria-describedby="backup-passphrase-help"
          value={passphrase}
          onInput={(event) => setPassphrase(event.currentTarget.value)}
        />
      </Field>
      <Field id="backup-passphrase-again" label={t('lock.backup.passphraseAgain')}>
        <input
          id="backup-passphrase-again"
          type="password"
          autoComplete="new-password"
          value={again}
          onInput={(event) => setAgain(event.currentTarget.value)}
        />
      </Field>
      <Message kind="error" text={error} />
      <Message kind="done" text={done} />
      <button class="button primary" type="submit" disabled={busy}>
        {busy ? t('lock.backup.exporting') : t('lock.backup.export')}
      </button>
    </form>
  );
}

function WipeTablet() {
  const { t } = useT();
  const [asking, setAsking] = useState(false);
  const [pending, setPending] = useState<number>();
  // Wiping ends in a reload: the buttons stay busy until the page is gone.
  const wiping = useSubmit({ describe: () => t('lock.wipe.failed'), leaves: true });
  const failed = useFailed();
  const { busy, error } = wiping;
  const ask = async () => {
    setPending(await waitingChangeCount(db()));
    setAsking(true);
  };
  // Never rejects: useSubmit's run shows a failure as the error above (the button drops its promise with void).
  const wipe = () =>
    wiping.run(async () => {
      await wipeTabletAsAdmin();
      window.location.replace('/'); // a fresh start: nothing of the old data stays in memory either
    });
  return (
    <section class="card" aria-labelledby="wipe-title">
      <h2 id="wipe-title">{t('lock.wipe.title')}</h2>
      <p>{t('lock.wipe.intro')}</p>
      <Message kind="error" text={error} />
      {!asking ? (
        <button type="button" class="button danger" onClick={() => ask().catch(failed)}>
          {t('lock.wipe.start')}
        </button>
      ) : (
        <div class="confirm-box" role="group" aria-labelledby="wipe-confirm-title">
          <h3 id="wipe-confirm-title">{t('lock.wipe.confirmTitle')}</h3>
          <p>{pending ? t('lock.wipe.pending', { count: pending }) : t('lock.wipe.nothingPending')}</p>
          <div class="button-row">
            <button type="button" class="button danger" disabled={busy} onClick={() => void wipe()}>
              {busy ? t('lock.wipe.wiping') : t('lock.wipe.confirm')}
            </button>
            <button type="button" class="button" disabled={busy} onClick={() => setAsking(false)}>
              {t('lock.wipe.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** Whether the unlocked profile is a site admin (undefined while it is being read). */
function useIsAdmin(): boolean | undefined {
  const current = useObservable(mode);
  const profileId = current.kind === 'instructor' ? current.profileId : undefined;
  const [admin, setAdmin] = useState<boolean>();
  const failed = useFailed();
  useEffect(() => {
    if (profileId === undefined) return setAdmin(false);
    profileById(profileId).then((profile) => setAdmin(profile?.role === 'admin'), failed);
  }, [profileId]);
  return admin;
}

export default function TabletSettingsScreen(_: { params: Record<string, string> }) {
  const { t } = useT();
  const admin = useIsAdmin();
  return (
    <section class="screen" aria-labelledby="tablet-title">
      <h1 id="tablet-title">{t('lock.tablet.title')}</h1>
      <LockSettingsCard />
      <BrowserLimits />
      {admin === false && (
        <section class="card" aria-labelledby="admin-only-title">
          <h2 id="admin-only-title">{t('lock.tablet.adminOnlyTitle')}</h2>
          <p>{t('lock.tablet.adminOnly')}</p>
        </section>
      )}
      {admin && (
        <>
          <section class="card" aria-labelledby="backup-title">
            <h2 id="backup-title">{t('lock.backup.title')}</h2>
            <p>{t('lock.backup.intro')}</p>
            <ExportBackup />
          </section>
          <section class="card">
            <RestoreBackup />
          </section>
        </>
      )}
      <DeviceInfo />
      {admin && <WipeTablet />}
    </section>
  );
}
