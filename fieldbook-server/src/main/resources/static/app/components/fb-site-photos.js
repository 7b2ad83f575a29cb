import { html } from 'lit';
import { t, formatDay } from '../messages.js';
import * as store from '../store.js';
import './fb-photo-viewer.js';
import { Screen, focusHeading } from './screen.js';
import { thumbnail } from './thumbnail.js';

/** Every photo of a site's reports on this device, by day, newest first; each opens large. */
class FbSitePhotos extends Screen {
  static properties = {
    siteId: { attribute: false },
    site: { state: true },
    photos: { state: true },
    loaded: { state: true },
  };

  constructor() {
    super();
    this.thumbnails = new Map();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.thumbnails.forEach((url) => URL.revokeObjectURL(url));
    this.thumbnails.clear();
  }

  async load() {
    this.site = await store.site(this.siteId);
    const photos = [];
    for (const report of this.site ? await store.reportsOfSite(this.siteId) : []) {
      for (const photo of await store.photosOf(report.id)) {
        photos.push({ ...photo, date: report.date, reportLink: `#/reports/${report.id}` });
      }
    }
    this.photos = photos;
    this.loaded = true;
  }

  firstUpdated() {
    focusHeading(this);
  }

  thumbnailOf(photo) {
    if (photo.thumb) {
      if (!this.thumbnails.has(photo.id)) {
        this.thumbnails.set(photo.id, URL.createObjectURL(photo.thumb));
      }
      return this.thumbnails.get(photo.id);
    }
    return photo.serverThumbnail && !photo.pending ? `/api/v1/photos/${photo.id}/thumbnail` : null;
  }

  render() {
    if (!this.loaded) {
      return html`<p>${t('app.loading')}</p>`;
    }
    if (!this.site) {
      return html`<h1 tabindex="-1">${t('gallery.title')}</h1><p class="empty">${t('report.notFound')}</p>`;
    }
    const days = [];
    this.photos.forEach((photo, index) => {
      if (days.at(-1)?.date !== photo.date) {
        days.push({ date: photo.date, items: [] });
      }
      days.at(-1).items.push({ photo, index });
    });
    return html`
      <p class="back"><a href="#/sites/${this.site.id}">← ${t('past.title', { site: `${this.site.code} ${this.site.name}` })}</a></p>
      <h1 tabindex="-1">${t('gallery.title')}: ${this.site.code} ${this.site.name}</h1>
      ${this.photos.length === 0 ? html`<p class="empty">${t('gallery.none')}</p>` : ''}
      ${days.map((day) => html`
        <section class="gallery-day">
          <h2>${formatDay(day.date)}</h2>
          <ul class="photo-list" data-testid="gallery">
            ${day.items.map(({ photo, index }) => {
              const source = this.thumbnailOf(photo);
              const name = photo.caption || t('report.photos.alt', { number: index + 1 });
              return html`<li><figure>
                <button type="button" class="photo-open" @click=${(e) => this.querySelector('fb-photo-viewer').open(index, e.currentTarget)}>
                  ${source ? thumbnail(source, name) : html`<div class="no-thumbnail" aria-hidden="true">▣</div>
                    <span class="visually-hidden">${name}</span>`}
                  <span class="visually-hidden">${t('viewer.open')}</span></button>
                ${photo.caption ? html`<figcaption>${photo.caption}</figcaption>` : ''}
              </figure></li>`;
            })}
          </ul>
        </section>`)}
      <fb-photo-viewer .photos=${this.photos}></fb-photo-viewer>`;
  }
}

customElements.define('fb-site-photos', FbSitePhotos);
