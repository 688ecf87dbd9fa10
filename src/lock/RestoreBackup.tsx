// Restoring a backup file (site admin only): choose the file, give the passphrase, see what came back — or a clear
// reason and no change. The profiles that came back are listed: they have no PIN until the admin gives them one.
import { useState } from 'preact/hooks';
import { useT } from '../i18n';
import { BackupError, restoreBackup } from './backup';
import { ProfileError } from './profiles';
import { Field, Message } from './ui';

export function RestoreBackup() {
  const { t } = useT();
  const [file, setFile] = useState<File>();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<{ text: string; profiles: string[] }>();

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setDone(undefined);
    if (!file) return setError(t('lock.backup.noFile'));
    setBusy(true);
    try {
      const { counts, profiles } = await restoreBackup(await file.text(), passphrase);
      setDone({ text: t('lock.backup.restored', { sessions: counts.sessions, feedback: counts.feedback, guides: counts.guides, profiles: counts.profiles }), profiles });
      setPassphrase('');
    } catch (problem) {
      setError(problem instanceof ProfileError ? t('lock.problems.notAllowed') : problem instanceof BackupError && problem.problem in { damaged: 1, wrongPassphrase: 1, newerVersion: 1 } ? t(`lock.backup.${problem.problem as 'damaged' | 'wrongPassphrase' | 'newerVersion'}`) : t('lock.backup.failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="restore-title">
      <h2 id="restore-title">{t('lock.backup.restoreTitle')}</h2>
      <p>{t('lock.backup.restoreIntro')}</p>
      <Field id="restore-file" label={t('lock.backup.file')}>
        <input id="restore-file" type="file" accept=".digituki,application/json" onChange={(event) => setFile(event.currentTarget.files?.[0])} />
      </Field>
      <Field id="restore-passphrase" label={t('lock.backup.restorePassphrase')}>
        <input id="restore-passphrase" type="password" autoComplete="off" value={passphrase} onInput={(event) => setPassphrase(event.currentTarget.value)} />
      </Field>
      <Message kind="error" text={error} />
      {done && (
        <div class="lock-message is-done" role="status">
          <p>{done.text}</p>
          {done.profiles.length > 0 && (
            <>
              <p>{t('lock.backup.restoredProfiles')}</p>
              <ul data-testid="restored-profiles">
                {done.profiles.map((name) => (
                  <li key={name}>{name}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <button class="button" type="submit" disabled={busy}>
        {busy ? t('lock.backup.restoring') : t('lock.backup.restore')}
      </button>
    </form>
  );
}
