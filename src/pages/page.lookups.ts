// What other capabilities ask about static pages without reading the pages table themselves.
import type { Db } from '../db/store.ts';
import { findPageBySlug } from './page.repository.ts';

/** True when a static page (draft or published) has this slug: sections may not take it. */
export async function isPageSlug(db: Db, slug: string): Promise<boolean> {
  return (await findPageBySlug(db, slug)) !== undefined;
}
