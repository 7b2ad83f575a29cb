import { html } from 'lit';
import { request } from '../api.js';
import { t, formatMoment } from '../messages.js';
import * as store from '../store.js';
import { OnlineScreen, everything, formValues } from './online-screen.js';
import { focusHeading } from './screen.js';

const PAGE = 50;
const EXPORT_LIMIT = 50_000;
const ENTITY_TYPES = ['DailyReport', 'Photo', 'Conflict', 'User', 'Site', 'Portfolio', 'Device', 'Request'];
const COLUMNS = ['occurredAt', 'actorLogin', 'actorId', 'action', 'entityType', 'entityId', 'siteId', 'site', 'changes',
  'requestId', 'clientAddress'];
const READ_COLUMNS = ['occurredAt', 'actorLogin', 'actorId', 'action', 'entityType', 'siteId', 'site', 'ids', 'requestId',
  'clientAddress'];

/**
 * The audit trail (administrators see all of it, executives too, managers the events of their sites): filters
 * by entity, person, site and time, pages of events, an export of every matching event to CSV, and, for
 * administrators, a check of the whole hash chain. A choice shows either the changes or the read-access log
 * (who was given which reports and photos to read), with the same filters.
 */
class FbAudit extends OnlineScreen {
  static properties = {
    ...OnlineScreen.properties,
    account: { attribute: false },
    events: { state: true },
    total: { state: true },
    page: { state: true },
    people: { state: true },
    sites: { state: true },
    verification: { state: true },
    log: { state: true },
  };

  constructor() {
    super();
    this.filter = {};
    this.log = 'changes';
    this.page = 0;
    this.people = [];
    this.sites = [];
  }

  connectedCallback() {
    super.connectedCallback();
    this.start();
  }

  async start() {
    const administrator = this.account?.role === 'ADMINISTRATOR';
    try {
      const [people, sites] = await Promise.all([
        administrator ? everything('/api/v1/users') : store.people().then((names) => [...names].map(([id, name]) => ({ id, name }))),
        everything('/api/v1/sites'),
      ]);
      this.people = people.sort((a, b) => a.name.localeCompare(b.name));
      this.sites = sites.sort((a, b) => a.code.localeCompare(b.code));
    } catch (failure) {
      // The filters then offer what the device knows; the events' own request says what went wrong.
      this.sites = await store.sites();
    }
    await this.show(0);
  }

  firstUpdated() {
    focusHeading(this);
  }

  query(page, size) {
    const parameters = new URLSearchParams({ page: String(page), size: String(size) });
    for (const [name, value] of Object.entries(this.filter)) {
      if (value) {
        parameters.set(name, value);
      }
    }
    return `/api/v1/audit/${this.log === 'reads' ? 'reads' : 'events'}?${parameters}`;
  }

  async show(page) {
    const answer = await this.attempt(() => request('GET', this.query(page, PAGE)));
    if (answer) {
      this.events = answer.items;
      this.total = answer.total;
      this.page = page;
    } else {
      this.events ??= [];
    }
  }

  async applyFilter(event) {
    event.preventDefault();
    const values = formValues(event.target);
    this.filter = {
      entityType: values.entityType, entityId: values.entityId, actorId: values.actorId, siteId: values.siteId,
      from: values.from ? new Date(`${values.from}T00:00`).toISOString() : null,
      to: values.to ? new Date(new Date(`${values.to}T00:00`).getTime() + 86_400_000 - 1).toISOString() : null,
    };
    await this.show(0);
  }

  async chooseLog(event) {
    this.log = event.target.value;
    this.events = null;
    await this.show(0);
  }

  async clearFilter(event) {
    event.target.form.reset();
    this.filter = {};
    await this.show(0);
  }

  /** Every event that matches the filter, as CSV (one row per event, the changes as JSON). */
  async exportCsv() {
    const codes = new Map(this.sites.map((site) => [site.id, site.code]));
    const rows = await this.attempt(async () => {
      const all = [];
      for (let page = 0; all.length < EXPORT_LIMIT; page++) {
        const answer = await request('GET', this.query(page, 500));
        all.push(...answer.items);
        if (all.length >= answer.total || answer.items.length === 0) {
          break;
        }
      }
      return all;
    });
    if (!rows) {
      return;
    }
    const columns = this.log === 'reads' ? READ_COLUMNS : COLUMNS;
    const lines = [columns.join(',')];
    for (const event of rows) {
      const values = { ...event, site: event.siteId ? codes.get(event.siteId) ?? '' : '',
        changes: event.changes == null ? '' : JSON.stringify(event.changes), ids: (event.ids ?? []).join(' ') };
      lines.push(columns.map((column) => csvCell(values[column])).join(','));
    }
    const url = URL.createObjectURL(new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `fieldbook-${this.log === 'reads' ? 'reads' : 'audit'}-${new Date().toISOString().slice(0, 10)}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    this.message = t('audit.exported', { count: rows.length });
  }

  async verify() {
    const result = await this.attempt(() => request('GET', '/api/v1/audit/verification'));
    if (result) {
      this.verification = result;
    }
  }

  render() {
    const codes = new Map(this.sites.map((site) => [site.id, site.code]));
    const pages = Math.max(1, Math.ceil((this.total ?? 0) / PAGE));
    const reads = this.log === 'reads';
    return html`
      <h1 tabindex="-1">${t('audit.title')}</h1>
      <p class="lead">${t(reads ? 'audit.leadReads' : this.account?.role === 'MANAGER' ? 'audit.leadManager' : 'audit.lead')}</p>
      <fieldset class="choices log-choice" data-testid="audit-log" @change=${(e) => this.chooseLog(e)}>
        <legend>${t('audit.log')}</legend>
        <label class="check"><input type="radio" name="log" value="changes" .checked=${!reads}> ${t('audit.changesLog')}</label>
        <label class="check"><input type="radio" name="log" value="reads" .checked=${reads}> ${t('audit.readsLog')}</label>
      </fieldset>
      <form class="section filters" @submit=${(e) => this.applyFilter(e)} data-testid="audit-filter">
        <div class="pair">
          <div><label for="audit-type">${t('audit.entityType')}</label>
            <select id="audit-type" name="entityType">
              <option value="">${t('audit.any')}</option>
              ${ENTITY_TYPES.map((type) => html`<option value=${type}>${t(`entity.${type}`)}</option>`)}
            </select></div>
          <div><label for="audit-entity">${t('audit.entityId')}</label>
            <input id="audit-entity" name="entityId" autocomplete="off" spellcheck="false"></div>
          <div><label for="audit-person">${t('audit.person')}</label>
            <select id="audit-person" name="actorId">
              <option value="">${t('audit.anyone')}</option>
              ${this.people.map((person) => html`<option value=${person.id}>${person.name}</option>`)}
            </select></div>
          <div><label for="audit-site">${t('audit.site')}</label>
            <select id="audit-site" name="siteId">
              <option value="">${t('audit.anySite')}</option>
              ${this.sites.map((site) => html`<option value=${site.id}>${site.code} ${site.name}</option>`)}
            </select></div>
          <div><label for="audit-from">${t('audit.from')}</label><input id="audit-from" name="from" type="date"></div>
          <div><label for="audit-to">${t('audit.to')}</label><input id="audit-to" name="to" type="date"></div>
        </div>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy}>${t('audit.apply')}</button>
          <button type="button" @click=${(e) => this.clearFilter(e)}>${t('audit.clear')}</button>
        </div>
      </form>
      <div class="actions">
        <button type="button" @click=${() => this.exportCsv()} ?disabled=${this.busy || !this.total} data-testid="export">⤓ ${t('audit.export')}</button>
        ${this.account?.role === 'ADMINISTRATOR' ? html`
          <button type="button" @click=${() => this.verify()} ?disabled=${this.busy} data-testid="verify">${t('audit.verify')}</button>` : ''}
      </div>
      ${this.verificationResult()}
      ${this.feedback()}
      ${!this.events ? html`<p>${t('app.loading')}</p>` : html`
        <p role="status" data-testid="audit-count">${t(reads ? 'audit.readCount' : 'audit.count', { count: this.total ?? 0 })}</p>
        <div class="grid-scroll" tabindex="0" role="region" aria-label=${t('audit.events')}>
          <table class="audit" data-testid="audit-events">
            <thead><tr>
              <th scope="col">${t('audit.when')}</th><th scope="col">${t('audit.who')}</th>
              <th scope="col">${t('audit.action')}</th><th scope="col">${t('audit.what')}</th>
              <th scope="col">${t('audit.site')}</th><th scope="col">${t(reads ? 'audit.records' : 'audit.changes')}</th>
            </tr></thead>
            <tbody>
              ${this.events.map((event) => html`<tr>
                <td class="when">${formatMoment(event.occurredAt)}</td>
                <td>${event.actorLogin ?? '—'}</td>
                <td><code>${event.action}</code></td>
                <td>${entityName(event.entityType)}${event.entityId ? html` <span class="muted id">${event.entityId.slice(0, 8)}</span>` : ''}</td>
                <td>${event.siteId ? codes.get(event.siteId) ?? '' : ''}</td>
                <td class="changes">${reads ? idsText(event.ids) : changesText(event.changes)}</td>
              </tr>`)}
            </tbody>
          </table>
        </div>
        <nav class="pager" aria-label=${t('audit.pages')}>
          <button type="button" ?disabled=${this.busy || this.page === 0} @click=${() => this.show(this.page - 1)}>← ${t('audit.previous')}</button>
          <span>${t('audit.page', { page: this.page + 1, pages })}</span>
          <button type="button" ?disabled=${this.busy || this.page + 1 >= pages} @click=${() => this.show(this.page + 1)}>${t('audit.next')} →</button>
        </nav>`}`;
  }

  verificationResult() {
    const result = this.verification;
    if (!result) {
      return '';
    }
    return result.intact
      ? html`<p class="verified ok" role="status" data-testid="verification">✓ ${t('audit.intact', { linked: result.linkedEvents, unlinked: result.unlinkedEvents })}</p>`
      : html`<p class="verified broken" role="alert" data-testid="verification">✕ ${result.firstBrokenPosition == null
        ? t('audit.tampered', { problem: result.problem ?? '' })
        : t('audit.broken', { position: result.firstBrokenPosition, problem: result.problem ?? '' })}</p>`;
  }
}

function entityName(type) {
  const name = t(`entity.${type}`);
  return name === `entity.${type}` ? (type ?? '') : name;
}

/**
 * The changes of an event in a few words: each field as before → after (the trail records each changed
 * field as {before, after}), or its value.
 */
function changesText(changes) {
  if (!changes || typeof changes !== 'object') {
    return '';
  }
  const short = (value) => {
    const text = value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  };
  const parts = Object.entries(changes).map(([name, value]) => {
    const pair = value && typeof value === 'object' && !Array.isArray(value) && ('before' in value || 'after' in value);
    if (!pair) {
      return `${name}: ${short(value)}`;
    }
    return value.before === null || value.before === undefined
      ? `${name}: ${short(value.after)}` : `${name}: ${short(value.before)} → ${short(value.after)}`;
  });
  return parts.slice(0, 6).join('; ') + (parts.length > 6 ? ' …' : '');
}

/** The records a read gave, in a few words: how many, and the start of each id. */
function idsText(ids) {
  const all = ids ?? [];
  const shown = all.slice(0, 6).map((id) => id.slice(0, 8)).join(' ');
  return `${t('audit.recordCount', { count: all.length })}: ${shown}${all.length > 6 ? ' …' : ''}`;
}

/** One CSV cell: quoted when needed, and a leading = + - @ made inert, so that a spreadsheet never runs it. */
function csvCell(value) {
  if (value === null || value === undefined) {
    return '';
  }
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n']/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

customElements.define('fb-audit', FbAudit);
