// The webhooks' screens under /admin (admins only): the list and the add form, one endpoint (edit, send a
// test, disable or enable, rotate the secret, delete) with its delivery log, and one delivery's attempts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ensureCan } from '../accounts/permissions.ts';
import type { Store } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { formText, refusedFields } from '../web/admin/form-input.ts';
import { idParam } from '../web/admin/params.ts';
import * as views from '../web/admin/webhooks.ts';
import { EVENT_TYPES } from './webhook.events.ts';
import {
  createWebhook,
  deleteWebhook,
  deliveryLog,
  getDelivery,
  getWebhook,
  listWebhooks,
  retryDelivery,
  rotateWebhookSecret,
  sendTestEvent,
  setWebhookActive,
  updateWebhook,
  type WebhookView,
} from './webhook.service.ts';

export interface WebhookAdminOptions {
  store: Store;
  /** Tells the delivery worker to look now (after a test event or a retry was queued). */
  wake(): void;
}

const CHOICES: readonly views.EventChoice[] = Object.entries(EVENT_TYPES).map(([type, meaning]) => ({ type, meaning }));
const EMPTY: views.WebhookForm = { url: '', description: '', events: [], allowPrivate: false };

/** The posted form: events may come as one value or many. */
function formOf(body: unknown): views.WebhookForm {
  const raw = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).events : undefined;
  const events = (Array.isArray(raw) ? raw : [raw]).filter((e): e is string => typeof e === 'string');
  return { url: formText(body, 'url'), description: formText(body, 'description'), events, allowPrivate: formText(body, 'allowPrivate') === 'yes' };
}

const formFor = (w: WebhookView): views.WebhookForm => ({ url: w.url, description: w.description, events: w.events, allowPrivate: w.allowPrivate });

const MESSAGES: Record<string, string> = {
  saved: 'The webhook has been saved.',
  tested: 'A test event has been queued; it appears in the deliveries below once sent.',
  enabled: 'The webhook is enabled.',
  disabled: 'The webhook is disabled.',
  deleted: 'The webhook has been deleted.',
  resent: 'The delivery has been queued again.',
};

export async function webhookAdminRoutes(app: FastifyInstance, { store, wake }: WebhookAdminOptions): Promise<void> {
  // Admins only; every service call checks again.
  app.addHook('preHandler', async (request) => ensureCan(request.account, 'settings.manage'));

  const messageOf = (request: FastifyRequest) => MESSAGES[String((request.query as Record<string, unknown> | undefined)?.done ?? '')];

  async function listPage(request: FastifyRequest, reply: FastifyReply, extra: Partial<views.WebhooksView> = {}, status = 200) {
    const webhooks = await listWebhooks(store, request.account);
    const message = messageOf(request);
    return reply.adminPage({
      title: 'Webhooks',
      nav: 'webhooks',
      status,
      main: views.webhooksPage({ csrfToken: request.csrfToken, webhooks, choices: CHOICES, form: EMPTY, fields: {}, ...(message ? { message } : {}), ...extra }),
    });
  }

  async function webhookPage(request: FastifyRequest, reply: FastifyReply, id: number, extra: Partial<views.WebhookPageView> = {}, status = 200) {
    const webhook = await getWebhook(store, request.account, id);
    const deliveries = await deliveryLog(store, request.account, id);
    const message = messageOf(request);
    return reply.adminPage({
      title: `Webhook ${webhook.url}`,
      nav: 'webhooks',
      status,
      main: views.webhookPage({ csrfToken: request.csrfToken, webhook, choices: CHOICES, form: formFor(webhook), fields: {}, deliveries, ...(message ? { message } : {}), ...extra }),
    });
  }

  app.get('/webhooks', async (request, reply) => listPage(request, reply));

  // The answer shows the new secret once, so it is a page rather than a redirect.
  app.post('/webhooks', async (request, reply) => {
    const form = formOf(request.body);
    try {
      const { webhook, secret } = await createWebhook(store, request.account, form);
      return webhookPage(request, reply, webhook.id, { secret, message: 'The webhook has been added.' }, 201);
    } catch (error) {
      const fields = refusedFields(error);
      if (!fields) throw error;
      return listPage(request, reply, { form, fields }, 422);
    }
  });

  app.get<{ Params: { id: string } }>('/webhooks/:id', async (request, reply) => webhookPage(request, reply, idParam(request.params.id)));

  app.post<{ Params: { id: string } }>('/webhooks/:id', async (request, reply) => {
    const id = idParam(request.params.id);
    const form = formOf(request.body);
    try {
      await updateWebhook(store, request.account, id, form);
      return reply.redirect(`/admin/webhooks/${id}?done=saved`, 303);
    } catch (error) {
      const fields = refusedFields(error);
      if (!fields) throw error;
      return webhookPage(request, reply, id, { form, fields }, 422);
    }
  });

  app.post<{ Params: { id: string } }>('/webhooks/:id/test', async (request, reply) => {
    const id = idParam(request.params.id);
    try {
      await sendTestEvent(store, request.account, id);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'conflict') throw error;
      return webhookPage(request, reply, id, { problem: error.message }, 409);
    }
    wake();
    return reply.redirect(`/admin/webhooks/${id}?done=tested`, 303);
  });

  app.post<{ Params: { id: string } }>('/webhooks/:id/active', async (request, reply) => {
    const id = idParam(request.params.id);
    const active = formText(request.body, 'active') === '1';
    await setWebhookActive(store, request.account, id, active);
    if (active) wake();
    return reply.redirect(`/admin/webhooks/${id}?done=${active ? 'enabled' : 'disabled'}`, 303);
  });

  app.post<{ Params: { id: string } }>('/webhooks/:id/rotate', async (request, reply) => {
    const id = idParam(request.params.id);
    const { secret } = await rotateWebhookSecret(store, request.account, id);
    return webhookPage(request, reply, id, { secret, message: 'The secret has been rotated. The old one also signs requests for a day, so receivers can switch.' });
  });

  app.post<{ Params: { id: string } }>('/webhooks/:id/delete', async (request, reply) => {
    const id = idParam(request.params.id);
    if (formText(request.body, 'confirm') !== 'yes') return webhookPage(request, reply, id, { fields: { confirm: 'Tick the box to confirm the deletion.' } }, 422);
    await deleteWebhook(store, request.account, id);
    return reply.redirect('/admin/webhooks?done=deleted', 303);
  });

  app.get<{ Params: { id: string; delivery: string } }>('/webhooks/:id/deliveries/:delivery', async (request, reply) => {
    const id = idParam(request.params.id);
    const webhook = await getWebhook(store, request.account, id);
    const delivery = await getDelivery(store, request.account, id, idParam(request.params.delivery));
    const message = messageOf(request);
    return reply.adminPage({ title: `Delivery of ${delivery.type}`, nav: 'webhooks', main: views.deliveryPage({ csrfToken: request.csrfToken, webhook, delivery, ...(message ? { message } : {}) }) });
  });

  app.post<{ Params: { id: string; delivery: string } }>('/webhooks/:id/deliveries/:delivery/retry', async (request, reply) => {
    const id = idParam(request.params.id);
    const deliveryId = idParam(request.params.delivery);
    try {
      await retryDelivery(store, request.account, id, deliveryId);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'conflict') throw error;
      return reply.redirect(`/admin/webhooks/${id}/deliveries/${deliveryId}`, 303);
    }
    wake();
    return reply.redirect(`/admin/webhooks/${id}/deliveries/${deliveryId}?done=resent`, 303);
  });
}
