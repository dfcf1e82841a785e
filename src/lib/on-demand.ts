// Packages that only some work needs are loaded the first time that work runs, not when a module that
// uses them is imported: pictures (sharp, exif-reader), mail (nodemailer), and the cleaning and parsing of
// bodies as they are written (markdown-it, sanitize-html, htmlparser2), staff passwords (@node-rs/argon2),
// the two-step sign-in's QR code (qrcode) and webhook signatures (standardwebhooks). A search thread imports the article
// and comment services for their read side and never runs that work, so it never loads them: about 10 MB
// less resident memory per thread (decision 0050). A server that only serves readers never signs anyone in
// nor sends a webhook: about 8 MB less (decision 0053). The CLI's commands that touch none of it start faster.
// These load the packages' CommonJS builds, so a package is loaded here only, never imported elsewhere
// too: a process would hold both builds. (The WordPress import imports htmlparser2 for its DOM, whose
// classes it compares with instanceof; body-html.ts only uses its streaming Parser, so the two never meet.)
import { createRequire } from 'node:module';
import type * as Argon2 from '@node-rs/argon2';
import type ExifReader from 'exif-reader';
import type * as Htmlparser2 from 'htmlparser2';
import type MarkdownIt from 'markdown-it';
import type Nodemailer from 'nodemailer';
import type QRCode from 'qrcode';
import type SanitizeHtml from 'sanitize-html';
import type Sharp from 'sharp';
import type * as StandardWebhooks from 'standardwebhooks';

const require = createRequire(import.meta.url);

/** The value `load` returns, made on the first call and kept. */
export function onDemand<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

export const markdownIt = onDemand(() => require('markdown-it') as typeof MarkdownIt);
export const sanitizeHtml = onDemand(() => require('sanitize-html') as typeof SanitizeHtml);
export const htmlparser2 = onDemand(() => require('htmlparser2') as typeof Htmlparser2);
export const nodemailer = onDemand(() => require('nodemailer') as typeof Nodemailer);
export const argon2 = onDemand(() => require('@node-rs/argon2') as typeof Argon2);
export const qrcode = onDemand(() => require('qrcode') as typeof QRCode);
export const standardWebhooks = onDemand(() => require('standardwebhooks') as typeof StandardWebhooks);
export const exifReader = onDemand(() => require('exif-reader') as typeof ExifReader);
/** sharp, with its cache off and one libvips thread per operation (the pipeline bounds how many run at once). */
export const sharp = onDemand(() => {
  const loaded = require('sharp') as typeof Sharp;
  loaded.cache(false);
  loaded.concurrency(1);
  return loaded;
});
