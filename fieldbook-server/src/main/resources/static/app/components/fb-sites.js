import { html } from 'lit';
import { t, formatDay } from '../messages.js';
import * as store from '../store.js';
import { todayIn } from '../report-fields.js';
import { Screen, focusHeading } from './screen.js';
import { statusBadge } from './status-badge.js';

/** The person's sites, each with today's report one tap away (today in the site's timezone). */
class FbSites extends Screen {
  static properties = {
    account: { attribute: false },
    sites: { state: true },
  };

  async load() {
    const me = this.account;
    const waiting = await store.waitingEntityIds();
    const list = [];
    for (const site of await store.sites()) {
      const today = todayIn(site.timezone);
      const report = me ? await store.reportOf(site.id, today, me.id) : null;
      list.push({ site, today, report, waiting: report && waiting.has(report.id) });
    }
    this.sites = list;
  }

  firstUpdated() {
    if (!this.previousElementSibling || this.previousElementSibling.tagName === 'FB-FIRST-RUN') {
      focusHeading(this);
    }
  }

  render() {
    if (!this.sites) {
      return html`<p>${t('app.loading')}</p>`;
    }
    const worker = this.account?.role === 'WORKER';
    return html`
      <h1 tabindex="-1">${t('sites.title')}</h1>
      ${this.sites.length === 0 ? html`<p class="empty">${t('sites.empty')}</p>` : ''}
      <ul class="cards">
        ${this.sites.map(({ site, today, report, waiting }) => html`
          <li class="card site" data-site=${site.code}>
            <h2><span class="code">${site.code}</span> ${site.name}</h2>
            <p class="muted">${t('sites.localDate', { date: formatDay(today) })}</p>
            ${report ? html`<p>${statusBadge(report.fields.status, waiting)}</p>` : ''}
            <div class="actions">
              ${worker ? html`<a class="button primary" href="#/sites/${site.id}/today">
                ${t(TODAY_ACTION[report?.fields.status] ?? 'sites.today')}</a>` : ''}
              <a class="button" href="#/sites/${site.id}">${t('sites.past')}</a>
            </div>
          </li>`)}
      </ul>`;
  }
}

/** What the main button of a site says, by the status of today's report (none: start it). */
const TODAY_ACTION = {
  DRAFT: 'sites.todayStarted',
  RETURNED: 'sites.todayReturned',
  SUBMITTED: 'sites.todayOpen',
  APPROVED: 'sites.todayOpen',
};

customElements.define('fb-sites', FbSites);
