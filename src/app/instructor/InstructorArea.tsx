// The instructor area (lazy-loaded): picks the instructor screen for the address. Features add their screens here.
import type { ComponentType } from 'preact';
import { matchPath } from '../../ui/router';
import { NotFound } from '../NotFound';
import InstructorHome from './InstructorHome';
import { lazyScreen } from '../../ui/lazy';

// One lazy component for a new and an existing log, so saving a new log (which changes the address) keeps the form.
const SessionLogScreen = lazyScreen(() => import('../../sessions/SessionLogScreen'));
const SessionListScreen = lazyScreen(() => import('../../sessions/SessionListScreen'));
const GuidesScreen = lazyScreen<{ params: Record<string, string> }>(() => import('../../guides/editor/GuidesScreen'));
const GuideEditorScreen = lazyScreen<{ params: Record<string, string> }>(() => import('../../guides/editor/GuideEditorScreen'));
const GuidePreviewScreen = lazyScreen<{ params: Record<string, string> }>(() => import('../../guides/editor/PreviewScreen'));
const ReportScreen = lazyScreen(() => import('../../reports/ReportScreen'));
const ProfilesScreen = lazyScreen(() => import('../../lock/ProfilesScreen'));
const TabletSettingsScreen = lazyScreen(() => import('../../lock/TabletSettingsScreen'));
const SyncScreen = lazyScreen<{ params: Record<string, string> }>(() => import('../../sync/SyncScreen'));

interface InstructorRoute {
  pattern: string;
  screen: ComponentType<{ params: Record<string, string> }>;
}

const routes: InstructorRoute[] = [
  { pattern: '/instructor', screen: InstructorHome },
  { pattern: '/instructor/sessions', screen: SessionListScreen },
  { pattern: '/instructor/sessions/new', screen: SessionLogScreen },
  { pattern: '/instructor/sessions/:id', screen: SessionLogScreen },
  { pattern: '/instructor/guides', screen: GuidesScreen },
  { pattern: '/instructor/guides/:id', screen: GuideEditorScreen },
  { pattern: '/instructor/guides/:id/preview/:step', screen: GuidePreviewScreen },
  { pattern: '/instructor/reports', screen: ReportScreen },
  { pattern: '/instructor/profiles', screen: ProfilesScreen },
  { pattern: '/instructor/tablet', screen: TabletSettingsScreen },
  { pattern: '/instructor/sync', screen: SyncScreen },
];

export default function InstructorArea({ path }: { path: string }) {
  for (const route of routes) {
    const params = matchPath(route.pattern, path);
    if (params) return <route.screen params={params} />;
  }
  return <NotFound />;
}
