// The site settings under /admin (admins only): name, description, language, time zone, logo, links.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ensureCan } from '../accounts/permissions.ts';
import type { Store } from '../db/store.ts';
import { AppError } from '../errors.ts';
import { linkLines, parseLinkLines } from '../lib/links.ts';
import { formText, refusedFields } from '../web/admin/form-input.ts';
import * as views from '../web/admin/settings.ts';
import { loadSettings, saveSettings, validateSettings, type SettingsDefaults, type SiteSettings } from './settings.service.ts';

export interface SettingsAdminOptions {
  store: Store;
  /** The configured defaults the saved settings override. */
  defaults: SettingsDefaults;
}

/** Every IANA zone Intl knows, UTC first, for the time zone list. */
const TIME_ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];

const formFor = (s: SiteSettings): views.SettingsForm => ({
  name: s.name,
  description: s.description,
  language: s.language,
  timeZone: s.timeZone,
  logoUrl: s.logoUrl ?? '',
  navigation: linkLines(s.navigation),
  footer: linkLines(s.footer),
});

const formOf = (body: unknown): views.SettingsForm => ({
  name: formText(body, 'name'),
  description: formText(body, 'description'),
  language: formText(body, 'language'),
  timeZone: formText(body, 'timeZone'),
  logoUrl: formText(body, 'logoUrl'),
  navigation: formText(body, 'navigation'),
  footer: formText(body, 'footer'),
});

/**
 * The settings the form asks for. Link lines that cannot be read and every other field's problems are
 * refused together, each with its message.
 */
function settingsOf(f: views.SettingsForm): SiteSettings {
  const navigation = parseLinkLines(f.navigation);
  const footer = parseLinkLines(f.footer);
  const settings: SiteSettings = {
    name: f.name,
    description: f.description,
    language: f.language,
    timeZone: f.timeZone,
    logoUrl: f.logoUrl || null,
    navigation: 'links' in navigation ? navigation.links : [],
    footer: 'links' in footer ? footer.links : [],
  };
  const fields: Record<string, string> = {};
  try {
    validateSettings(settings);
  } catch (error) {
    const refused = refusedFields(error);
    if (!refused) throw error;
    Object.assign(fields, refused);
  }
  if ('problem' in navigation) fields.navigation = navigation.problem;
  if ('problem' in footer) fields.footer = footer.problem;
  if (Object.keys(fields).length) throw new AppError('invalid_input', Object.values(fields).join(' '), fields);
  return settings;
}

export async function settingsAdminRoutes(app: FastifyInstance, { store, defaults }: SettingsAdminOptions): Promise<void> {
  app.addHook('preHandler', async (request) => ensureCan(request.account, 'settings.manage'));

  function page(request: FastifyRequest, reply: FastifyReply, form: views.SettingsForm, fields: Record<string, string> = {}, message?: string, status = 200) {
    return reply.adminPage({ title: 'Settings', nav: 'settings', status, main: views.settingsPage({ csrfToken: request.csrfToken, form, timeZones: TIME_ZONES, fields, ...(message ? { message } : {}) }) });
  }

  app.get<{ Querystring: { saved?: string } }>('/settings', async (request, reply) =>
    page(request, reply, formFor(await loadSettings(store.db, defaults)), {}, request.query.saved ? 'The settings have been saved; the site shows them now.' : undefined),
  );

  app.post('/settings', async (request, reply) => {
    const form = formOf(request.body);
    try {
      await saveSettings(store, request.account, settingsOf(form));
      return reply.redirect('/admin/settings?saved=1', 303);
    } catch (error) {
      const fields = refusedFields(error);
      if (!fields) throw error;
      return page(request, reply, form, fields, undefined, 422);
    }
  });
}
