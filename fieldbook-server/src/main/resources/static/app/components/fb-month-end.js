import { html } from 'lit';
import { request } from '../api.js';
import { t, formatDay } from '../messages.js';
import { latestMonth, todayIn } from '../report-fields.js';
import { OnlineScreen, everything } from './online-screen.js';
import { focusHeading } from './screen.js';

let charting;

/** Chart.js with the parts of a bar chart, loaded when a chart is first drawn (people who close no month never parse it). */
function chartJs() {
  charting ??= import('chart.js').then(({ Chart, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip }) => {
    Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
    return Chart;
  });
  return charting;
}

const THIS_MONTH = '#1f5fa8';
const PREVIOUS = '#a6b8cc';
const MISSING = '#c2410c';
const TOTALS = ['reportsFiled', 'daysReported', 'daysMissing', 'hours', 'headcount', 'delays', 'safetyIncidents', 'photos'];
const STATUSES = ['DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED'];

/**
 * The month-end of a month for managers and executives, from the server (GET /api/v1/insights/month-end): a
 * month and a scope (everything the person may see, a portfolio, or a site), the totals against the previous
 * month, charts of the days reported per site and the hours by trade (Chart.js, each with the table of its
 * figures), the sites, the crews by trade and company, the delays and incidents, and the CSV and PDF exports.
 */
class FbMonthEnd extends OnlineScreen {
  static properties = {
    ...OnlineScreen.properties,
    account: { attribute: false },
    month: { state: true },
    scope: { state: true },
    portfolios: { state: true },
    sites: { state: true },
    monthEnd: { state: true },
  };

  constructor() {
    super();
    // the month before this one, where the browser is
    const [year, month] = todayIn(undefined).split('-').map(Number);
    this.month = new Date(Date.UTC(year, month - 2, 1)).toISOString().slice(0, 7);
    this.scope = '';
    this.portfolios = [];
    this.sites = [];
    this.charts = [];
    this.asked = 0;
  }

  connectedCallback() {
    super.connectedCallback();
    this.start();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.charts.forEach((chart) => chart.destroy());
    this.charts = [];
  }

  /** The month and sites the address names (#/month-end?month=2025-11&scope=portfolio:…), taken at the start. */
  set chosen(chosen) {
    if (!this.started && /^\d{4}-\d{2}$/.test(chosen?.month ?? '')) {
      this.month = chosen.month;
    }
    if (!this.started && typeof chosen?.scope === 'string') {
      this.scope = chosen.scope;
    }
  }

  async start() {
    this.started = true;
    const lists = await this.attempt(() => Promise.all([request('GET', '/api/v1/portfolios'), everything('/api/v1/sites')]));
    if (lists) {
      const [portfolios, sites] = lists;
      this.portfolios = (Array.isArray(portfolios) ? portfolios : portfolios?.items ?? [])
        .sort((a, b) => a.name.localeCompare(b.name));
      this.sites = sites.sort((a, b) => a.code.localeCompare(b.code));
    }
    await this.show();
  }

  firstUpdated() {
    focusHeading(this);
  }

  /** The query of the chosen month and scope ({@code portfolio:id}, {@code site:id}, or everything). */
  query() {
    const parameters = new URLSearchParams({ month: this.month });
    const [kind, id] = this.scope.split(':');
    if (kind === 'portfolio') {
      parameters.set('portfolioId', id);
    } else if (kind === 'site') {
      parameters.set('siteId', id);
    }
    return parameters.toString();
  }

  async show() {
    const asked = ++this.asked;
    const chosen = new URLSearchParams({ month: this.month, ...(this.scope ? { scope: this.scope } : {}) });
    const answer = await this.attempt(() => request('GET', `/api/v1/insights/month-end?${this.query()}`));
    if (asked === this.asked && answer) {
      // only the last month asked for shows, whichever answer comes last; one that could not be had leaves the
      // figures on screen as they were (the lead says of which month), with the reason above them
      this.monthEnd = answer;
      if (location.hash.startsWith('#/month-end')) {
        // the address says what is shown (for a reload or a bookmark), without a new history entry for each choice
        history.replaceState(history.state, '', `#/month-end?${chosen}`);
      }
    }
  }

  /**
   * Shows the month and sites chosen: at once when either is changed (so that the figures and the exports are always
   * of what the form says), or with Show. A month left empty or after the latest begun is not asked for.
   */
  async choose(event) {
    event.preventDefault();
    const form = this.querySelector('form.month-end-choice');
    if (!form.elements.month.value || !form.checkValidity()) {
      if (event.type === 'submit') {
        form.reportValidity();
      }
      return;
    }
    this.month = form.elements.month.value;
    this.scope = form.elements.scope.value;
    await this.show();
  }

  updated(changed) {
    if (changed.has('monthEnd')) {
      this.draw(this.monthEnd);
    }
  }

  /** Draws the charts of a month-end (the last one asked for, if several are drawn at once). */
  async draw(m) {
    this.charts.forEach((chart) => chart.destroy());
    this.charts = [];
    if (!m) {
      return;
    }
    const Chart = await chartJs();
    if (m !== this.monthEnd) {
      return;
    }
    const days = this.querySelector('#days-chart');
    if (days && m.sites.length) {
      sizeFor(days, m.sites.length, 28);
      this.charts.push(new Chart(days, {
        type: 'bar',
        data: {
          labels: m.sites.map((site) => site.code),
          datasets: [
            { label: t('monthEnd.daysReported'), data: m.sites.map((site) => site.daysReported), backgroundColor: THIS_MONTH },
            { label: t('monthEnd.daysMissing'), data: m.sites.map((site) => site.daysMissing), backgroundColor: MISSING },
          ],
        },
        options: chartOptions(true, t('monthEnd.axisDays')),
      }));
    }
    const hours = this.querySelector('#hours-chart');
    if (hours && m.byTrade.length) {
      const trades = [...m.byTrade].sort((a, b) => Number(b.hours.value) - Number(a.hours.value)).slice(0, 12);
      sizeFor(hours, trades.length, 44);
      this.charts.push(new Chart(hours, {
        type: 'bar',
        data: {
          labels: trades.map((trade) => trade.name),
          datasets: [
            { label: t('monthEnd.thisMonth'), data: trades.map((trade) => Number(trade.hours.value)), backgroundColor: THIS_MONTH },
            { label: t('monthEnd.previousMonth'), data: trades.map((trade) => Number(trade.hours.previous)), backgroundColor: PREVIOUS },
          ],
        },
        options: chartOptions(false, t('monthEnd.axisHours')),
      }));
    }
  }

  render() {
    return html`
      <h1 tabindex="-1">${t('monthEnd.title')}</h1>
      <form class="month-end-choice" @submit=${(e) => this.choose(e)} @change=${(e) => this.choose(e)}>
        <div><label for="month-end-month">${t('monthEnd.month')}</label>
          <input id="month-end-month" name="month" type="month" required min="1900-01"
            max=${latestMonth()} .value=${this.month}></div>
        <div><label for="month-end-scope">${t('monthEnd.scope')}</label>
          <select id="month-end-scope" name="scope" .value=${this.scope}>
            <option value="">${t('monthEnd.everything')}</option>
            ${this.portfolios.length ? html`<optgroup label=${t('monthEnd.portfolios')}>${this.portfolios.map((p) => html`
              <option value="portfolio:${p.id}" ?selected=${this.scope === `portfolio:${p.id}`}>${p.name}</option>`)}</optgroup>` : ''}
            <optgroup label=${t('monthEnd.sites')}>${this.sites.map((s) => html`
              <option value="site:${s.id}" ?selected=${this.scope === `site:${s.id}`}>${s.code} · ${s.name}</option>`)}</optgroup>
          </select></div>
        <button type="submit" ?disabled=${this.busy}>${t('monthEnd.show')}</button>
      </form>
      ${this.feedback()}
      ${this.monthEnd ? this.report(this.monthEnd) : this.busy ? html`<p>${t('app.loading')}</p>` : ''}`;
  }

  /**
   * What the figures compare: a month still under way counts its days up to today only (the days missing too),
   * set against the whole of the month before, which the lead says so that a smaller figure is not read as a better
   * one.
   */
  comparison(m) {
    const months = { month: monthName(m.month), previous: monthName(m.previousMonth) };
    // the day counted up to is the sites' today (the server counts in each site's time zone), not this browser's
    const [year, month] = m.month.split('-').map(Number);
    const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const elapsed = Math.max(0, ...m.sites.map((site) => site.daysElapsed ?? length));
    if (m.sites.length && elapsed === 0) {
      return t('monthEnd.notBegun', months);
    }
    return elapsed >= 1 && elapsed < length
      ? t('monthEnd.comparedSoFar', { ...months, today: formatDay(`${m.month}-${String(elapsed).padStart(2, '0')}`) })
      : t('monthEnd.compared', months);
  }

  report(m) {
    // the exports are of the figures shown
    const query = new URLSearchParams({ month: m.month, ...(m.portfolioId ? { portfolioId: m.portfolioId } : {}),
      ...(m.siteId ? { siteId: m.siteId } : {}) }).toString();
    return html`
      <p class="exports">
        <a class="button" href="/api/v1/insights/month-end.csv?${query}" download data-testid="export-csv">${t('monthEnd.csv')}</a>
        <a class="button" href="/api/v1/insights/month-end.pdf?${query}" download data-testid="export-pdf">${t('monthEnd.pdf')}</a>
      </p>
      <p class="muted">${this.comparison(m)} ${t('monthEnd.filed')}</p>
      <h2>${t('monthEnd.totals')}</h2>
      <div class="table-scroll" tabindex="0" role="region" aria-label=${t('monthEnd.totals')}>
      <table class="fits" data-testid="month-end-totals">
        <thead><tr><th scope="col">${t('monthEnd.figure')}</th><th scope="col" class="number">${t('monthEnd.thisMonth')}</th>
          <th scope="col" class="number">${t('monthEnd.previousMonth')}</th><th scope="col" class="number">${t('monthEnd.change')}</th></tr></thead>
        <tbody>${TOTALS.map((name) => html`<tr><th scope="row">${t('monthEnd.total.' + name)}</th>
          ${compared(m.totals[name])}</tr>`)}</tbody>
      </table></div>

      <h2 id="days-title">${t('monthEnd.daysChart')}</h2>
      ${m.sites.length ? html`<div class="chart"><canvas id="days-chart" role="img" aria-labelledby="days-title"
        aria-describedby="sites-table"></canvas></div>` : html`<p class="empty">${t('monthEnd.noSites')}</p>`}
      <div class="table-scroll" tabindex="0" role="region" aria-label=${t('monthEnd.sites')}>
      <table id="sites-table" data-testid="month-end-sites">
        <thead><tr><th scope="col">${t('dashboard.site')}</th>
          <th scope="col" class="number">${t('monthEnd.daysReported')}</th><th scope="col" class="number">${t('monthEnd.daysMissing')}</th>
          ${STATUSES.map((status) => html`<th scope="col" class="number">${t('dashboard.status.' + status)}</th>`)}
          <th scope="col" class="number">${t('monthEnd.total.delays')}</th><th scope="col" class="number">${t('monthEnd.total.safetyIncidents')}</th>
          <th scope="col" class="number">${t('monthEnd.total.photos')}</th></tr></thead>
        <tbody>${m.sites.map((site) => html`<tr>
          <th scope="row"><a class="code" href="#/sites/${site.siteId}">${site.code}</a><br><span class="muted">${site.name}</span></th>
          <td class="number">${number(site.daysReported)}</td><td class="number">${number(site.daysMissing)}</td>
          ${STATUSES.map((status) => html`<td class="number">${number(site.reports[status] ?? 0)}</td>`)}
          <td class="number">${number(site.delays)}</td><td class="number">${number(site.safetyIncidents)}</td>
          <td class="number">${number(site.photos)}</td></tr>`)}</tbody>
      </table></div>

      <h2 id="hours-title">${t('monthEnd.hoursChart')}</h2>
      ${m.byTrade.length ? html`<div class="chart"><canvas id="hours-chart" role="img" aria-labelledby="hours-title"
        aria-describedby="trades-table"></canvas></div>` : html`<p class="empty">${t('dashboard.noCrew')}</p>`}
      ${this.crew('trades-table', t('report.crew.trade'), m.byTrade)}
      <h2>${t('monthEnd.byCompany')}</h2>
      ${this.crew('companies-table', t('monthEnd.company'), m.byCompany)}

      ${this.occurrences(t('monthEnd.delays', { count: m.delays.length }), m.delays, 'month-end-delays')}
      ${this.occurrences(t('monthEnd.incidents', { count: m.safetyIncidents.length }), m.safetyIncidents, 'month-end-incidents')}`;
  }

  crew(id, column, rows) {
    if (!rows.length) {
      return '';
    }
    return html`
      <div class="table-scroll" tabindex="0" role="region" aria-label=${column}>
      <table id=${id} data-testid=${id}>
        <thead><tr><th scope="col">${column}</th>
          <th scope="col" class="number">${t('dashboard.hours')}</th><th scope="col" class="number">${t('monthEnd.previous')}</th>
          <th scope="col" class="number">${t('monthEnd.change')}</th>
          <th scope="col" class="number">${t('monthEnd.headcount')}</th><th scope="col" class="number">${t('monthEnd.previous')}</th>
          <th scope="col" class="number">${t('monthEnd.change')}</th></tr></thead>
        <tbody>${rows.map((row) => html`<tr><th scope="row">${row.name ?? t('monthEnd.noCompany')}</th>
          ${compared(row.hours)}${compared(row.headcount)}</tr>`)}</tbody>
      </table></div>`;
  }

  occurrences(title, list, testId) {
    return html`
      <h2>${title}</h2>
      ${list.length ? html`<ul class="occurrences" data-testid=${testId}>${list.map((o) => html`<li>
        <a href="#/reports/${o.reportId}">${formatDay(o.date)} · ${o.siteCode}</a>
        <p class="text">${o.text}</p></li>`)}</ul>` : html`<p class="empty">${t('monthEnd.none')}</p>`}`;
  }
}

/** Horizontal bars filling their box, whose height {@link sizeFor} sets. */
/** A horizontal bar chart's options; {@code unit} names the values' axis (days, hours), as the PDF's charts do. */
function chartOptions(stacked, unit) {
  return {
    indexAxis: 'y',
    maintainAspectRatio: false,
    animation: false,
    scales: {
      x: { stacked, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: unit, font: { size: 13 } } },
      y: { stacked, ticks: { font: { size: 13 } } },
    },
    plugins: { legend: { position: 'bottom', labels: { font: { size: 13 } } } },
  };
}

/**
 * Makes a chart's box as tall as its bars need, at any width and after any resize: each bar (or group of bars)
 * gets {@code perBar} pixels, the axis and the legend their room. A height taken from the width made a phone's
 * chart flat (70 px for two sites). Set through the CSSOM, which the content security policy allows.
 */
function sizeFor(canvas, bars, perBar) {
  canvas.parentElement.style.height = `${90 + bars * perBar}px`;
}

function compared(figure) {
  const change = Number(figure.change);
  return html`<td class="number">${number(figure.value)}</td><td class="number">${number(figure.previous)}</td>
    <td class="number">${change > 0 ? '+' : ''}${number(figure.change)}</td>`;
}

function number(value) {
  return new Intl.NumberFormat(navigator.language || 'en', { maximumFractionDigits: 2 }).format(Number(value));
}

function monthName(month) {
  const [year, number] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(navigator.language || 'en', { month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(year, number - 1, 1)));
}

customElements.define('fb-month-end', FbMonthEnd);
