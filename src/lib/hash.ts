// SHA-256 of a text, in hex: what session and token records, generated cards and rendition keys are
// named by.
import crypto, { createHash } from 'node:crypto';

/**
 * SHA-256 of a text in hex. The one-shot crypto.hash (Node 20.12) costs a quarter of a Hash object's
 * time on short texts (every article page names its social card this way); older Node 20 releases
 * take the long way.
 */
export const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => createHash('sha256').update(text).digest('hex');
