// The optional second factor (decision 0019): time-based one-time codes (RFC 6238, otplib) from an
// authenticator app, and ten single-use recovery codes for when the phone is lost. A code's time step is
// remembered so the same code is never accepted twice.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

export const RECOVERY_CODES = 10;

export const newTotpSecret = (): string => generateSecret();

export const totpUri = (issuer: string, email: string, secret: string): string => generateURI({ issuer, label: email, secret });

/** The secret grouped by four for typing by hand. */
export const groupedSecret = (secret: string): string => secret.replace(/(.{4})/g, '$1 ').trim();

/** A proof that the server offered this secret to this account (so a form cannot swap in another). */
export const secretProof = (key: string, userId: number, secret: string): string => createHmac('sha256', key).update(`totp-setup:${userId}:${secret}`).digest('base64url');

/**
 * The time step of a valid code not older than `afterStep`, or null. Codes one step (30 s) either side
 * of now are accepted, for clocks a little off.
 */
export async function acceptedStep(secret: string, code: string, afterStep: number, now: Date): Promise<number | null> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  try {
    const result = await verify({ secret, token, epoch: Math.floor(now.getTime() / 1000), epochTolerance: 30, ...(afterStep > 0 ? { afterTimeStep: afterStep } : {}) });
    // The functional API's result type covers HOTP too; a TOTP result carries its time step.
    const step = result.valid ? (result as { timeStep?: unknown }).timeStep : null;
    return typeof step === 'number' ? step : null;
  } catch {
    return null;
  }
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten new recovery codes (shown once) and their digests (stored). */
export function newRecoveryCodes(): { codes: string[]; digests: string[] } {
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
  return { codes, digests: codes.map(recoveryDigest) };
}

export const recoveryDigest = (code: string): string => createHash('sha256').update(code.trim().toLowerCase().replace(/\s+/g, '')).digest('hex');

export const looksLikeRecoveryCode = (code: string): boolean => /^[a-z0-9]{5}-[a-z0-9]{5}$/i.test(code.trim());
