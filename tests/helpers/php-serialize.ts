// Reads PHP's serialize() format (what WordPress stores in meta values), so tests can compare a meta
// value kept verbatim with the structure WordPress's own tests expect. Lengths of strings are in bytes.
// Arrays come back as objects keyed as in PHP; objects as their properties.

/** The value `text` serialises, or an error naming the byte where it stops making sense. */
export function phpUnserialize(text: string): unknown {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`not PHP serialize() data: ${what} at byte ${at}`);
  };
  const expect = (char: string) => {
    if (bytes.toString('latin1', at, at + 1) !== char) fail(`expected "${char}"`);
    at += 1;
  };
  const until = (char: string): string => {
    const end = bytes.indexOf(char, at, 'latin1');
    if (end < 0) fail(`no "${char}"`);
    const out = bytes.toString('utf8', at, end);
    at = end + 1;
    return out;
  };
  const string = (): string => {
    const length = Number(until(':'));
    expect('"');
    const out = bytes.toString('utf8', at, at + length);
    at += length;
    expect('"');
    return out;
  };
  const members = (): Record<string, unknown> => {
    const count = Number(until(':'));
    expect('{');
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const key = value();
      out[String(key)] = value();
    }
    expect('}');
    return out;
  };
  function value(): unknown {
    const type = bytes.toString('latin1', at, at + 1);
    at += 2;
    switch (type) {
      case 'N':
        return null;
      case 'b':
        return until(';') === '1';
      case 'i':
      case 'd':
        return Number(until(';'));
      case 's': {
        const out = string();
        expect(';');
        return out;
      }
      case 'a':
        return members();
      case 'O':
        string();
        expect(':');
        return members();
      default:
        return fail(`unknown type "${type}"`);
    }
  }
  const out = value();
  if (at !== bytes.length) fail('text after the value');
  return out;
}
