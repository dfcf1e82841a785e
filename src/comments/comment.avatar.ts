// Avatars drawn here from a keyed digest of the commenter's address: a symmetric 5x5 identicon as inline
// SVG. No third-party service sees the address, and the picture cannot be turned back into it.
import { SafeHtml } from '../lib/html.ts';

export interface Identicon {
  hue: number;
  /** SVG path data of the filled cells, in a 5x5 box. */
  path: string;
}

/** The identicon for a base64url digest (at least 6 bytes of it are used). */
export function identicon(digest: string): Identicon {
  const bytes = Buffer.from(digest, 'base64url');
  const hue = ((bytes[0] ?? 0) * 256 + (bytes[1] ?? 0)) % 360;
  const bits = ((bytes[2] ?? 0) << 16) | ((bytes[3] ?? 0) << 8) | (bytes[4] ?? 0);
  let path = '';
  // 15 cells decide the left three columns; the right two mirror them.
  for (let col = 0; col < 3; col++) {
    for (let row = 0; row < 5; row++) {
      if (!((bits >> (col * 5 + row)) & 1)) continue;
      path += `M${col} ${row}h1v1h-1z`;
      if (col < 2) path += `M${4 - col} ${row}h1v1h-1z`;
    }
  }
  // An empty pattern would look like a missing image: fall back to the centre column.
  return { hue, path: path || 'M2 0h1v5h-1z' };
}

/** Inline SVG for an identicon; decorative, so hidden from assistive technology. */
export function identiconSvg(icon: Identicon, size = 40): SafeHtml {
  const hue = Math.trunc(icon.hue) % 360;
  const path = /^[Mhvz0-9 -]*$/.test(icon.path) ? icon.path : '';
  return new SafeHtml(
    `<svg class="comment-avatar" width="${size}" height="${size}" viewBox="-0.5 -0.5 6 6" aria-hidden="true" focusable="false"><rect x="-0.5" y="-0.5" width="6" height="6" fill="hsl(${hue} 40% 92%)"/><path d="${path}" fill="hsl(${hue} 55% 38%)"/></svg>`,
  );
}
