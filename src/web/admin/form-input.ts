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

