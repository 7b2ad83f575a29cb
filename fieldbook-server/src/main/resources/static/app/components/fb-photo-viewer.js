import { LitElement, html } from 'lit';
import { t, formatDay } from '../messages.js';

/**
 * A photo at full size in a modal dialog, with its caption, previous / next (buttons or the arrow keys)
 * and close (button or Escape). The device's own copy shows while it waits to upload; a photo on the
 * server is fetched from it, and offline the thumbnail stands in with a note.
 */
class FbPhotoViewer extends LitElement {
  static properties = {
    photos: { attribute: false },
    index: { state: true },
    failed: { state: true },
  };

  constructor() {
    super();
    this.photos = [];
    this.index = 0;
    this.urls = new Map();
  }

  createRenderRoot() {
    return this;
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.urls.forEach((url) => URL.revokeObjectURL(url));
    this.urls.clear();
  }

  /** Opens the viewer on the photo at {@code index}; focus returns to {@code opener} when it closes. */
  async open(index, opener) {
    this.index = index;
    this.failed = false;
    this.opener = opener;
    await this.updateComplete;
    const dialog = this.querySelector('dialog');
    if (!dialog.open) {
      dialog.showModal();
    }
    dialog.querySelector('.viewer-close')?.focus();
  }

  close() {
    this.querySelector('dialog')?.close();
  }

  closed() {
    this.opener?.focus?.();
  }

  step(by) {
    const count = this.photos.length;
    if (count > 1) {
      this.index = (this.index + by + count) % count;
      this.failed = false;
    }
  }

  keydown(event) {
    if (event.key === 'ArrowRight') {
      event.preventDefault();
      this.step(1);
    } else if (event.key === 'ArrowLeft') {
      event.preventDefault();
      this.step(-1);
    }
  }

  urlOf(blob, key) {
    if (!this.urls.has(key)) {
      this.urls.set(key, URL.createObjectURL(blob));
    }
    return this.urls.get(key);
  }

  /** The full-size source, or the thumbnail when the full photo cannot be had (offline, or not uploaded). */
  sourceOf(photo) {
    if (photo.blob) {
      return { url: this.urlOf(photo.blob, `${photo.id}:full`), full: true };
    }
    if (!photo.pending && !this.failed) {
      return { url: `/api/v1/photos/${photo.id}/content`, full: true };
    }
    if (photo.thumb) {
      return { url: this.urlOf(photo.thumb, `${photo.id}:thumb`), full: false };
    }
    return { url: photo.serverThumbnail && !photo.pending ? `/api/v1/photos/${photo.id}/thumbnail` : null, full: false };
  }

  render() {
    const photo = this.photos[this.index];
    const source = photo ? this.sourceOf(photo) : null;
    const alt = photo ? photo.caption || t('report.photos.alt', { number: this.index + 1 }) : '';
    return html`
      <dialog class="viewer" aria-labelledby="viewer-title" @close=${() => this.closed()} @keydown=${(e) => this.keydown(e)}
        data-testid="photo-viewer">
        ${photo ? html`
          <div class="viewer-bar">
            <h2 id="viewer-title">${photo.caption || t('viewer.untitled')}</h2>
            <button type="button" class="viewer-close" @click=${() => this.close()}>✕ ${t('viewer.close')}</button>
          </div>
          <div class="viewer-image">
            ${source?.url ? html`<img src=${source.url} alt=${alt} data-testid="viewer-image" data-full=${source.full ? 'yes' : 'no'}
              @error=${() => { this.failed = true; }}>` : html`<p class="muted">${t('viewer.noImage')}</p>`}
          </div>
          ${source && !source.full ? html`<p class="notice" data-testid="viewer-note">${t('viewer.thumbnailOnly')}</p>` : ''}
          <div class="viewer-nav">
            ${this.photos.length > 1 ? html`<button type="button" @click=${() => this.step(-1)}>← ${t('viewer.previous')}</button>` : html`<span></span>`}
            <span data-testid="viewer-position">${t('viewer.position', { number: this.index + 1, count: this.photos.length })}${photo.date
              ? html`<br>${formatDay(photo.date)}` : ''}</span>
            ${this.photos.length > 1 ? html`<button type="button" @click=${() => this.step(1)}>${t('viewer.next')} →</button>` : html`<span></span>`}
          </div>
          ${photo.reportLink ? html`<p><a href=${photo.reportLink} @click=${() => this.close()}>${t('viewer.openReport')}</a></p>` : ''}` : ''}
      </dialog>`;
  }
}

customElements.define('fb-photo-viewer', FbPhotoViewer);
