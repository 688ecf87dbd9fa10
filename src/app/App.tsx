// The app shell: header, update banner, and the screen for the current address.
import { loadInstructorStrings, useT } from '../i18n';
import { NotFound } from './NotFound';
import { ParticipantHome } from './ParticipantHome';
import { useEffect } from 'preact/hooks';
import { location, matchPath, navigate } from './router';
import { AppHeader } from './ui/AppHeader';
import { lazyScreen } from './ui/lazy';
import { StorageFullNotice } from './ui/StorageFullNotice';
import { UpdatePrompt } from './ui/UpdatePrompt';
import { useStore } from './use-store';
import { enrolmentCodeFromLink, syncScreenAddress } from '../sync/enrol-link';

const SettingsScreen = lazyScreen(() => import('./SettingsScreen'));
const FeedbackScreen = lazyScreen(() => import('../feedback/FeedbackScreen'));
const GuideViewer = lazyScreen(() => import('../guides/Viewer'));
// The PIN gate loads the instructor area itself, and only after a right PIN.
const InstructorArea = lazyScreen<{ path: string }>(async () => (await Promise.all([import('../lock/InstructorGate'), loadInstructorStrings()]))[0]);

/** The enrolment link printed by the server opens the sync screen (behind the PIN) with the code filled in. */
function EnrolLink() {
  useEffect(() => navigate(syncScreenAddress(enrolmentCodeFromLink(window.location.search, window.location.hash)), { replace: true }), []);
  return null;
}

function CurrentScreen({ path }: { path: string }) {
  if (path === '/') return <ParticipantHome />;
  if (path === '/settings') return <SettingsScreen />;
  if (path === '/enrol') return <EnrolLink />;
  if (path === '/feedback') return <FeedbackScreen />;
  const guideStep = matchPath('/guides/:slug/:step', path);
  if (guideStep) return <GuideViewer params={guideStep} />;
  if (path === '/instructor' || path.startsWith('/instructor/')) return <InstructorArea path={path} />;
  return <NotFound />;
}

export function App() {
  const { t } = useT();
  const { path } = useStore(location);
  return (
    <div class="app">
      <a class="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppHeader />
      <UpdatePrompt />
      <StorageFullNotice />
      <main id="main" tabIndex={-1}>
        <CurrentScreen path={path} />
      </main>
    </div>
  );
}
