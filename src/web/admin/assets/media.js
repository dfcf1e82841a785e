// The media library's helpers (progressive: every form works without them). The upload field becomes a
// drop zone taking several files at once, each sent as its own request with its progress and its own
// refusal; a picture's focal point is set by clicking or tapping on it (the number fields stay the
// keyboard's way); deleting asks once more.

/** Sends one file; resolves to the server's JSON answer and status. */
function send(url, token, file, onProgress) {
  return new Promise((resolve) => {
    const data = new FormData();
    data.append('_csrf', token);
    data.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      let body = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = {};
      }
      resolve({ status: xhr.status, body });
    });
    xhr.addEventListener('error', () => resolve({ status: 0, body: {} }));
    xhr.send(data);
  });
}

/** Why an upload was refused, naming the file (the server's field message already does). */
function reasonOf(file, answer) {
  if (answer.status === 0) return `${file.name}: the server could not be reached. Try again.`;
  const error = answer.body.error ?? {};
  const text = error.fields?.file ?? error.message ?? `the server answered ${answer.status}`;
  return text.includes(file.name) ? text : `${file.name}: ${text}`;
}

function cardFor(image) {
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.href = image.editUrl;
  a.className = 'media-card';
  const img = document.createElement('img');
  img.src = image.thumb.src;
  img.width = image.thumb.width;
  img.height = image.thumb.height;
  img.alt = '';
  const name = document.createElement('span');
  name.className = 'media-card-name';
  name.dir = 'auto';
  name.textContent = image.fileName;
  const meta = document.createElement('span');
  meta.className = 'media-card-meta';
  meta.textContent = `${image.width}×${image.height} · just uploaded`;
  a.append(img, name, meta);
  li.append(a);
  return li;
}

function enhanceUpload(form) {
  const input = form.querySelector('input[type="file"]');
  const zone = form.querySelector('[data-dropzone]');
  const list = form.querySelector('[data-upload-list]');
  const token = form.querySelector('input[name="_csrf"]').value;
  if (!input || !zone || !list) return;
  input.multiple = true;
  form.querySelector('[data-drop-hint]')?.removeAttribute('hidden');
  form.querySelector('[data-upload-button]')?.setAttribute('hidden', '');
  zone.classList.add('is-enhanced');
  // The server's own refusal (no script path) is replaced by the per-file list from now on.
  const serverError = zone.querySelector('.field-error');

  async function uploadAll(files) {
    serverError?.remove();
    input.removeAttribute('aria-invalid');
    let grid = document.querySelector('[data-media-grid]');
    for (const file of files) {
      const row = document.createElement('li');
      const name = document.createElement('span');
      name.className = 'upload-name';
      name.textContent = file.name;
      const bar = document.createElement('progress');
      bar.max = 1;
      bar.value = 0;
      bar.setAttribute('aria-label', `Uploading ${file.name}`);
      const state = document.createElement('span');
      state.className = 'upload-state';
      state.textContent = 'Uploading…';
      row.append(name, bar, state);
      list.append(row);
      const answer = await send(form.action, token, file, (p) => {
        bar.value = p;
      });
      bar.remove();
      if (answer.status === 201 && answer.body.image) {
        const image = answer.body.image;
        state.textContent = '';
        const link = document.createElement('a');
        link.href = image.editUrl;
        link.textContent = 'Uploaded: add its alt text, caption and credit';
        state.append(link);
        row.classList.add('is-done');
        if (!grid) {
          grid = document.createElement('ul');
          grid.className = 'media-grid';
          grid.dataset.mediaGrid = '';
          document.querySelector('.empty-state')?.replaceWith(grid);
        }
        grid?.prepend(cardFor(image));
      } else if (answer.status === 201 && answer.body.document) {
        const doc = answer.body.document;
        state.textContent = '';
        const link = document.createElement('a');
        link.href = '/admin/media?type=documents';
        link.textContent = `Stored as a document (SHA-256 ${doc.sha256.slice(0, 12)}…): cite it from an article’s sources`;
        state.append(link);
        row.classList.add('is-done');
      } else {
        state.textContent = reasonOf(file, answer);
        row.classList.add('is-error');
        state.classList.add('field-error');
      }
    }
  }

  input.addEventListener('change', () => {
    if (input.files?.length) void uploadAll([...input.files]).then(() => (input.value = ''));
  });
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, (e) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      zone.classList.add('is-dragging');
    });
  }
  zone.addEventListener('dragleave', (e) => {
    if (!zone.contains(e.relatedTarget)) zone.classList.remove('is-dragging');
  });
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('is-dragging');
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) void uploadAll(files);
  });
}

function enhanceFocal(picker) {
  const img = picker.querySelector('[data-focal-image]');
  const marker = picker.querySelector('[data-focal-marker]');
  const form = document.querySelector('input[name="focal_x"]')?.form;
  if (!img || !marker || !form) return;
  const x = form.elements.namedItem('focal_x');
  const y = form.elements.namedItem('focal_y');
  document.querySelector('[data-focal-hint]')?.removeAttribute('hidden');
  picker.classList.add('is-enhanced');
  const saved = { x: x.value, y: y.value };
  const crops = [...document.querySelectorAll('img[data-crop-aspect]')];
  const note = document.querySelector('[data-crop-note]');
  const place = () => {
    const px = Math.min(100, Math.max(0, Number(x.value) || 0));
    const py = Math.min(100, Math.max(0, Number(y.value) || 0));
    marker.style.left = `${px}%`;
    marker.style.top = `${py}%`;
    marker.hidden = false;
    if (x.value !== saved.x || y.value !== saved.y) previewCrops(px / 100, py / 100);
  };
  // Until saved, the crops are shown from the whole picture, cut as the server will cut them: the largest
  // region of their shape, centred on the focal point as far as the edges allow.
  const previewCrops = (fx, fy) => {
    const aspect = img.naturalWidth && img.naturalHeight ? img.naturalWidth / img.naturalHeight : img.width / img.height;
    for (const crop of crops) {
      const target = Number(crop.dataset.cropAspect);
      const rw = aspect > target ? target / aspect : 1;
      const rh = aspect > target ? 1 : aspect / target;
      const left = Math.min(1 - rw, Math.max(0, fx - rw / 2));
      const top = Math.min(1 - rh, Math.max(0, fy - rh / 2));
      if (crop.getAttribute('src') !== img.currentSrc) crop.src = img.currentSrc || img.src;
      crop.classList.add('is-preview');
      crop.style.aspectRatio = String(target);
      crop.style.objectPosition = `${rw < 1 ? (left / (1 - rw)) * 100 : 50}% ${rh < 1 ? (top / (1 - rh)) * 100 : 50}%`;
    }
    note?.removeAttribute('hidden');
  };
  img.addEventListener('click', (e) => {
    const box = img.getBoundingClientRect();
    const round = (v) => String(Math.round(Math.min(1, Math.max(0, v)) * 1000) / 10);
    x.value = round((e.clientX - box.left) / box.width);
    y.value = round((e.clientY - box.top) / box.height);
    place();
    x.dispatchEvent(new Event('input', { bubbles: true }));
  });
  x.addEventListener('input', place);
  y.addEventListener('input', place);
  place();
}

for (const form of document.querySelectorAll('form[data-media-upload]')) enhanceUpload(form);
for (const picker of document.querySelectorAll('[data-focal-picker]')) enhanceFocal(picker);
for (const form of document.querySelectorAll('form[data-confirm]')) {
  form.addEventListener('submit', (e) => {
    if (!window.confirm(form.dataset.confirm)) e.preventDefault();
  });
}
