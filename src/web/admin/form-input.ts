// Reading a posted admin form: one field as text, and the per-field messages of a refusal.
import { AppError } from '../../errors.ts';

/** The posted field as text: absent, repeated or non-text values read as empty. */
export function formText(body: unknown, name: string): string {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/** The per-field messages of a refused form (invalid input, a conflict), or null for any other failure. */
export function refusedFields(error: unknown): Record<string, string> | null {
  if (!(error instanceof AppError) || (error.code !== 'invalid_input' && error.code !== 'conflict')) return null;
  return Object.keys(error.fields).length ? { ...error.fields } : { form: error.message };
}

/**
 * An id in an admin address: a positive whole number, or the page is not found. (The same rule as the
 * accounts' idParam, here in web/ because routes may not import another capability's routes.)
 */
export function pathId(raw: string): number {
  // At most nine digits: larger numbers are no id of ours and overflow PostgreSQL's integer columns.
  if (!/^[1-9][0-9]{0,8}$/.test(raw)) throw new AppError('not_found', 'There is no such page in the newsroom.');
  return Number(raw);
}
