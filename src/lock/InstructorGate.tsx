// The PIN gate in front of the whole instructor area (lazy-loaded). In participant mode it shows the first-run
// setup or the PIN screen and never loads the instructor area's code, so no instructor screen, heading or data
// query can run or flash before a PIN is right. Once unlocked it shows the instructor bar and the area.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ProfileRecord } from '../db/records';
import { useT } from '../i18n';
import { useObservable } from '../ui/use-observable';
import { profileById } from '../db/lock';
import './lock.css';
import { location } from '../ui/router';
import { lockNow, mode, setIdleMinutes, startAutoLock } from './mode';
import { PinScreen } from './PinScreen';
import { hasPin, listProfiles } from './profiles';
import { loadLockSettings } from './settings';
import { SetupScreen } from './SetupScreen';
import { handToParticipant } from './unlock';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { useFailed } from '../ui/use-failed';

let watching = false;

export const isInstructorPath = (path: string) => path === '/instructor' || path.startsWith('/instructor/');

const MENU = [
  ['home', '/instructor'],
  ['sessions', '/instructor/sessions'],
  ['reports', '/instructor/reports'],
  ['guides', '/instructor/guides'],
  ['sync', '/instructor/sync'],
  ['tablet', '/instructor/tablet'],
] as const;

/** The menu item an address belongs to: the home only for itself, the others for everything under them. */
export function menuItemOf(path: string): string | undefined {
  const found = MENU.filter(([, href]) => path === href || (href !== '/instructor' && path.startsWith(`${href}/`)));
  return found[found.length - 1]?.[0];
}

/** One fixed menu on every instructor screen, so no screen is a dead end, and one way to hand the tablet back. */
function InstructorBar({ profileId, path }: { profileId: string; path: string }) {
  const { t } = useT();
  const [nickname, setNickname] = useState('');
  const failed = useFailed();
  useEffect(() => {
    profileById(profileId).then((profile) => setNickname(profile?.nickname ?? ''), failed);
  }, [profileId]);
  const current = menuItemOf(path);
  return (
    <div class="instructor-bar">
      <nav class="instructor-menu" aria-label={t('instructor.menu.label')}>
        {MENU.map(([item, href]) => (
          <a key={item} class="button ghost" href={href} aria-current={item === current ? 'page' : undefined}>
            {t(`instructor.menu.${item}`)}
          </a>
        ))}
      </nav>
      <div class="instructor-who">
        <p class="visually-hidden">{t('lock.bar.signedIn', { nickname })}</p>
        <button type="button" class="button primary" onClick={handToParticipant}>
          {t('lock.bar.handOver')}
        </button>
      </div>
    </div>
  );
}

/** `Area` is the instructor area, given by the shell (lazy), so the gate never imports the shell. */
export default function InstructorGate({ path, Area }: { path: string; Area: ComponentType<{ path: string }> }) {
  const { t } = useT();
  const current = useObservable(mode);
  const [profiles, setProfiles] = useState<ProfileRecord[]>();
  const failed = useFailed();

  useEffect(() => {
    loadLockSettings().then((settings) => setIdleMinutes(settings.idleMinutes), failed);
    if (!watching) {
      watching = true;
      startAutoLock();
      // Leaving the instructor area (home link, back button, settings) is handing over: the rest is participant mode.
      location.subscribe(({ path }) => {
        if (!isInstructorPath(path)) lockNow();
      });
    }
  }, []);
  useEffect(() => {
    if (current.kind !== 'participant') return;
    setProfiles(undefined);
    // A profile restored from a backup has no PIN yet: it is not offered until a site admin gives it one.
    listProfiles().then((all) => setProfiles(all.filter(hasPin)), failed);
  }, [current.kind]);

  if (current.kind === 'participant') {
    if (!profiles)
      return (
        <p class="loading" aria-live="polite">
          {t('lock.gate.checking')}
        </p>
      );
    // Opened from an enrolment link: say what is going on before asking for a PIN.
    const enrolling = path === '/instructor/sync' && /(^|[#&])code=/.test(window.location.hash);
    const notice = enrolling && <p class="lock-message is-done enrol-notice">{t('lock.gate.enrolFirst')}</p>;
    if (profiles.length === 0) {
      return (
        <>
          {notice}
          <SetupScreen />
        </>
      );
    }
    return (
      <>
        {notice}
        <PinScreen profiles={profiles} />
      </>
    );
  }
  // A failed instructor screen keeps the menu above it, and offers the instructor home as the way back.
  return (
    <>
      <InstructorBar profileId={current.profileId} path={path} />
      <ErrorBoundary
        words={{ title: t('instructor.error.title'), text: t('instructor.error.text'), retry: t('instructor.error.retry'), back: t('instructor.error.home') }}
        backHref="/instructor"
        resetKey={path}
      >
        <Area path={path} />
      </ErrorBoundary>
    </>
  );
}
