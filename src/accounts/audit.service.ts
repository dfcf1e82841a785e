// STAND-IN for the lead's module (/work/notes/admin-contract.md): records nothing until main's audit
// log is merged in.
import type { Db } from '../db/store.ts';

export async function recordAudit(_db: Db, _entry: { actorId: number | null; action: string; subject: string; details?: Record<string, unknown> }): Promise<void> {}
