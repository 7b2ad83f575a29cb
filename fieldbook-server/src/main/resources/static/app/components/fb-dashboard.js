import { html } from 'lit';
import { t } from '../messages.js';
import * as store from '../store.js';
import { todayIn } from '../report-fields.js';
import { Screen, focusHeading } from './screen.js';

const SYMBOLS = { MISSING: '✗', DRAFT: '✎', SUBMITTED: '➜', RETURNED: '↩', APPROVED: '✓' };
// When several people report on one site and day, the cell shows what needs attention first.
const ATTENTION = ['RETURNED', 'DRAFT', 'SUBMITTED', 'APPROVED'];

/**
 * The portfolio at a glance: sites by days of a month, each day's report status (a missing report
 * stands out), and hours and headcount by trade over the month. Built from the reports on the device.
 */
class FbDashboard extends Screen {
  static properties = {
    account: { attribute: false },
    month: { state: true },
    data: { state: true },
  };

  constructor() {
    super();
    this.month = new Date().toISOString().slice(0, 7);
  }

  async load() {
    const sites = await store.sites();
    const reports = (await store.allReports()).filter((r) => r.date.startsWith(this.month));
    this.data = { sites, reports };
  }

  shift(months) {
    const [year, month] = this.month.split('-').map(Number);
    const moved = new Date(Date.UTC(year, month - 1 + months, 1));
    this.month = moved.toISOString().slice(0, 7);
    this.load();
  }

  firstUpdated() {
    focusHeading(this);
  }

  /** Scrolls the grid so that the latest day with a report (or today) is in view. */
  updated() {
    const grid = this.querySelector('.grid-scroll');
    const cells = [...this.querySelectorAll('.status-grid tbody td:not(.cell-future)')];
    const latest = cells.filter((cell) => !cell.classList.contains('cell-missing')).at(-1) ?? cells.at(-1);
    if (grid && latest) {
      grid.scrollLeft = Math.max(0, latest.offsetLeft + latest.offsetWidth - grid.clientWidth + 48);
    }
  }

  render() {
    if (!this.data) {
      return html`<p>${t('app.loading')}</p>`;
    }
    const [year, month] = this.month.split('-').map(Number);
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const label = new Intl.DateTimeFormat(navigator.language || 'en', { month: 'long', year: 'numeric', timeZone: 'UTC' })
      .format(new Date(Date.UTC(year, month - 1, 1)));
    const dayNumbers = Array.from({ length: days }, (_, i) => i + 1);
    return html`
      <h1 tabindex="-1">${t('dashboard.title')}</h1>
      <div class="month">
        <button type="button" @click=${() => this.shift(-1)} aria-label=${t('dashboard.previous')}>←</button>
        <h2 class="month-name">${label}</h2>
        <button type="button" @click=${() => this.shift(1)} aria-label=${t('dashboard.next')}>→</button>
      </div>
      <div class="grid-scroll" tabindex="0" role="region" aria-label=${t('dashboard.grid')}>
        <table class="status-grid" data-testid="status-grid">
          <thead><tr><th scope="col">${t('dashboard.site')}</th>
            ${dayNumbers.map((day) => html`<th scope="col" class="day">${day}</th>`)}</tr></thead>
          <tbody>${this.data.sites.map((site) => this.row(site, dayNumbers))}</tbody>
        </table>
      </div>
      <p class="legend">${['MISSING', 'DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED'].map((status) => html`
        <span class="cell-${status.toLowerCase()}"><span aria-hidden="true">${SYMBOLS[status]}</span> ${t('dashboard.status.' + status)}</span>`)}</p>
      ${this.trades()}`;
  }

  row(site, dayNumbers) {
    const today = todayIn(site.timezone);
    const ofSite = this.data.reports.filter((r) => r.siteId === site.id);
    return html`<tr>
      <th scope="row"><a href="#/sites/${site.id}">${site.code}</a> <span class="muted">${site.name}</span></th>
      ${dayNumbers.map((day) => {
        const date = `${this.month}-${String(day).padStart(2, '0')}`;
        const reports = ofSite.filter((r) => r.date === date);
        if (reports.length === 0) {
          const past = date < today;
          return html`<td class=${past ? 'cell-missing' : 'cell-future'}>${past
            ? html`<span aria-hidden="true">${SYMBOLS.MISSING}</span><span class="visually-hidden">${t('dashboard.cell', { site: site.code, day, status: t('dashboard.status.MISSING') })}</span>` : ''}</td>`;
        }
        const first = reports.slice().sort((a, b) => ATTENTION.indexOf(a.fields.status) - ATTENTION.indexOf(b.fields.status))[0];
        const status = first.fields.status;
        return html`<td class="cell-${status.toLowerCase()}"><a href="#/reports/${first.id}"
          aria-label=${t('dashboard.cell', { site: site.code, day, status: t('dashboard.status.' + status) })}>${SYMBOLS[status]}</a></td>`;
      })}
    </tr>`;
  }

  trades() {
    const totals = new Map();
    for (const report of this.data.reports) {
      for (const row of report.fields.crew || []) {
        const total = totals.get(row.trade) ?? { hours: 0, headcount: 0 };
        total.hours += Number(row.hours) || 0;
        total.headcount += Number(row.headcount) || 0;
        totals.set(row.trade, total);
      }
    }
    if (totals.size === 0) {
      return html`<p class="empty">${t('dashboard.noCrew')}</p>`;
    }
    const rows = [...totals.entries()].sort((a, b) => b[1].hours - a[1].hours);
    const maxHours = Math.max(...rows.map(([, total]) => total.hours), 1);
    const maxHeads = Math.max(...rows.map(([, total]) => total.headcount), 1);
    const number = new Intl.NumberFormat(navigator.language || 'en', { maximumFractionDigits: 1 });
    const [year, month] = this.month.split('-').map(Number);
    const label = new Intl.DateTimeFormat(navigator.language || 'en', { month: 'long', year: 'numeric', timeZone: 'UTC' })
      .format(new Date(Date.UTC(year, month - 1, 1)));
    return html`
      <h2>${t('dashboard.byTrade', { month: label })}</h2>
      <table class="trades" data-testid="trades">
        <thead><tr><th scope="col">${t('report.crew.trade')}</th><th scope="col">${t('dashboard.hours')}</th>
          <th scope="col">${t('dashboard.headcount')}</th></tr></thead>
        <tbody>${rows.map(([trade, total]) => html`<tr>
          <th scope="row">${trade}</th>
          <td><progress max=${maxHours} .value=${total.hours} aria-hidden="true"></progress> ${number.format(total.hours)}</td>
          <td><progress max=${maxHeads} .value=${total.headcount} aria-hidden="true"></progress> ${number.format(total.headcount)}</td>
        </tr>`)}</tbody>
      </table>`;
  }
}

customElements.define('fb-dashboard', FbDashboard);
