// A line diff (longest common subsequence), for showing what changed between two revisions.

export type DiffLine = { op: 'same' | 'added' | 'removed'; text: string };

/** Lines kept, removed and added to turn `before` into `after`, in reading order. */
export function diffLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  // Common head and tail first: edits are usually local, and the table below is quadratic.
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const middle = a.length * b.length > 4_000_000 ? replaceAll(a, b) : lcsDiff(a, b);
  return [...before.slice(0, head).map(same), ...middle, ...before.slice(before.length - tail).map(same)];
}

const same = (text: string): DiffLine => ({ op: 'same', text });

/** Too large to compare line by line: everything removed, then everything added. */
function replaceAll(a: readonly string[], b: readonly string[]): DiffLine[] {
  return [...a.map((text): DiffLine => ({ op: 'removed', text })), ...b.map((text): DiffLine => ({ op: 'added', text }))];
}

function lcsDiff(a: readonly string[], b: readonly string[]): DiffLine[] {
  const width = b.length + 1;
  // lengths[i * width + j]: longest common subsequence of a[i..] and b[j..].
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lengths[i * width + j] = a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(same(a[i]!));
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) out.push({ op: 'removed', text: a[i++]! });
    else out.push({ op: 'added', text: b[j++]! });
  }
  while (i < a.length) out.push({ op: 'removed', text: a[i++]! });
  while (j < b.length) out.push({ op: 'added', text: b[j++]! });
  return out;
}
