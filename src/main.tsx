// Entry: read the tablet's settings, start i18n, render the shell, then register the service worker.
import { render } from 'preact';
import './app/styles.css';
import { App } from './app/App';
import { watchNetwork } from './app/network';
import { startParticipantIdle } from './app/participant-idle';
import { startRouter } from './app/router';
import { applyTextSize } from './app/text-size';
import { registerServiceWorker } from './app/update';
import { loadDeviceSettings } from './db/device-settings';
import { requestPersistentStorage } from './db/storage';
import { db } from './db/db';
import { ensureBuiltinGuides } from './guides/builtin-loader';
import { REMOTE_WIPE_EVENT } from './sync/events';
import { initI18n, isLanguage } from './i18n';

const settings = await loadDeviceSettings();
applyTextSize(settings.textSize);
await initI18n(isLanguage(settings.language) ? settings.language : 'fi');
startRouter();
watchNetwork();
startParticipantIdle();
render(<App />, document.getElementById('app')!);

if (import.meta.env.PROD) registerServiceWorker();
void requestPersistentStorage();
void db()
  .open() // creates or upgrades the database before any screen needs it
  .then(() => ensureBuiltinGuides())
  // An enrolled tablet syncs in the background; the sync code loads only then, after the first screen.
  .then(() => db().syncState.get('enrolment'))
  .then((enrolment) => enrolment && import('./sync/runtime').then((sync) => sync.startSync()));

// A lost tablet that the administrator revoked with a wipe erases itself at its next contact.
window.addEventListener(REMOTE_WIPE_EVENT, () => {
  void import('./lock/wipe').then((lock) => lock.wipeTablet()).finally(() => window.location.assign('/'));
});
