// Staff passwords: argon2id through @node-rs/argon2 (prebuilt binaries, runs off the main thread), with
// OWASP's minimum parameters; the PHC string records them, so raising them later still verifies old hashes.
import { argon2 } from '../lib/on-demand.ts';

/** Shortest and longest password accepted, in characters. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

const PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, context: { email: string; name: string }): string | null {
  if ([...password].length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if ([...password].length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lower = password.toLowerCase();
  if (lower === context.email.toLowerCase() || lower === context.name.toLowerCase()) return 'Do not use your email address or name as your password.';
  if (new Set(password).size < 4) return 'Use a password with more different characters.';
  return null;
}

export const hashPassword = (password: string): Promise<string> => argon2().hash(password, PARAMS);

/** Whether the password matches the stored hash; an empty or malformed hash never matches. */
export async function passwordMatches(stored: string, password: string): Promise<boolean> {
  if (!stored.startsWith('$argon2')) return false;
  try {
    return await argon2().verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against when the account does not exist, so both take as long. */
let decoy: Promise<string> | null = null;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(`decoy-${Math.random()}-${Date.now()}`));
