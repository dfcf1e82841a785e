// Each stored rendered page records the build that rendered it (decision 0073): the code, the theme and
// the settings from the environment that shape a page. A server reads only its own build's pages, so a
// page from before an upgrade (naming a stylesheet the new build no longer serves, or markup it no longer
// writes) is never sent; a server deletes other builds' pages when it starts. Pages stored before this
// migration have the empty build, which no server has.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('stored_pages').addColumn('build', 'text', (c) => c.notNull().defaultTo('')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('stored_pages').dropColumn('build').execute();
}
