// Owns the console's small shared pieces: the page heading that takes focus, error notices in the coordinator's
// language, loading data for a screen, and dates and times in Helsinki time.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { consoleLanguage, ct, useConsoleT, type ConsoleKey } from './i18n';

/** The screen's heading; focused when the screen opens, so a screen reader starts at the new screen. */
export function PageTitle(props: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {props.children}
    </h1>
  );
}

/** The coordinator's words for an error: what happened in general, and the server's reason where it gave one. */
export function errorWords(error: unknown): { headline: string; detail?: string } {
  if (!(error instanceof ApiError)) return { headline: ct('errors.unexpected') };
  const byStatus: Record<number, ConsoleKey> = {
    0: 'errors.network',
    400: 'errors.badRequest',
    401: 'errors.signedOut',
    403: 'errors.forbidden',
    404: 'errors.notFound',
    409: 'errors.conflict',
    413: 'errors.badRequest',
    415: 'errors.badRequest',
    429: 'errors.rateLimited',
  };
  if (error.code === 'login_failed') return { headline: ct('errors.loginFailed') };
  if (error.code === 'setup_invalid') return { headline: ct('errors.setupInvalid') };
  if (error.code === 'csrf') return { headline: ct('errors.csrf') };
  const key = byStatus[error.status] ?? 'errors.server';
  // The server's sentence is English; it is shown as the reason in an English console and for a refused form.
  const detail = error.message && (error.status === 400 || error.status === 409 || consoleLanguage() === 'en') ? error.message : undefined;
  return { headline: ct(key), detail };
}

export function ErrorNotice(props: { error: unknown }) {
  useConsoleT();
  if (!props.error) return null;
  const words = errorWords(props.error);
  return (
    <div class="notice error" role="alert">
      <p>{words.headline}</p>
      {words.detail ? (
        <p class="detail" lang="en">
          {words.detail}
        </p>
      ) : null}
    </div>
  );
}

export function Notice(props: { children: ComponentChildren }) {
  return (
    <div class="notice ok" role="status">
      {props.children}
    </div>
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads a screen's data; `reload` fetches again (after a change). A 401 sends the coordinator back to log in. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        if (!current) return;
        if (error instanceof ApiError && error.status === 401) window.dispatchEvent(new Event('console-signed-out'));
        setState({ data: undefined, error, loading: false });
      },
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return { ...state, reload };
}

export function Loading() {
  const { t } = useConsoleT();
  return (
    <p class="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' } as const;

/** A date and time in Helsinki time, in the console's language; "–" for never. */
export function dateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return ct('common.never');
  return new Intl.DateTimeFormat(LOCALES[consoleLanguage()], { timeZone: 'Europe/Helsinki', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

/** A month (YYYY-MM) as words: "tammikuu 2026". */
export function monthName(month: string): string {
  const [year, mon] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(LOCALES[consoleLanguage()], { timeZone: 'UTC', year: 'numeric', month: 'long' }).format(
    new Date(Date.UTC(year ?? 1970, (mon ?? 1) - 1, 15)),
  );
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(LOCALES[consoleLanguage()]).format(value);
}
