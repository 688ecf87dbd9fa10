// Owns the shapes of the console API's answers (src/server/console/API.md), as the screens read them.
import type { Dashboard, MonthReport, Report, SharedReport } from '../protocol/report';

export type { Dashboard, MonthReport, Report, SharedReport };
export type Role = 'coordinator' | 'site-admin';

export interface User {
  id: string;
  email: string;
  role: Role;
  orgId: string;
  siteId: string | null;
}

export interface Me {
  user: User;
  csrfToken: string;
  passkeys?: number;
  hasPassword?: boolean;
}

export interface SiteRef {
  id: string;
  name: string;
}

export interface Summary {
  organisation: SiteRef;
  from: string;
  to: string;
  sites: SiteRef[];
  total: SharedReport;
  bySite: { siteId: string; report: SharedReport }[];
}

export interface Site {
  id: string;
  name: string;
  createdAt: number;
  tablets: number;
}

export interface EnrolmentCode {
  code: string;
  link: string;
  expiresAt: number;
}

export interface Tablet {
  id: string;
  name: string;
  siteId: string;
  createdAt: number;
  lastContactAt: number | null;
  appVersion: string | null;
  waitingAsReported: number | null;
  waitingReportedAt: number | null;
  quarantined: { at: number; reason: string; message: string }[];
  revokedAt: number | null;
  wipeRequested: boolean;
}

export interface GuideRow {
  id: string;
  title: string;
  lang: string;
  changedAt: number;
  changedByTablet: string | null;
  hidden: boolean;
}

export interface GuideStep {
  id: string;
  kind?: string;
  practice?: unknown;
  text: string;
  alt?: string | null;
  pictureUrl: string | null;
}

export interface Guide extends GuideRow {
  summary: string | null;
  category: string | null;
  steps: GuideStep[];
}

export interface Settings {
  /** Months logs and feedback are kept on the server (always a number). */
  retentionMonths: number;
  /** The organisation uses the server's default (defaultMonths). */
  isDefault: boolean;
  defaultMonths: number;
}

export interface AuditEntry {
  id: string;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditEntry[];
  next: string | null;
}

export interface UserRow {
  id: string;
  email: string;
  role: Role;
  siteId: string | null;
  createdAt: number;
  lastLoginAt: number | null;
  passkeys: number;
  hasPassword: boolean;
}
