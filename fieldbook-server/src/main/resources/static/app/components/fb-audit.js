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
    this.portfolios = [];
  }

  connectedCallback() {
    super.connectedCallback();
    this.start();
  }

  async start() {
    const administrator = this.account?.role === 'ADMINISTRATOR';
    try {
      const [people, sites, portfolios] = await Promise.all([
        administrator ? everything('/api/v1/users') : store.people().then((names) => [...names].map(([id, name]) => ({ id, name }))),
        everything('/api/v1/sites'),
        // only to name the portfolios the trail holds ids of: without them the ids show
        request('GET', '/api/v1/portfolios').catch(() => []),
      ]);
      this.people = people.sort((a, b) => a.name.localeCompare(b.name));
      this.sites = sites.sort((a, b) => a.code.localeCompare(b.code));
      this.portfolios = Array.isArray(portfolios) ? portfolios : [];
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
    // the sites, portfolios and people the screen knows, by their ids: named where the trail holds an id
    const names = new Map([...codes, ...this.portfolios.map((portfolio) => [portfolio.id, portfolio.name]),
      ...this.people.map((person) => [person.id, person.login ?? person.name])]);
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
                <td title=${event.action}>${actionName(event.action)}</td>
                <td>${entityName(event.entityType)}${event.entityId ? html` <span class="muted id">${names.get(event.entityId)
                  ?? event.entityId.slice(0, 8)}</span>` : ''}</td>
                <td>${event.siteId ? codes.get(event.siteId) ?? '' : ''}</td>
                <td class="changes">${reads ? idsText(event.ids) : changesText(event.changes, names)}</td>
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

/** An action in words (the code stays in the CSV and the cell's title); an action the catalogue lacks as its code. */
function actionName(action) {
  const name = t(`audit.actions.${action}`);
  return name === `audit.actions.${action}` ? (action ?? '') : name;
}

/** The most characters a value shows before it is cut (…). */
const SHORT = 60;

/**
 * The changes of an event in a few words: each field as before → after (the trail records each changed
 * field as {before, after}), or its value. Ids the screen knows are named ({@code names}: a site's code, a
 * person's login); of a list changed in some rows, only those rows show (crew row 2: … → …); of a long text,
 * the part that differs.
 */
function changesText(changes, names = new Map()) {
  if (!changes || typeof changes !== 'object') {
    return '';
  }
  const named = (value) => (typeof value === 'string' && names.has(value) ? names.get(value)
    : Array.isArray(value) ? value.map(named) : value);
  const text = (value) => (value === null || value === undefined ? '—' : typeof value === 'string' ? value
    : Array.isArray(value) && value.every((item) => typeof item === 'string') ? value.join(', ')
      : value && typeof value === 'object' ? Object.values(value).filter((item) => item !== null && item !== '').join(' ')
        : JSON.stringify(value));
  const short = (value) => {
    const written = text(named(value));
    return written.length > SHORT ? `${written.slice(0, SHORT - 3)}…` : written;
  };
  const parts = Object.entries(changes).map(([name, value]) => {
    const pair = value && typeof value === 'object' && !Array.isArray(value) && ('before' in value || 'after' in value);
    if (!pair) {
      return `${name}: ${short(value)}`;
    }
    const { before, after } = value;
    if (before === null || before === undefined) {
      return `${name}: ${short(after)}`;
    }
    if (Array.isArray(before) && Array.isArray(after)) {
      return [...before, ...after].every((item) => typeof item === 'string' && ID.test(item))
        ? idsChanged(name, before, after, named) : rowsChanged(name, before, after, short);
    }
    if (typeof before === 'string' && typeof after === 'string' && (before.length > SHORT || after.length > SHORT)) {
      const [from, to] = differingParts(before, after);
      return `${name}: ${from} → ${to}`;
    }
    return `${name}: ${short(before)} → ${short(after)}`;
  });
  return parts.slice(0, 6).join('; ') + (parts.length > 6 ? ' …' : '');
}

/** A record's id (a UUID). */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A set of ids changed (a person's sites): those added and those taken away, named where the screen knows them. */
function idsChanged(name, before, after, named) {
  const added = after.filter((id) => !before.includes(id)).map(named);
  const removed = before.filter((id) => !after.includes(id)).map(named);
  const shown = (ids) => ids.map((id) => (ID.test(id) ? id.slice(0, 8) : id)).join(', ');
  return `${name}: ${[added.length ? `+ ${shown(added)}` : '', removed.length ? `− ${shown(removed)}` : '']
    .filter(Boolean).join(' ') || t('audit.reordered')}`;
}

/**
 * The rows of a list (a crew) that differ between {@code before} and {@code after}: the rows both keep are matched
 * (a longest common subsequence), so a row taken out or put in shows as itself, not as every row below it changed.
 * Within a stretch that differs, a row put in is paired with one taken out that names the same trade (or else the same
 * company) as that row changed; the rest are paired in order when as many were put in as taken out. A row taken out is numbered as it was, one put in or changed as it is now, from 1.
 */
function rowsChanged(name, before, after, short) {
  const from = before.map((row) => JSON.stringify(row ?? null));
  const to = after.map((row) => JSON.stringify(row ?? null));
  const kept = Array.from({ length: from.length + 1 }, () => new Array(to.length + 1).fill(0));
  for (let i = from.length - 1; i >= 0; i--) {
    for (let j = to.length - 1; j >= 0; j--) {
      kept[i][j] = from[i] === to[j] ? kept[i + 1][j + 1] + 1 : Math.max(kept[i + 1][j], kept[i][j + 1]);
    }
  }
  const rows = [];
  let takenOut = [];
  let putIn = [];
  const settle = () => {
    // a row put in where one like it (the same trade, or else the same company) was taken out is that row changed;
    // the others were taken out or put in
    const unmatched = [...takenOut];
    const changes = [];
    for (const into of putIn) {
      const out = unmatched.find((row) => alike(before[row.at], after[into.at], 'trade'))
        ?? unmatched.find((row) => alike(before[row.at], after[into.at], 'company'));
      if (out) {
        unmatched.splice(unmatched.indexOf(out), 1);
      }
      changes.push({ out, into, at: into.at });
    }
    const alone = changes.filter((change) => !change.out);
    if (alone.length === unmatched.length) {
      // as many put in as taken out, none alike: each in its place was changed
      alone.forEach((change, k) => { change.out = unmatched[k]; });
    } else {
      unmatched.forEach((out) => changes.push({ out, into: undefined, at: out.at }));
    }
    changes.sort((a, b) => a.at - b.at || (a.into ? 1 : 0) - (b.into ? 1 : 0));
    for (const { out, into, at } of changes) {
      rows.push(`${name} ${at + 1}: ${out ? short(before[out.at]) : '—'} → ${into ? short(after[into.at]) : '—'}`);
    }
    takenOut = [];
    putIn = [];
  };
  let i = 0;
  let j = 0;
  while (i < from.length || j < to.length) {
    if (i < from.length && j < to.length && from[i] === to[j]) {
      settle();
      i++;
      j++;
    } else if (j >= to.length || (i < from.length && kept[i + 1][j] >= kept[i][j + 1])) {
      takenOut.push({ at: i++ });
    } else {
      putIn.push({ at: j++ });
    }
  }
  settle();
  const reordered = rows.length && [...from].sort().join() === [...to].sort().join();
  return rows.length && !reordered ? rows.join('; ') : `${name}: ${t('audit.reordered')}`;
}

/** A crew row as the trail writes it: {@code trade (company): 3 people, 24 h}, the company left out when none. */
const CREW_ROW = /^(.*?)(?: \((.*)\))?: [\d.]+ people, [\d.]+ h$/;

/**
 * Whether two rows name the same non-empty {@code field} ({@code trade} or {@code company}), whatever the case and
 * spaces around it: rows as the trail writes them, or as objects.
 */
function alike(one, other, field) {
  const value = (row) => {
    const parsed = typeof row === 'string' ? CREW_ROW.exec(row) : null;
    const named = parsed ? parsed[field === 'trade' ? 1 : 2] : row && typeof row === 'object' ? row[field] : null;
    return typeof named === 'string' ? named.trim().toLowerCase() : '';
  };
  return value(one) !== '' && value(one) === value(other);
}

/** Of two long texts, the part where they differ, with a few characters around it and … where cut. */
function differingParts(before, after) {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) {
    start++;
  }
  let end = 0;
  while (end < before.length - start && end < after.length - start
    && before[before.length - 1 - end] === after[after.length - 1 - end]) {
    end++;
  }
  const from = Math.max(0, start - 15);
  const cut = (value) => {
    const stop = Math.min(value.length, value.length - end + 15);
    const middle = value.slice(from, stop);
    const shown = middle.length > SHORT ? `${middle.slice(0, SHORT - 3)}…` : middle;
    return `${from > 0 ? '…' : ''}${shown}${stop < value.length && middle.length <= SHORT ? '…' : ''}`;
  };
  return [cut(before), cut(after)];
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
