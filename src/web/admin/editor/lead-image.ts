// The article form's lead image picker (src/web/admin/media-picker.ts renders its fields): "Choose" opens
// the media library (search, or upload there; a picture without a description is described first and
// saved in the library, which a lead image needs), "Remove" empties it, and "Crop" lets one drag a
// rectangle over the preview, written to the crop field in thousandths. The two text fields stay: they
// are the keyboard's way and what the form sends.
import { chooseFromLibrary, csrfTokenOf, describePicture, type PickerItem } from './media-library.ts';

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const clamp = (v: number) => Math.min(1000, Math.max(0, Math.round(v)));

/** "x,y,w,h" in thousandths, or null when empty or malformed. */
function parseBox(text: string): Box | null {
  const parts = text.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n))) return null;
  const [x, y, w, h] = parts as [number, number, number, number];
  return w > 0 && h > 0 && x >= 0 && y >= 0 && x + w <= 1000 && y + h <= 1000 ? { x, y, w, h } : null;
}

/** A library picture by its number, or null when there is none. */
async function pictureById(id: string): Promise<PickerItem | null> {
  try {
    const response = await fetch(`/admin/media/${id}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    return response.ok ? ((await response.json()) as { image: PickerItem }).image : null;
  } catch {
    return null;
  }
}

function button(doc: Document, label: string, onClick: () => void): HTMLButtonElement {
  const b = doc.createElement('button');
  b.type = 'button';
  b.className = 'button secondary';
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

export function enhanceLeadImage(section: HTMLElement): void {
  const doc = section.ownerDocument;
  const idField = section.querySelector<HTMLInputElement>('input[name="lead_image_id"]');
  const cropField = section.querySelector<HTMLInputElement>('input[name="lead_image_crop"]');
  const preview = section.querySelector<HTMLElement>('[data-lead-preview]');
  const box = section.querySelector<HTMLElement>('[data-crop-box]');
  const caption = section.querySelector<HTMLElement>('[data-lead-caption]');
  const actions = section.querySelector<HTMLElement>('[data-lead-actions]');
  if (!idField || !cropField || !preview || !box || !actions || section.dataset.leadReady) return;
  section.dataset.leadReady = 'true';
  const token = csrfTokenOf(section);
  const image = () => preview.querySelector<HTMLImageElement>('img[data-lead-img]');
  let cropping = false;

  const changed = (field: HTMLInputElement) => field.dispatchEvent(new Event('input', { bubbles: true }));

  function drawBox(): void {
    const b = parseBox(cropField!.value);
    if (!b || !image()) {
      box!.hidden = true;
      return;
    }
    Object.assign(box!.style, { left: `${b.x / 10}%`, top: `${b.y / 10}%`, width: `${b.w / 10}%`, height: `${b.h / 10}%` });
    box!.hidden = false;
  }

  function show(item: PickerItem | null): void {
    const empty = doc.createElement('p');
    empty.className = 'empty';
    empty.dataset.leadEmpty = '';
    empty.textContent = 'No lead image. Choose one from the media library or upload one.';
    let shown: HTMLElement = empty;
    if (item) {
      const img = doc.createElement('img');
      img.src = item.src;
      img.width = item.width;
      img.height = item.height;
      img.alt = item.alt;
      img.dataset.leadImg = '';
      shown = img;
    }
    preview!.querySelector('[data-lead-empty], img[data-lead-img]')?.replaceWith(shown);
    const words = item ? [item.caption, item.credit].filter(Boolean).join(' — ') : '';
    const undescribed = item !== null && !item.alt && !item.decorative;
    if (caption) caption.textContent = undescribed ? `No alt text yet: add it in the media library before publishing. ${words}`.trim() : words;
    refresh();
  }

  const choose = button(doc, 'Choose from library', async () => {
    const chosen = await chooseFromLibrary(doc, token, { title: 'Choose the lead image' });
    if (!chosen || 'byAddress' in chosen) return void choose.focus();
    let item = chosen.item;
    if (chosen.fresh || (!item.alt && !item.decorative)) {
      const described = await describePicture(doc, item, chosen.fresh, token, 'Use as lead image');
      if (!described) return void choose.focus();
      item = described.item;
    }
    idField.value = String(item.id);
    cropField.value = '';
    changed(idField);
    changed(cropField);
    show(item);
    choose.focus();
  });
  const remove = button(doc, 'Remove', () => {
    idField.value = '';
    cropField.value = '';
    changed(idField);
    changed(cropField);
    setCropping(false);
    show(null);
    choose.focus();
  });
  const crop = button(doc, 'Crop for this article', () => setCropping(!cropping));
  const uncrop = button(doc, 'Use the whole picture', () => {
    cropField.value = '';
    changed(cropField);
    drawBox();
    refresh();
  });
  actions.append(choose, crop, uncrop, remove);
  actions.hidden = false;

  function refresh(): void {
    const has = image() !== null;
    remove.hidden = !has && idField!.value === '';
    crop.hidden = !has;
    uncrop.hidden = !has || cropField!.value === '';
    choose.textContent = has ? 'Change picture' : 'Choose from library';
    if (!has) setCropping(false);
    drawBox();
  }

  function setCropping(on: boolean): void {
    cropping = on;
    preview!.classList.toggle('is-cropping', on);
    crop.textContent = on ? 'Done cropping' : 'Crop for this article';
    crop.setAttribute('aria-pressed', String(on));
  }

  // Dragging a rectangle over the preview while cropping.
  let start: { x: number; y: number } | null = null;
  const at = (e: PointerEvent) => {
    const r = image()!.getBoundingClientRect();
    return { x: clamp(((e.clientX - r.left) / r.width) * 1000), y: clamp(((e.clientY - r.top) / r.height) * 1000) };
  };
  const write = (a: { x: number; y: number }, b: { x: number; y: number }) => {
    const x = Math.min(a.x, b.x);
    const y = Math.min(a.y, b.y);
    const w = Math.abs(a.x - b.x);
    const h = Math.abs(a.y - b.y);
    if (w < 20 || h < 20) return;
    cropField!.value = `${x},${y},${w},${h}`;
    drawBox();
  };
  preview.addEventListener('pointerdown', (e) => {
    if (!cropping || !image() || e.target !== image()) return;
    e.preventDefault();
    start = at(e);
    preview.setPointerCapture(e.pointerId);
  });
  preview.addEventListener('pointermove', (e) => {
    if (start) write(start, at(e));
  });
  preview.addEventListener('pointerup', (e) => {
    if (!start) return;
    write(start, at(e));
    start = null;
    changed(cropField);
    refresh();
  });
  // A number typed by hand: the preview shows that picture (or none, with the reason).
  idField.addEventListener('change', async () => {
    const typed = idField.value.trim();
    if (!/^[1-9][0-9]{0,9}$/.test(typed)) return show(null);
    const item = await pictureById(typed);
    show(item);
    if (!item && caption) caption.textContent = `There is no picture number ${typed} in the media library.`;
  });
  // Typing in the crop field: the crop box follows.
  cropField.addEventListener('input', () => {
    drawBox();
    uncrop.hidden = !image() || cropField.value === '';
  });
  refresh();
}

export function enhanceLeadImages(root: ParentNode): void {
  for (const section of Array.from(root.querySelectorAll<HTMLElement>('[data-lead-image]'))) enhanceLeadImage(section);
}
