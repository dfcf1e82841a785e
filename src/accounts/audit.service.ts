// The audit log: who did what and when (sign-ins, publishing, role changes, moderation). Services of
// every capability write to it inside their own transaction, so an entry exists exactly when the change
// committed. Details never hold a reader's email address or a secret.
import type { Db } from '../db/store.ts';
import * as repo from './account.repository.ts';

export interface AuditEntry {
  actorId: number | null;
  action: string;
  /** What it was done to, e.g. `article:12`, `user:3`, `comment:40`. */
  subject: string;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Db, entry: AuditEntry, now = new Date()): Promise<void> {
  const actorName = entry.actorId === null ? '' : await repo.userName(db, entry.actorId);
  await repo.insertAudit(db, {
    at: now.toISOString(),
    actorId: entry.actorId,
    actorName,
    action: entry.action,
    subject: entry.subject,
    details: JSON.stringify(entry.details ?? {}),
  });
}

export interface AuditRecord {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

export const AUDIT_PAGE = 50;

/** A page of the log, newest first; `before` is the id the previous page ended at. */
export async function auditLog(db: Db, filter: { action?: string; actorId?: number } = {}, before?: number): Promise<{ entries: AuditRecord[]; next: number | null }> {
  const rows = await repo.auditPage(db, filter, AUDIT_PAGE + 1, before);
  const entries = rows.slice(0, AUDIT_PAGE).map((r) => ({
    id: Number(r.id),
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    subject: r.subject,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
  return { entries, next: rows.length > AUDIT_PAGE ? entries[entries.length - 1]!.id : null };
}
