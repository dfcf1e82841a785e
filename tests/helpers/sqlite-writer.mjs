// Another process writing to a Gazette SQLite file, as the `gazette` CLI or a second app node would: it
// takes the write lock over and over, holds it for a few milliseconds each time, and lets go.
// Usage: node sqlite-writer.mjs FILE HOLD_MS PAUSE_MS. Prints "writing" once it holds the lock the
// first time, then writes until it is killed. HOLD_MS 0 with PAUSE_MS N: holds the lock once for N ms.
import Database from 'better-sqlite3';

const [file, holdArg, pauseArg] = process.argv.slice(2);
const hold = Number(holdArg);
const pause = Number(pauseArg);
const db = new Database(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.exec('create table if not exists writer_probe (id integer primary key, at text not null)');
const insert = db.prepare('insert into writer_probe (at) values (?)');
const nap = new Int32Array(new SharedArrayBuffer(4));
/** Sleeps without giving up the lock (the event loop is never needed here). */
const sleep = (ms) => Atomics.wait(nap, 0, 0, ms);

if (hold === 0) {
  db.exec('begin immediate');
  insert.run(new Date().toISOString());
  process.stdout.write('writing\n');
  sleep(pause);
  db.exec('commit');
  process.exit(0);
}
let first = true;
for (;;) {
  db.exec('begin immediate');
  insert.run(new Date().toISOString());
  if (first) {
    process.stdout.write('writing\n');
    first = false;
  }
  sleep(hold);
  db.exec('commit');
  sleep(pause);
}
