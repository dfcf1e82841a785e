// STAND-IN for the lead's module (/work/notes/admin-contract.md); dropped when main is merged in.
// Records nothing: the audit_log table comes with main's migration 010.
import type { Db } from '../db/store.ts';

export async function recordAudit(_db: Db, _entry: { actorId: number | null; action: string; subject: string; details?: Record<string, unknown> }): Promise<void> {}
