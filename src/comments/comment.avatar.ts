// Avatars drawn here from a keyed digest of the commenter's address: a symmetric 5x5 identicon, as data
// (the theme draws it as inline SVG). No third-party service sees the address, and the picture cannot be
// turned back into it.

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
