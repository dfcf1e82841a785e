// The article form's helpers (progressive: the form works without them). Autosave every few seconds
// while something changed, a warning before leaving with unsaved changes, the text direction of the
// content fields following the language, and the search preview's lengths as one types.
const form = document.querySelector('form[data-article-form]');
if (form) {
  const AUTOSAVE_MS = 5000;
  const status = form.querySelector('[data-autosave-status]');
  const versionInput = form.querySelector('[data-version]');
  const autosaveUrl = form.getAttribute('data-autosave');
  const serialise = () => {
    const data = new URLSearchParams(new FormData(form));
    data.delete('_csrf');
    return data.toString();
  };
  let saved = serialise();
  let submitting = false;
  let saving = false;
  let stopped = false;

  const say = (text) => {
    if (status) status.textContent = text;
  };
  const dirty = () => serialise() !== saved;

  async function autosave() {
    if (!autosaveUrl || stopped || saving || submitting || !dirty()) return;
    saving = true;
    const snapshot = serialise();
    const body = new URLSearchParams(new FormData(form));
    try {
      const response = await fetch(autosaveUrl, {
        method: 'POST',
        headers: { accept: 'application/json', 'x-csrf-token': body.get('_csrf') ?? '' },
        body,
        credentials: 'same-origin',
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok) {
        if (versionInput && answer.version) versionInput.value = String(answer.version);
        // What the server now holds; later typing is compared with it.
        saved = snapshot.replace(/(^|&)version=\d+/, `$1version=${answer.version}`);
        say(`Saved automatically at ${new Date().toLocaleTimeString()}.`);
      } else if (response.status === 422) {
        say('Not saved automatically: some fields need attention. Save the draft to see which.');
      } else {
        stopped = true;
        say(`Not saved automatically: ${answer.error?.message ?? 'the server refused it'} Save the draft to see what to do.`);
      }
    } catch {
      say('Not saved automatically: the server could not be reached. Your text is still here.');
    } finally {
      saving = false;
    }
  }
  if (autosaveUrl) setInterval(autosave, AUTOSAVE_MS);

  form.addEventListener('submit', () => {
    submitting = true;
  });
  window.addEventListener('beforeunload', (event) => {
    if (submitting || !dirty()) return;
    event.preventDefault();
    event.returnValue = '';
  });

  // Text direction follows the language.
  const language = form.querySelector('select[name="language"]');
  const RTL = /^(ar|fa|he|ur|ps|ckb|yi|dv)(-|$)/;
  const contentFields = ['headline', 'subtitle', 'tags', 'summary', 'body', 'image_alt', 'seo_title', 'seo_description'].map((name) => form.querySelector(`[name="${name}"]`)).filter(Boolean);
  const preview = document.querySelector('[data-search-preview] .serp');
  language?.addEventListener('change', () => {
    const dir = RTL.test(language.value) ? 'rtl' : 'ltr';
    for (const field of contentFields) field.setAttribute('dir', dir);
    preview?.setAttribute('dir', dir);
  });

  // The search and social texts: the preview and the live character counts (the SEO title and description
  // stand in for the headline and the subtitle or summary when they are filled in; decision 0033).
  const headline = form.querySelector('[name="headline"]');
  const subtitle = form.querySelector('[name="subtitle"]');
  const summary = form.querySelector('[name="summary"]');
  const seoTitle = form.querySelector('[name="seo_title"]');
  const seoDescription = form.querySelector('[name="seo_description"]');
  const title = document.querySelector('[data-preview-title]');
  const description = document.querySelector('[data-preview-description]');
  const lengthOf = (name) => document.querySelector(`[data-length-of="${name}"]`);
  const count = (what, text, element) => {
    const shown = Number(element.dataset.lengthShown);
    const n = text.length;
    return `${what}: ${n} ${n === 1 ? 'character' : 'characters'}; about ${shown} show in full in search results and social cards.${n > shown ? ' This one will be cut.' : ''}`;
  };
  const update = () => {
    const t = seoTitle?.value.trim() || headline?.value || '';
    const d = seoDescription?.value.trim() || subtitle?.value || summary?.value || '';
    if (title) title.textContent = t || 'Headline';
    if (description) description.textContent = d || 'The subtitle (or the summary) is shown here.';
    const tl = lengthOf('title');
    if (tl) tl.textContent = count(seoTitle?.value.trim() ? 'SEO title' : 'Title (the headline)', t, tl);
    const dl = lengthOf('description');
    if (dl) dl.textContent = count(seoDescription?.value.trim() ? 'SEO description' : 'Description (the subtitle or summary)', d, dl);
  };
  for (const field of [headline, subtitle, summary, seoTitle, seoDescription]) field?.addEventListener('input', update);
}
