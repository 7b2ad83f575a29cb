import { html } from 'lit';
import { t, formatDay } from '../messages.js';
import * as store from '../store.js';
import { Screen, focusHeading } from './screen.js';
import { statusBadge } from './status-badge.js';

/** A manager's queue: the submitted reports of their sites, oldest first. */
class FbReview extends Screen {
  static properties = {
    account: { attribute: false },
    queue: { state: true },
  };

  async load() {
    const sites = new Map((await store.sites()).map((site) => [site.id, site]));
    const names = await store.people();
    const waiting = await store.waitingEntityIds();
    this.queue = (await store.allReports())
      .filter((report) => report.fields.status === 'SUBMITTED')
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((report) => ({ report, site: sites.get(report.siteId), author: names.get(report.authorId), waiting: waiting.has(report.id) }));
  }

  firstUpdated() {
    focusHeading(this);
  }

  render() {
    if (!this.queue) {
      return html`<p>${t('app.loading')}</p>`;
    }
    return html`
      <h1 tabindex="-1">${t('review.title')}</h1>
      ${this.queue.length === 0 ? html`<p class="empty">${t('review.none')}</p>` : ''}
      <ul class="rows">
        ${this.queue.map(({ report, site, author, waiting }) => html`
          <li><a class="row" href="#/reports/${report.id}">
            <span class="date">${formatDay(report.date)}</span>
            <span>${site ? site.code + ' ' + site.name : ''}</span>
            <span class="muted">${author ? t('review.by', { name: author }) : ''}</span>
            <span>${statusBadge(report.fields.status, waiting)}</span>
          </a></li>`)}
      </ul>`;
  }
}

customElements.define('fb-review', FbReview);
