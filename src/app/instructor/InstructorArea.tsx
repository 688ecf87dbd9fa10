// The instructor area (lazy-loaded): picks the instructor screen for the address. Features add their screens here.
import type { ComponentType } from 'preact';
import { matchPath } from '../router';
import { NotFound } from '../NotFound';
import InstructorHome from './InstructorHome';

interface InstructorRoute {
  pattern: string;
  screen: ComponentType<{ params: Record<string, string> }>;
}

const routes: InstructorRoute[] = [{ pattern: '/instructor', screen: InstructorHome }];

export default function InstructorArea({ path }: { path: string }) {
  for (const route of routes) {
    const params = matchPath(route.pattern, path);
    if (params) return <route.screen params={params} />;
  }
  return <NotFound />;
}
