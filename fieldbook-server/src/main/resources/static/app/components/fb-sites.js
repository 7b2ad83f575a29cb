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
    attention: { state: true },
  };

  async load() {
    const me = this.account;
    const waiting = await store.waitingEntityIds();
    const list = [];
    const todayAt = new Map();
    for (const site of await store.sites()) {
      const today = todayIn(site.timezone);
      todayAt.set(site.id, today);
      const report = me ? await store.reportOf(site.id, today, me.id) : null;
      list.push({ site, today, report, waiting: report && waiting.has(report.id) });
    }
    // a field worker's earlier reports that wait for them: returned to be fixed, or drafts of a past day not submitted
    const attention = me?.role !== 'WORKER' ? [] : (await store.allReports())
      .filter((report) => report.authorId === me.id && todayAt.has(report.siteId) && report.date < todayAt.get(report.siteId)
        && (report.fields.status === 'RETURNED' || report.fields.status === 'DRAFT'))
      .sort((a, b) => a.date.localeCompare(b.date) || a.siteId.localeCompare(b.siteId));
    const codes = new Map(list.map(({ site }) => [site.id, site.code]));
    this.attention = attention.map((report) => ({ report, code: codes.get(report.siteId), waiting: waiting.has(report.id) }));
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
      ${this.attention?.length ? html`
        <section aria-labelledby="attention-heading" data-testid="attention">
          <h2 id="attention-heading">${t('sites.attention')}</h2>
          <ul class="rows">
            ${this.attention.map(({ report, code, waiting }) => html`
              <li><a class="row" href="#/reports/${report.id}">
                <span class="date">${formatDay(report.date)}</span>
                <span class="code">${code}</span>
                <span>${statusBadge(report.fields.status, waiting)}</span>
                <span class="muted">${t(report.fields.status === 'RETURNED' ? 'sites.attentionReturned' : 'sites.attentionDraft')}</span>
              </a></li>`)}
          </ul>
        </section>` : ''}
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
