// What the Admin API's routes call: the same services, with the same parts, as the /admin screens.
import type { AccountDeps } from '../../accounts/account.service.ts';
import type { CommentService } from '../../comments/comment.service.ts';
import type { Store } from '../../db/store.ts';
import type { DocumentFiles } from '../../documents/document.service.ts';
import type { MediaDeps } from '../../media/image.service.ts';
import type { SettingsDefaults } from '../../settings/settings.service.ts';

export interface AdminApiDeps {
  store: Store;
  /** Staff accounts (invitations need the mailer and the public URL). */
  accounts: AccountDeps;
  comments: CommentService;
  documents: DocumentFiles;
  media: MediaDeps;
  /** The configured site name and language the settings start from. */
  settings: SettingsDefaults;
}
