import { html } from 'lit';
import { request } from '../api.js';
import { t, formatMoment } from '../messages.js';
import * as store from '../store.js';
import { latestMonth, todayIn } from '../report-fields.js';
import { Screen, focusHeading } from './screen.js';

const SYMBOLS = { MISSING: '✗', DRAFT: '✎', SUBMITTED: '➜', RETURNED: '↩', APPROVED: '✓' };
// When several people report on one site and day, the cell shows what needs attention first.
const ATTENTION = ['RETURNED', 'DRAFT', 'SUBMITTED', 'APPROVED'];
// Only the crews of filed reports count in the hours and headcount, as in the month-end.
const FILED = ['SUBMITTED', 'APPROVED'];

/**
 * The portfolio at a glance: sites by days of a month, each day's report status (a missing report
 * stands out), and the crews' hours and headcount per day and by trade and company over the month. Online,
 * from the server (GET /api/v1/insights/dashboard); offline, or when the server cannot answer, worked out
 * the same way from the reports on the device. It says which it shows, and as of when.
 */
class FbDashboard extends Screen {
  static properties = {
    account: { attribute: false },
    month: { state: true },
    data: { state: true },
  };

  constructor() {
    super();
    this.month = todayIn(undefined).slice(0, 7);
    this.asked = 0;
  }

  async load() {
    const asked = ++this.asked;
    const month = this.month;
    const data = await fromServer(month) ?? await fromDevice(month);
    if (asked === this.asked) {
      this.data = data;
    }
  }

  shift(months) {
    if (months > 0 && this.month >= latestMonth()) {
      return; // no month after the latest begun: nothing is reported there yet
    }
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
    if (!this.data || this.data.month !== this.month) {
      return html`<p>${t('app.loading')}</p>`;
    }
    const data = this.data;
    const dayNumbers = Array.from({ length: data.hours.length }, (_, i) => i + 1);
    const label = monthName(this.month);
    // the latest month begun has no next one to show; the button stays (aria-disabled), so that focus stays on it
    const current = this.month >= latestMonth();
    const number = new Intl.NumberFormat(navigator.language || 'en', { maximumFractionDigits: 1 });
    return html`
      <h1 tabindex="-1">${t('dashboard.title')}</h1>
      <div class="month">
        <button type="button" @click=${() => this.shift(-1)} aria-label=${t('dashboard.previous')}>←</button>
        <h2 class="month-name">${label}</h2>
        <button type="button" @click=${() => this.shift(1)} aria-disabled=${current ? 'true' : 'false'}
          aria-label=${t(current ? 'dashboard.noNext' : 'dashboard.next')}>→</button>
      </div>
      <p class="muted source" data-testid="dashboard-source" data-source=${data.source}>${data.source === 'server'
        ? t('dashboard.fromServer', { time: formatMoment(data.asOf) })
        : data.asOf ? t('dashboard.fromDevice', { time: formatMoment(data.asOf) }) : t('dashboard.fromDeviceNeverSynced')}</p>
      <div class="grid-scroll" tabindex="0" role="region" aria-label=${t('dashboard.grid')}>
        <table class="status-grid" data-testid="status-grid">
          <thead><tr><th scope="col">${t('dashboard.site')}</th>
            ${dayNumbers.map((day) => html`<th scope="col" class="day">${day}</th>`)}</tr></thead>
          <tbody>${data.sites.map((site) => this.row(site))}</tbody>
          <tfoot data-testid="day-series">
            <tr><th scope="row">${t('dashboard.dayHours')}</th>${data.hours.map((hours) => html`<td>${hours ? number.format(hours) : ''}</td>`)}</tr>
            <tr><th scope="row">${t('dashboard.dayHeadcount')}</th>${data.headcount.map((people) => html`<td>${people ? number.format(people) : ''}</td>`)}</tr>
          </tfoot>
        </table>
      </div>
      <p class="legend">${['MISSING', 'DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED'].map((status) => html`
        <span class="cell-${status.toLowerCase()}"><span aria-hidden="true">${SYMBOLS[status]}</span> ${t('dashboard.status.' + status)}</span>`)}</p>
      ${this.crew(t('dashboard.byTrade', { month: label }), t('report.crew.trade'), data.byTrade, 'trades')}
      ${data.byTrade.length ? this.crew(t('dashboard.byCompany', { month: label }), t('monthEnd.company'), data.byCompany, 'companies') : ''}`;
  }

  row(site) {
    return html`<tr>
      <th scope="row"><a href="#/sites/${site.siteId}">${site.code}</a> <span class="muted">${site.name}</span></th>
      ${site.days.map((cell, index) => {
        const day = index + 1;
        if (!cell.reportId) {
          const missing = cell.status === 'MISSING';
          return html`<td class=${missing ? 'cell-missing' : 'cell-future'}>${missing
            ? html`<span aria-hidden="true">${SYMBOLS.MISSING}</span><span class="visually-hidden">${t('dashboard.cell', { site: site.code, day, status: t('dashboard.status.MISSING') })}</span>` : ''}</td>`;
        }
        return html`<td class="cell-${cell.status.toLowerCase()}"><a href="#/reports/${cell.reportId}"
          aria-label=${t('dashboard.cell', { site: site.code, day, status: t('dashboard.status.' + cell.status) })}>${SYMBOLS[cell.status]}</a></td>`;
      })}
    </tr>`;
  }

  /** The month's hours and headcount of each trade (or company), most hours first, as bars. */
  crew(title, column, series, testId) {
    if (series.length === 0) {
      return html`<p class="empty">${t('dashboard.noCrew')}</p>`;
    }
    const rows = series.map((row) => ({ name: row.name, hours: sum(row.hours), headcount: sum(row.headcount) }))
      .sort((a, b) => b.hours - a.hours);
    const maxHours = Math.max(...rows.map((row) => row.hours), 1);
    const maxHeads = Math.max(...rows.map((row) => row.headcount), 1);
    const number = new Intl.NumberFormat(navigator.language || 'en', { maximumFractionDigits: 2 });
    return html`
      <h2>${title}</h2>
      <table class="trades" data-testid=${testId}>
        <thead><tr><th scope="col">${column}</th><th scope="col">${t('dashboard.hours')}</th>
          <th scope="col">${t('dashboard.headcount')}</th></tr></thead>
        <tbody>${rows.map((row) => html`<tr>
          <th scope="row">${row.name ?? t('monthEnd.noCompany')}</th>
          <td><progress max=${maxHours} .value=${row.hours} aria-hidden="true"></progress> ${number.format(row.hours)}</td>
          <td><progress max=${maxHeads} .value=${row.headcount} aria-hidden="true"></progress> ${number.format(row.headcount)}</td>
        </tr>`)}</tbody>
      </table>`;
  }
}

/** The server's dashboard of the month (docs/api.md, "Dashboard"), or null offline or when it cannot answer. */
async function fromServer(month) {
  if (!navigator.onLine) {
    return null;
  }
  try {
    const answer = await request('GET', `/api/v1/insights/dashboard?month=${month}`);
    return { ...answer, source: 'server' };
  } catch (failure) {
    return null;
  }
}

/**
 * The same figures worked out from the reports on the device (everything the person may see is synced), by the
 * server's rules: a cell shows the report that needs attention first (the least id of its status), a day gone
 * by without one is missing; the crews of filed reports count, by trade and company whatever their case and
 * spaces, each shown in the spelling most of its rows use. As of the last sync.
 */
async function fromDevice(month) {
  const sites = (await store.sites()).slice().sort((a, b) => a.code.localeCompare(b.code));
  const reports = (await store.allReports()).filter((r) => r.date.startsWith(month));
  const [year, number] = month.split('-').map(Number);
  const length = new Date(Date.UTC(year, number, 0)).getUTCDate();
  const dates = Array.from({ length }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
  const rows = sites.map((site) => {
    const today = todayIn(site.timezone);
    const ofSite = reports.filter((r) => r.siteId === site.id);
    return {
      siteId: site.id, code: site.code, name: site.name, today,
      days: dates.map((date) => {
        const ofDay = ofSite.filter((r) => r.date === date);
        if (ofDay.length === 0) {
          return { date, status: date < today ? 'MISSING' : null, reportId: null, reports: 0 };
        }
        const status = ATTENTION.find((s) => ofDay.some((r) => r.fields.status === s)) ?? ofDay[0].fields.status;
        const reportId = ofDay.filter((r) => r.fields.status === status).map((r) => r.id).sort()[0];
        return { date, status, reportId, reports: ofDay.length };
      }),
    };
  });
  const crew = reports.filter((r) => FILED.includes(r.fields.status))
    .flatMap((r) => (r.fields.crew || []).map((row) => ({ ...row, day: Number(r.date.slice(8, 10)) })));
  const all = seriesOf(crew, length);
  return {
    month, source: 'device', asOf: await store.meta('lastSyncAt'), sites: rows,
    hours: all.hours, headcount: all.headcount,
    byTrade: byName(crew, 'trade', length), byCompany: byName(crew, 'company', length),
  };
}

/** Crew rows added up by the name in {@code field}, regardless of case and spaces; no name (no company) last. */
function byName(crew, field, length) {
  const groups = new Map();
  for (const row of crew) {
    const key = spelling(row[field])?.toLowerCase() ?? null;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === null) - (b === null) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([, rows]) => ({ name: shown(rows, field), ...seriesOf(rows, length) }));
}

function seriesOf(rows, length) {
  const hours = Array(length).fill(0);
  const headcount = Array(length).fill(0);
  for (const row of rows) {
    hours[row.day - 1] += Number(row.hours) || 0;
    headcount[row.day - 1] += Number(row.headcount) || 0;
  }
  return { hours, headcount };
}

/** A name trimmed, runs of spaces as one; null for none. */
function spelling(name) {
  const spelled = (name ?? '').trim().replace(/\s+/g, ' ');
  return spelled === '' ? null : spelled;
}

/** The spelling most of the rows use; on a tie, the first in character order. */
function shown(rows, field) {
  const counts = new Map();
  for (const row of rows) {
    const spelled = spelling(row[field]);
    if (spelled !== null) {
      counts.set(spelled, (counts.get(spelled) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0))[0]?.[0] ?? null;
}

function sum(values) {
  return values.reduce((total, value) => total + Number(value), 0);
}

function monthName(month) {
  const [year, number] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(navigator.language || 'en', { month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(year, number - 1, 1)));
}

customElements.define('fb-dashboard', FbDashboard);
