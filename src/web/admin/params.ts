// Reading what an admin address carries.
import { AppError } from '../../errors.ts';

/** An id in an address: a positive whole number, or the page is not found (never a 500). */
export function idParam(raw: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(raw)) throw new AppError('not_found', 'There is no such page in the newsroom.');
  return Number(raw);
}
