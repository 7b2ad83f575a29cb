import { html } from 'lit';
import { request, Unreachable } from '../api.js';
import { t, formatDay, formatMoment } from '../messages.js';
import * as store from '../store.js';
import { Screen, focusHeading } from './screen.js';

const TEXT_FIELDS = new Set(['weather.conditions', 'workPerformed', 'delays', 'safetyIncidents', 'materials', 'notes']);

/**
 * The conflicts inbox: each field changed in two places, both values side by side with who and when;
 * keep the server's, take the device's, or type a new value (docs/sync-protocol.md, "Conflicts"). An executive
 * sees them without the choices: the report's author or a manager of its site decides.
 */
class FbConflicts extends Screen {
  static properties = {
    engine: { attribute: false },
    account: { attribute: false },
    conflicts: { state: true },
    message: { state: true },
  };

  async load() {
    const conflicts = await store.openConflicts();
    const reports = new Map((await store.allReports()).map((r) => [r.id, r]));
    const sites = new Map((await store.sites()).map((s) => [s.id, s]));
    const names = await store.people();
    Object.assign(this, { reports, sites, names });
    this.conflicts = conflicts;
  }

  firstUpdated() {
    focusHeading(this);
  }

  async resolve(conflict, choice, value) {
    try {
      const resolved = await request('POST', `/api/v1/sync/conflicts/${conflict.id}/resolution`,
        choice === 'VALUE' ? { choice, value } : { choice });
      await store.saveConflict(resolved);
      this.message = null;
      this.engine?.syncNow();
    } catch (failure) {
      this.message = failure instanceof Unreachable ? t('conflicts.online')
        : t('conflicts.failed', { detail: failure.message });
    }
  }

  render() {
    if (!this.conflicts) {
      return html`<p>${t('app.loading')}</p>`;
    }
    return html`
      <h1 tabindex="-1">${t('conflicts.title')}</h1>
      <p class="lead">${t(this.decides() ? 'conflicts.lead' : 'conflicts.leadExecutive')}</p>
      ${this.message ? html`<p class="notice" role="alert">${this.message}</p>` : ''}
      ${this.conflicts.length === 0 ? html`<p class="empty" data-testid="no-conflicts">${t('conflicts.none')}</p>` : ''}
      <ul class="rows" data-testid="conflicts">${this.conflicts.map((conflict) => this.conflict(conflict))}</ul>`;
  }

  /** Whether this person chooses which value stays (everyone who sees a conflict but an executive). */
  decides() {
    return this.account?.role !== 'EXECUTIVE';
  }

  conflict(conflict) {
    const [field, reason] = conflict.field.split('@');
    const report = this.reports.get(conflict.entityId);
    const site = this.sites.get(conflict.siteId);
    const heading = t('conflicts.field', {
      field: t('field.' + field), site: site?.code ?? '', date: report ? formatDay(report.date) : '',
    });
    const inputId = `value-${conflict.id}`;
    const sides = marked(conflict.serverValue, conflict.clientValue);
    return html`
      <li class="entry conflict">
        <h2>${report ? html`<a href="#/reports/${report.id}">${heading}</a>` : heading}</h2>
        ${reason ? html`<p class="muted">${t(reason === 'edit_of_deleted' ? 'conflicts.deleted' : 'conflicts.locked')}</p>` : ''}
        <div class="sides">
          <section class="side">
            <h3>${t('conflicts.server')}</h3>
            <p class="muted">${t('conflicts.by', { name: this.names.get(conflict.serverChangedBy) ?? '', time: formatMoment(conflict.serverChangedAt, site?.timezone) })}</p>
            <p class="value" data-testid="server-value">${sides[0]}</p>
            ${this.decides() ? html`<button type="button" @click=${() => this.resolve(conflict, 'SERVER')}>${t('conflicts.keepServer')}</button>` : ''}
          </section>
          <section class="side">
            <h3>${t('conflicts.device')}</h3>
            <p class="muted">${t('conflicts.by', { name: this.names.get(conflict.clientChangedBy) ?? '', time: formatMoment(conflict.clientChangedAt, site?.timezone) })}</p>
            <p class="value" data-testid="device-value">${sides[1]}</p>
            ${this.decides() ? html`<button type="button" @click=${() => this.resolve(conflict, 'CLIENT')}>${t('conflicts.takeDevice')}</button>` : ''}
          </section>
        </div>
        ${TEXT_FIELDS.has(field) && !reason && this.decides() ? html`
          <label for=${inputId}>${t('conflicts.newValue')}</label>
          <textarea id=${inputId} rows="2"></textarea>
          <button type="button" @click=${() => this.resolve(conflict, 'VALUE', this.querySelector('#' + CSS.escape(inputId)).value)}>
            ${t('conflicts.useNew')}</button>` : ''}
      </li>`;
  }
}

/** The most words a side compared: beyond, the values are shown unmarked. */
const MOST_WORDS_COMPARED = 400;

/** The marked sides of the values compared lately, by the values: a sync loads the inbox again and again. */
const compared = new Map();

/**
 * The two values as {@link shown}, each with the words the other side has not marked, as in a diff: one longest
 * sequence of words both have in common is found, and the words of either side outside it are marked (spaces are
 * kept as they were, and never matched on their own). Values that are no text, or empty, or too long are left
 * unmarked.
 */
function marked(server, device) {
  if (typeof server !== 'string' || typeof device !== 'string' || !server || !device) {
    return [shown(server), shown(device)];
  }
  const key = server + '\u0000' + device;
  if (!compared.has(key)) {
    if (compared.size > 200) {
      compared.clear();
    }
    compared.set(key, markedTexts(server, device));
  }
  return compared.get(key);
}

function markedTexts(server, device) {
  const one = server.match(/\S+/g) ?? [];
  const other = device.match(/\S+/g) ?? [];
  if (one.length > MOST_WORDS_COMPARED || other.length > MOST_WORDS_COMPARED) {
    return [server, device];
  }
  // common[i][j]: the length of the longest sequence of words one[i..] and other[j..] have in common
  const common = Array.from({ length: one.length + 1 }, () => new Uint16Array(other.length + 1));
  for (let i = one.length - 1; i >= 0; i--) {
    for (let j = other.length - 1; j >= 0; j--) {
      common[i][j] = one[i] === other[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  const kept = [new Set(), new Set()];
  for (let i = 0, j = 0; i < one.length && j < other.length;) {
    if (one[i] === other[j]) {
      kept[0].add(i++);
      kept[1].add(j++);
    } else if (common[i + 1][j] >= common[i][j + 1]) {
      i++;
    } else {
      j++;
    }
  }
  return [withMarks(server, kept[0]), withMarks(device, kept[1])];
}

/** The text, its words (by their place among the words) outside {@code kept} marked. */
function withMarks(text, kept) {
  let word = 0;
  return (text.match(/\s+|\S+/g) ?? []).map((part) => (/^\s/.test(part) ? part
    : kept.has(word++) ? part : html`<mark>${part}</mark>`));
}

/** A field's value as text: crew rows one per line, empty values said so. */
function shown(value) {
  if (value === null || value === undefined || value === '') {
    return t('conflicts.empty');
  }
  if (Array.isArray(value)) {
    return value.map((row) => [row.trade, row.company, row.headcount, row.hours].filter((x) => x !== null && x !== undefined).join(' · ')).join('\n');
  }
  return String(value);
}

customElements.define('fb-conflicts', FbConflicts);
