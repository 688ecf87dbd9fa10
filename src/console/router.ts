// Owns the console's addresses: /console/<screen>[/<id>] in the browser's history, read and written as plain values.
import { useEffect, useState } from 'preact/hooks';

export const SCREENS = ['dashboard', 'summary', 'sites', 'tablets', 'guides', 'users', 'settings', 'audit'] as const;
export type Screen = (typeof SCREENS)[number];
export interface Route {
  screen: Screen;
  id?: string;
}

export const CONSOLE_PATH = '/console/';

/** The route of a path; an unknown screen is the dashboard (the console's home). */
export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(CONSOLE_PATH) ? pathname.slice(CONSOLE_PATH.length) : '';
  const [screen, id] = rest
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
  const known = (SCREENS as readonly string[]).includes(screen ?? '') ? (screen as Screen) : 'dashboard';
  return id && known === 'guides' ? { screen: known, id } : { screen: known };
}

export function routePath(route: Route): string {
  const base = route.screen === 'dashboard' ? CONSOLE_PATH : `${CONSOLE_PATH}${route.screen}`;
  return route.id ? `${base}/${encodeURIComponent(route.id)}` : base;
}

/** The set-up token of a link `/console/#setup=<token>` (in the fragment, so it never reaches a server log). */
export function setupTokenFrom(hash: string): string {
  return (new URLSearchParams(hash.replace(/^#/, '')).get('setup') ?? '').trim();
}

export function navigate(route: Route): void {
  const path = routePath(route);
  if (location.pathname !== path) history.pushState(null, '', path);
  window.dispatchEvent(new Event('console-route'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', onChange);
    window.addEventListener('console-route', onChange);
    return () => {
      window.removeEventListener('popstate', onChange);
      window.removeEventListener('console-route', onChange);
    };
  }, []);
  return route;
}
