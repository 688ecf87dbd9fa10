// The app shell: header, update banner, and the screen for the current address.
import type { ComponentType } from 'preact';
import { loadInstructorStrings, useT } from '../i18n';
import { NotFound } from './NotFound';
import { ParticipantHome } from './ParticipantHome';
import { useEffect } from 'preact/hooks';
import { location, matchPath, navigate } from '../ui/router';
import { AppHeader } from './AppHeader';
import { lazyScreen } from '../ui/lazy';
import { StorageFullNotice } from './StorageFullNotice';
import { UpdatePrompt } from './UpdatePrompt';
import { useObservable } from '../ui/use-observable';
import { enrolmentCodeFromLink, syncScreenAddress } from '../sync/enrol-link';
import { ErrorBoundary } from '../ui/ErrorBoundary';

const SettingsScreen = lazyScreen(() => import('./SettingsScreen'));
const FeedbackScreen = lazyScreen(() => import('../feedback/FeedbackScreen'));
const GuideViewer = lazyScreen(() => import('../guides/Viewer'));
const InstructorGate = lazyScreen<{ path: string; Area: ComponentType<{ path: string }> }>(
  async () => (await Promise.all([import('../lock/InstructorGate'), loadInstructorStrings()]))[0],
);
// Rendered by the PIN gate only after a right PIN, so its code loads only then.
const InstructorArea = lazyScreen<{ path: string }>(() => import('./instructor/InstructorArea'));

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
  if (path === '/instructor' || path.startsWith('/instructor/')) return <InstructorGate path={path} Area={InstructorArea} />;
  return <NotFound />;
}

export function App() {
  const { t } = useT();
  const { path } = useObservable(location);
  return (
    <div class="app">
      <a class="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppHeader />
      <UpdatePrompt />
      <StorageFullNotice />
      <main id="main" tabIndex={-1}>
        {/* The instructor area has its own boundary inside; this one catches the participant screens and the PIN gate. */}
        <ErrorBoundary
          words={{ title: t('errorScreen.title'), text: t('errorScreen.text'), retry: t('errorScreen.retry'), back: t('errorScreen.home') }}
          backHref="/"
          resetKey={path}
        >
          <CurrentScreen path={path} />
        </ErrorBoundary>
      </main>
    </div>
  );
}
