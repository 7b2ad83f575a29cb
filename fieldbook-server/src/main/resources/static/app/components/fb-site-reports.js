import { html } from 'lit';
import { t, formatDay } from '../messages.js';
import * as store from '../store.js';
import { Screen, focusHeading } from './screen.js';
import { statusBadge } from './status-badge.js';

/** The reports of one site on this device, newest first. */
class FbSiteReports extends Screen {
  static properties = {
    account: { attribute: false },
    siteId: { attribute: false },
    site: { state: true },
    reports: { state: true },
    names: { state: true },
    waiting: { state: true },
    loaded: { state: true },
  };

  async load() {
    this.site = await store.site(this.siteId);
    this.reports = this.site ? await store.reportsOfSite(this.siteId) : [];
    this.names = await store.people();
    this.waiting = await store.waitingEntityIds();
    this.loaded = true;
  }

  firstUpdated() {
    focusHeading(this);
  }

  render() {
    if (!this.loaded) {
      return html`<p>${t('app.loading')}</p>`;
    }
    if (!this.site) {
      return html`<h1 tabindex="-1">${t('report.title')}</h1><p class="empty">${t('report.notFound')}</p>`;
    }
    return html`
      <p class="back"><a href="#/">← ${t('report.back')}</a></p>
      <h1 tabindex="-1">${t('past.title', { site: this.site.code + ' ' + this.site.name })}</h1>
      <div class="actions"><a class="button" href="#/sites/${this.site.id}/photos">${t('gallery.open')}</a></div>
      ${this.reports.length === 0 ? html`<p class="empty">${t('past.none')}</p>` : ''}
      <ul class="rows">
        ${this.reports.map((report) => html`
          <li><a class="row" href="#/reports/${report.id}">
            <span class="date">${formatDay(report.date)}</span>
            <span class="muted">${this.names.get(report.authorId) ?? ''}</span>
            <span>${statusBadge(report.fields.status, this.waiting.has(report.id))}</span>
          </a></li>`)}
      </ul>`;
  }
}

customElements.define('fb-site-reports', FbSiteReports);
