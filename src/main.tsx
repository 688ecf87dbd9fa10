// Entry: render the shell at once from the settings' synchronous mirror (the first paint never waits for IndexedDB),
// then register the service worker, open the database, load the built-in guides and start sync, off the first paint.
import { render } from 'preact';
import './app/styles.css';
import { App } from './app/App';
import { watchNetwork } from './app/network';
import { startParticipantIdle } from './app/participant-idle';
import { startRouter } from './ui/router';
import { applyTextSize, textSize } from './app/text-size';
import { registerServiceWorker } from './app/update';
import { readLocal } from './db/device-local';
import { loadDeviceSettings, mirrorDeviceSettings, mirroredDeviceSettings } from './db/device-settings';
import { requestPersistentStorage } from './db/storage';
import { REMOTE_WIPE_EVENT } from './sync/events';
import { changeLanguage, currentLanguage, initI18n, isLanguage } from './i18n';
import { STARTED_MARK } from './app/started';

const mirrored = mirroredDeviceSettings();
const firstLanguage = isLanguage(mirrored.language) ? mirrored.language : 'fi';
applyTextSize(mirrored.textSize);
await initI18n(firstLanguage);
startRouter();
watchNetwork();
startParticipantIdle();
render(<App />, document.getElementById('app')!);

// IndexedDB holds the settings; the mirror only lags when it was never written (an update from an older app) or lost.
loadDeviceSettings()
  .then(async (stored) => {
    mirrorDeviceSettings(stored);
    if (textSize.get() === mirrored.textSize && stored.textSize !== mirrored.textSize) applyTextSize(stored.textSize);
    const language = isLanguage(stored.language) ? stored.language : 'fi';
    if (currentLanguage() === firstLanguage && language !== firstLanguage) await changeLanguage(language);
  })
  .catch((error: unknown) => console.error('the saved device settings did not load; the mirrored ones stay', error));

/** Runs work after the first frame is on screen, when the browser is idle (or within a second at the latest). */
function afterFirstPaint(work: () => void): void {
  requestAnimationFrame(() => setTimeout(() => ('requestIdleCallback' in window ? requestIdleCallback(work, { timeout: 1000 }) : work()), 0));
}

afterFirstPaint(() => {
  if (import.meta.env.PROD) registerServiceWorker();
  void requestPersistentStorage(); // never rejects: a browser that refuses or fails is an answer (false)
  // The database code loads here, not before the first frame (the home reads its guides through lazy queries).
  Promise.all([import('./db/db'), import('./guides/builtin-off-thread')])
    .then(async ([{ db }, { loadBuiltinGuides }]) => {
      await db().open(); // creates or upgrades the database before any screen needs it
      await loadBuiltinGuides(); // in a worker when they need loading: the first screen stays responsive
      // An enrolled tablet syncs in the background; the sync code loads only then, after the first screen.
      if (await readLocal(db(), 'enrolment')) await import('./sync/runtime').then((sync) => sync.startSync());
    })
    .catch((error: unknown) => console.error('the database, the built-in guides or the background sync did not start', error))
    // A mark in the browser's timeline, not in the UI: benchmarks and engine tests see when the start-up work is over.
    .finally(() => performance.mark(STARTED_MARK));
});

// A lost tablet that the administrator revoked with a wipe erases itself at its next contact.
window.addEventListener(REMOTE_WIPE_EVENT, () => {
  import('./lock/wipe')
    .then((lock) => lock.wipeTablet())
    .catch((error: unknown) => console.error('the remote wipe failed', error))
    .finally(() => window.location.assign('/'));
});
