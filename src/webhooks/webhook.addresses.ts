// Which IP addresses a webhook may be sent to (SSRF defence, decision 0026). Only public unicast
// addresses pass: private, loopback, link-local, unique-local, shared (CGNAT), multicast, unspecified,
// documentation, benchmarking and reserved ranges are refused, in IPv4 and IPv6, and an IPv6 address
// that carries an IPv4 one (mapped, compatible, NAT64, 6to4) is judged by the IPv4 address inside.
import net from 'node:net';

/** IPv4 ranges that are not the public internet, as [first octets, prefix length]. */
const V4_REFUSED: readonly [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const v4Number = (ip: string): number => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

function v4Problem(ip: string): string | null {
  const n = v4Number(ip);
  for (const [base, bits, kind] of V4_REFUSED) {
    const size = 2 ** (32 - bits);
    const start = v4Number(base);
    if (n >= start && n < start + size) return kind;
  }
  return null;
}

/** The 8 groups of an IPv6 address, whatever its spelling (`::`, an embedded dotted quad, a zone). */
function v6Groups(ip: string): number[] {
  let text = ip.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4Number(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const part = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const v4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;

function v6Problem(ip: string): string | null {
  const g = v6Groups(ip);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (g.every((x) => x === 0)) return 'unspecified';
  if (zeros(0, 7) && g[7] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64): the IPv4 address decides.
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return v4Problem(v4Of(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4Problem(v4Of(g[6]!, g[7]!));
  // 6to4 carries an IPv4 address in its second and third groups.
  if (g[0] === 0x2002) return v4Problem(v4Of(g[1]!, g[2]!));
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return 'unique-local';
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xffc0) === 0xfec0) return 'site-local';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  if (first === 0x2001 && g[1] === 0x0db8) return 'documentation';
  // Teredo hides an IPv4 address; ORCHID and the discard prefix reach nothing public.
  if (first === 0x2001 && g[1] === 0) return 'Teredo';
  if (first === 0x2001 && (g[1]! & 0xfff0) === 0x0010) return 'reserved';
  if (first === 0x0100 && zeros(1, 4)) return 'discard';
  // Everything outside 2000::/3 is unassigned or special.
  if ((first & 0xe000) !== 0x2000) return 'reserved';
  return null;
}

/**
 * Why an IP address is not a public unicast address ("loopback", "private", …), or null when it is one.
 * A string that is no IP address at all is refused too.
 */
export function addressProblem(ip: string): string | null {
  const family = net.isIP(ip.split('%')[0]!);
  if (family === 4) return v4Problem(ip);
  if (family === 6) return v6Problem(ip);
  return 'not an IP address';
}

/** The host of a URL as an IP address when it is written as one (brackets removed), else null. */
export function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return net.isIP(bare) ? bare : null;
}
