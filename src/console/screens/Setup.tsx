// Owns the one-time set-up link (/console/#setup=<token>): the new account chooses its password and is logged in.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { useConsoleT } from '../i18n';
import type { Me } from '../types';
import { ErrorNotice, PageTitle } from '../ui';

export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 256;

export type PasswordProblem = 'tooShort' | 'tooLong' | 'different';

/** What is wrong with a new password and its repetition, or undefined (the server checks the length again). */
export function passwordProblem(password: string, again: string): PasswordProblem | undefined {
  if ([...password].length < MIN_PASSWORD) return 'tooShort';
  if ([...password].length > MAX_PASSWORD) return 'tooLong';
  if (password !== again) return 'different';
  return undefined;
}

export function SetupScreen(props: { token: string; onDone: (me: Me) => void }) {
  const { t } = useConsoleT();
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<PasswordProblem>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = passwordProblem(password, again);
    setProblem(found);
    setError(undefined);
    if (found) return;
    setBusy(true);
    try {
      props.onDone(await api.post<Me>('/setup', { token: props.token, password }));
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <section class="narrow">
      <PageTitle>{t('setup.title')}</PageTitle>
      <p>{t('setup.intro', { min: MIN_PASSWORD })}</p>
      <form class="form" onSubmit={(event) => void submit(event)} noValidate>
        <NewPassword
          id="setup-password"
          label={t('setup.password')}
          problemShown={!!problem}
          invalid={problem === 'tooShort' || problem === 'tooLong'}
          value={password}
          onInput={setPassword}
        />
        <NewPassword id="setup-again" label={t('setup.again')} problemShown={!!problem} invalid={problem === 'different'} value={again} onInput={setAgain} />
        {problem ? (
          <p id="setup-problem" class="field-error" role="alert">
            {t(`setup.problems.${problem}`, { min: MIN_PASSWORD, max: MAX_PASSWORD })}
          </p>
        ) : null}
        <button type="submit" class="button primary" disabled={busy}>
          {t('setup.submit')}
        </button>
      </form>
      <ErrorNotice error={error} />
    </section>
  );
}

/** One new-password field with its label; the form's problem line describes both. */
function NewPassword(props: { id: string; label: string; problemShown: boolean; invalid: boolean; value: string; onInput: (value: string) => void }) {
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="password"
        autocomplete="new-password"
        aria-describedby={props.problemShown ? 'setup-problem' : undefined}
        aria-invalid={props.invalid}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </>
  );
}
