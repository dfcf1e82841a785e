// A second reporter for `npm test` (scripts/test.mjs): one entry per failed test, with the suites it
// sits in, its file (not a line number: under tsx the runner reports lines of the compiled code) and
// its error on one line. CI keeps only the tail of a run's output, and the TAP stream names a
// failure hundreds of lines before the end, so scripts/test.mjs prints this list after the counts.
// Suites that failed only because a test inside them did are left out: the test is the news.

import path from 'node:path';

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* failures(source) {
  /** @type {Map<string, string[]>} the names of the tests started in each file, by nesting */
  const started = new Map();
  for await (const { type, data } of source) {
    const file = data.file ?? '?';
    if (type === 'test:start') {
      const names = started.get(file) ?? [];
      names[data.nesting] = data.name;
      names.length = data.nesting + 1;
      started.set(file, names);
      continue;
    }
    if (type !== 'test:fail') continue;
    const error = data.details?.error;
    if (error?.failureType === 'subtestsFailed') continue;
    const suites = (started.get(file) ?? []).slice(0, data.nesting);
    const where = path.relative(process.cwd(), file);
    // An assertion's first line only says what kind it is ("Expected values to be strictly equal:");
    // its next lines hold the values, so the message is kept whole, on one line, and cut at 300.
    const message = String(error?.cause?.message ?? error?.message ?? error ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
    yield `${[...suites, data.name].join(' › ')}\n    at ${where}\n    ${error?.failureType ?? 'failure'}: ${message}\n`;
  }
}
