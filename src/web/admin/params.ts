// Reading what an admin address carries.
import { AppError } from '../../errors.ts';

/** The largest value of an integer column (PostgreSQL's int4). */
const MAX_ID = 2_147_483_647;

/** An id in an address: a positive whole number, or the page is not found (never a 500). */
export function idParam(raw: string): number {
  // Ids are integer columns: a larger number is no id of ours, and PostgreSQL would refuse to compare it (a 500).
  if (!/^[1-9][0-9]{0,9}$/.test(raw) || Number(raw) > MAX_ID) throw new AppError('not_found', 'There is no such page in the newsroom.');
  return Number(raw);
}
