// Errors that used to disappear: a failed live query left its screen on "Loading" for ever, a failed query on the
// participant home left it half drawn, and a screen that threw left a blank page. Each area now shows a plain-words
// screen, announced at once, with a way to try again and a way back to the area's start.
import type { ComponentChildren } from 'preact';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { IDBFactory } from 'fake-indexeddb';
import { useEffect, useState } from 'preact/hooks';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../src/app/App';
import { location, navigate, startRouter } from '../../../src/ui/router';
import { lazyScreen } from '../../../src/ui/lazy';
import { useObservable } from '../../../src/ui/use-observable';
import { DigitukiDB, replaceDatabase } from '../../../src/db/db';
import { useLiveQuery } from '../../../src/db/live';
import { changeLanguage } from '../../../src/i18n';
import SessionListScreen from '../../../src/sessions/SessionListScreen';
import SessionLogScreen from '../../../src/sessions/SessionLogScreen';
import SyncStatusLine from '../../../src/sync/SyncStatusLine';
import { useFailed } from '../../../src/ui/use-failed';
import { ErrorBoundary } from '../../../src/ui/ErrorBoundary';

const WORDS = { title: 'Something went wrong', text: 'This screen could not be shown.', retry: 'Try again', back: 'Back to the start' };

/** A real database whose every read fails in IndexedDB, as when the browser reports an internal error. */
function databaseThatCannotRead(): DigitukiDB {
  const broken = new DigitukiDB('digituki-error-surfaces-broken', { indexedDB: new IDBFactory() });
  broken.use({
    stack: 'dbcore',
    name: 'reads-fail',
    create: (down) => ({
      ...down,
      table: (name) => {
        const fail = () => Promise.reject(new DOMException('Internal error.', 'UnknownError'));
        return { ...down.table(name), get: fail, getMany: fail, query: fail, openCursor: fail, count: fail };
      },
    }),
  });
  return broken;
}

/**
 * Draws a screen of the instructor area over a database that cannot read, waits for the boundary's plain error, and
 * returns the rejections nobody handled meanwhile (none when the failure went to the boundary).
 */
async function showsErrorScreenOverBrokenDatabase(content: ComponentChildren, resetKey: string): Promise<unknown[]> {
  replaceDatabase(databaseThatCannotRead());
  const unhandled: unknown[] = [];
  const collect = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', collect);
  try {
    render(
      <ErrorBoundary words={WORDS} backHref="/instructor" resetKey={resetKey}>
        {content}
      </ErrorBoundary>,
    );
    expect((await screen.findByRole('alert')).textContent).toBe(WORDS.text);
  } finally {
    process.off('unhandledRejection', collect);
  }
  return unhandled;
}

let database: DigitukiDB;
beforeAll(() => startRouter());
beforeEach(async () => {
  await changeLanguage('fi');
  database = new DigitukiDB('digituki-error-surfaces', { indexedDB: new IDBFactory() });
  replaceDatabase(database);
  vi.spyOn(console, 'error').mockImplementation(() => undefined); // the boundary logs what it caught; keep the output clean
});

describe('a live query that fails', () => {
  it('shows the instructor area its error in plain words, not "Loading" for ever', async () => {
    replaceDatabase(databaseThatCannotRead());
    render(
      <ErrorBoundary words={WORDS} backHref="/instructor" resetKey="/instructor/sessions">
        <SessionListScreen params={{}} />
      </ErrorBoundary>,
    );
    expect((await screen.findByRole('alert')).textContent).toBe(WORDS.text);
    expect(screen.queryByText('Ladataan…')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: WORDS.title }))); // announced at once
  });

  it('resubscribes on "Try again": the screen comes back once the data can be read', async () => {
    let fail = true;
    function Count() {
      const count = useLiveQuery(() => (fail ? Promise.reject(new Error('cut off')) : database.sessions.count()), []);
      return count === undefined ? <p>Ladataan…</p> : <p>{`${count} logs`}</p>;
    }
    render(
      <ErrorBoundary words={WORDS} backHref="/instructor" resetKey="/instructor">
        <Count />
      </ErrorBoundary>,
    );
    await screen.findByRole('alert');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: WORDS.retry }));
    expect(await screen.findByText('0 logs')).toBeTruthy();
  });
});

describe("a screen's own load that fails", () => {
  it('shows the error screen when a saved log cannot be read, instead of an empty form for ever', async () => {
    const unhandled = await showsErrorScreenOverBrokenDatabase(<SessionLogScreen params={{ id: 'log-1' }} />, '/instructor/sessions/log-1');
    expect(screen.getByRole('heading', { level: 1, name: WORDS.title })).toBeTruthy();
    expect(unhandled).toEqual([]); // handed to the boundary, not dropped
  });

  it('hands any rejection given to useFailed to the boundary, and "Try again" draws the screen afresh', async () => {
    let attempt = 0;
    function Loads() {
      const failed = useFailed();
      const [text, setText] = useState<string>();
      useEffect(() => {
        attempt += 1;
        (attempt === 1 ? Promise.reject(new Error('cut off')) : Promise.resolve('loaded')).then(setText, failed);
      }, []);
      return <p>{text ?? 'Ladataan…'}</p>;
    }
    render(
      <ErrorBoundary words={WORDS} backHref="/instructor" resetKey="/instructor">
        <Loads />
      </ErrorBoundary>,
    );
    await screen.findByRole('alert');
    fireEvent.click(screen.getByRole('button', { name: WORDS.retry }));
    expect(await screen.findByText('loaded')).toBeTruthy();
  });
  it("shows the error screen when the sync status line cannot read the tablet's enrolment, not a line that never changes", async () => {
    expect(await showsErrorScreenOverBrokenDatabase(<SyncStatusLine />, '/instructor')).toEqual([]);
  });
});

describe('screen code that does not load', () => {
  it('shows the error screen instead of a dead end, and loads again on "Try again"', async () => {
    let tries = 0;
    const Lazy = lazyScreen(async () => {
      tries += 1;
      if (tries === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return { default: () => <h1>Loaded</h1> };
    });
    render(
      <ErrorBoundary words={WORDS} backHref="/" resetKey="/settings">
        <Lazy />
      </ErrorBoundary>,
    );
    expect((await screen.findByRole('alert')).textContent).toBe(WORDS.text);
    fireEvent.click(screen.getByRole('button', { name: WORDS.retry }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Loaded' })).toBeTruthy();
  });
});

describe('the participant home', () => {
  it('shows the plain error with its way back when its guide query fails, and the guides after "Try again"', async () => {
    navigate('/');
    replaceDatabase(databaseThatCannotRead());
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Tätä sivua ei voitu näyttää. Tallennetut tiedot ovat tallessa. Yritä uudelleen tai palaa alkuun.',
    );
    expect(screen.getByRole('link', { name: 'Palaa etusivulle' }).getAttribute('href')).toBe('/');
    replaceDatabase(database); // the browser can read again
    fireEvent.click(screen.getByRole('button', { name: 'Yritä uudelleen' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Mitä haluat oppia?' })).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });
});

describe('a screen that throws while it is drawn', () => {
  function Area() {
    const { path } = useObservable(location);
    return (
      <ErrorBoundary words={WORDS} backHref="/" resetKey={path}>
        <Screen path={path} />
      </ErrorBoundary>
    );
  }
  function Screen({ path }: { path: string }) {
    if (path === '/broken') throw new TypeError('a bug');
    return <h1>Start</h1>;
  }

  it('shows the boundary screen, whose way back leads to the area start', async () => {
    navigate('/broken');
    render(<Area />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(WORDS.title);
    expect(screen.getByRole('alert').textContent).toBe(WORDS.text);
    fireEvent.click(screen.getByRole('link', { name: WORDS.back }));
    expect(window.location.pathname).toBe('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Start' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('leaves the error screen when the address changes another way (the menu, the back button)', async () => {
    navigate('/broken');
    render(<Area />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(WORDS.title);
    navigate('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Start' })).toBeTruthy();
  });
});
