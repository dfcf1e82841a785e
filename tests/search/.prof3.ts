import SQLite from 'better-sqlite3';
for (const f of ['data/gazette.db']) {
  const d = new SQLite(f, { readonly: true });
  console.log(f, d.prepare("select name from kysely_migration").all(), d.prepare("select name from sqlite_master where name like 'article_search%'").all());
  d.close();
}
