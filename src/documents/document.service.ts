// Primary documents as the rest of the application records them. Article writes record the documents
// their sources rest on, in their own transaction.
import type { Db } from '../db/store.ts';
import { insertDocument, type NewDocument } from './document.repository.ts';

export type { NewDocument } from './document.repository.ts';

/** Stores a document's description (and its file's hash when held); returns its id. */
export function recordDocument(db: Db, d: NewDocument): Promise<number> {
  return insertDocument(db, d);
}
