// Restoring a backup file (site admin only): choose the file, give the passphrase, see what came back — or a clear
// reason and no change. The profiles that came back are listed: they have no PIN until the admin gives them one.
import { useState } from 'preact/hooks';
import { useT } from '../i18n';
import { useSubmit } from '../ui/use-submit';
import { BackupError, restoreBackup } from './backup';
import { ProfileError } from './profiles';
import { Field, Message } from './ui';

export function RestoreBackup() {
  const { t } = useT();
  const [file, setFile] = useState<File>();
  const [passphrase, setPassphrase] = useState('');
  const restoring = useSubmit<{ text: string; profiles: string[] }>({
    describe: (problem) =>
      problem instanceof ProfileError
        ? t('lock.problems.notAllowed')
        : problem instanceof BackupError && problem.code in { damaged: 1, wrongPassphrase: 1, newerVersion: 1 }
          ? t(`lock.backup.${problem.code as 'damaged' | 'wrongPassphrase' | 'newerVersion'}`)
          : t('lock.backup.failed'),
  });
  const { busy, error, done } = restoring;

  const submit = (event: Event) => {
    event.preventDefault();
    if (!file) return restoring.refuse(t('lock.backup.noFile'));
    return restoring.run(async () => {
      const { counts, profiles } = await restoreBackup(await file.text(), passphrase);
      setPassphrase('');
      return {
        text: t('lock.backup.restored', { sessions: counts.sessions, feedback: counts.feedback, guides: counts.guides, profiles: counts.profiles }),
        profiles,
      };
    });
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
