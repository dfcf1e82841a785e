// STAND-IN for what the lead's /admin context adds to Fastify (/work/notes/admin-contract.md); reverted
// before main is merged in.
import type { Account } from '../../accounts/account.service.ts';
import type { SafeHtml } from '../../lib/html.ts';

export type AdminNav = 'dashboard' | 'articles' | 'comments' | 'sections' | 'pages' | 'people' | 'tags' | 'users' | 'settings' | 'audit';

declare module 'fastify' {
  interface FastifyRequest {
    account: Account;
    csrfToken: string;
  }
  interface FastifyReply {
    adminPage(page: { title: string; nav: AdminNav; main: SafeHtml; status?: number; scripts?: string[] }): FastifyReply;
  }
}
