import { html } from 'lit';
import { t, formatDay, formatMoment } from '../messages.js';
import * as store from '../store.js';
import { CONTENT } from '../report-fields.js';
import { Screen, focusHeading } from './screen.js';

/** Every change waiting on this device, with its state and last error, and "Sync now". */
class FbOutbox extends Screen {
  static properties = {
    engine: { attribute: false },
    entries: { state: true },
    uploads: { state: true },
    refused: { state: true },
    reports: { state: true },
    sites: { state: true },
    syncing: { state: true },
    offlineNote: { state: true },
    storage: { state: true },
  };

  async load() {
    this.offlineNote = this.offlineNote && !navigator.onLine;
    const entries = await store.outbox();
    const waitingIds = new Set(entries.map((entry) => entry.entityId));
    const uploads = (await store.photosWaiting()).filter((photo) => !waitingIds.has(photo.id));
    const refused = await store.rejected();
    const reports = new Map((await store.allReports()).map((r) => [r.id, r]));
    const sites = new Map((await store.sites()).map((s) => [s.id, s]));
    const estimate = await navigator.storage?.estimate?.().catch(() => null);
    const persisted = await navigator.storage?.persisted?.().catch(() => null);
    Object.assign(this, { entries, uploads, refused, reports, sites, storage: { used: estimate?.usage, persisted } });
  }

  firstUpdated() {
    focusHeading(this);
  }

  async syncNow() {
    // offline, a sync cannot start: say so rather than nothing (the changes go by themselves once online)
    this.offlineNote = !navigator.onLine;
    if (this.offlineNote) {
      return;
    }
    this.syncing = true;
    try {
      await this.engine.syncNow({ retry: true });
    } finally {
      this.syncing = false;
      this.load();
    }
  }

  describe(entry) {
    if (entry.entity === 'Photo') {
      const { where, report } = this.describe({ entityId: entry.changes?.reportId ?? entry.reportId, changes: {}, kind: 'UPDATE' });
      const what = { DELETE: 'outbox.photoRemoval', UPDATE: 'outbox.photoCaption' }[entry.kind] ?? 'outbox.photo';
      return { what: t(what), where, report };
    }
    const report = this.reports.get(entry.entityId);
    const siteId = report?.siteId ?? entry.changes?.siteId;
    const site = this.sites.get(siteId);
    const date = report?.date ?? entry.changes?.date;
    const status = entry.changes?.status;
    const what = status === 'SUBMITTED' ? t('outbox.submit')
      : status ? t('outbox.decision', { status: t('status.' + status) }) : t('outbox.kind.' + entry.kind);
    return { what, where: [site?.code, date ? formatDay(date) : null].filter(Boolean).join(' · '), report };
  }

  render() {
    if (!this.entries) {
      return html`<p>${t('app.loading')}</p>`;
    }
    return html`
      <h1 tabindex="-1">${t('outbox.title')}</h1>
      <p class="lead">${t('outbox.lead')}</p>
      <button class="primary" type="button" data-testid="sync-now" ?disabled=${this.syncing}
        @click=${() => this.syncNow()}>⟳ ${this.syncing ? t('banner.syncing') : t('outbox.syncNow')}</button>
      ${this.offlineNote && !navigator.onLine
        ? html`<p class="notice" role="status" data-testid="sync-offline">${t('outbox.offline')}</p>` : ''}
      ${this.entries.length === 0 && this.uploads.length === 0
        ? html`<p class="empty" data-testid="outbox-empty">${t('outbox.empty')}</p>` : ''}
      ${this.uploads.length === 0 ? '' : html`
        <ul class="rows outbox" data-testid="uploads">
          ${this.uploads.map((photo) => {
            const { where, report } = this.describe({ entity: 'Photo', changes: { reportId: photo.reportId } });
            return html`<li class="entry">
              <p><strong>${t('outbox.upload')}</strong> ${report ? html`<a href="#/reports/${report.id}">${where}</a>` : where}</p>
              <p class="muted">${photo.refused ? t('report.photos.refused', { detail: photo.refused })
                : t('report.photos.uploading', { percent: Math.floor((100 * (photo.offset || 0)) / photo.size) })}</p>
              ${photo.lastError ? html`<p class="error-text">${t('outbox.lastError', { detail: photo.lastError })}</p>` : ''}
            </li>`;
          })}
        </ul>`}
      ${this.entries.length === 0 ? '' : html`
        <ul class="rows outbox" data-testid="outbox">
          ${this.entries.map((entry) => {
            const { what, where, report } = this.describe(entry);
            const state = entry.held ? t('outbox.state.held', { detail: t(entry.held) })
              : entry.sent && !entry.lastError ? t('outbox.state.sending') : t('outbox.state.waiting');
            return html`<li class="entry">
              <p><strong>${what}</strong> ${report ? html`<a href="#/reports/${report.id}">${where}</a>` : where}</p>
              <p class="muted">${state} · ${t('outbox.madeAt', { time: formatMoment(entry.madeAt) })}
                ${entry.attempts ? html` · ${t('outbox.attempts', { count: entry.attempts })}` : ''}</p>
              ${entry.lastError ? html`<p class="error-text">${t('outbox.lastError', { detail: entry.lastError })}</p>` : ''}
            </li>`;
          })}
        </ul>`}
      <h2>${t('storage.title')}</h2>
      ${this.storage?.used !== undefined ? html`<p>${t('storage.used', { size: megabytes(this.storage.used) })}</p>` : ''}
      ${this.storage?.persisted === false ? html`<p class="notice" data-testid="not-persisted">${t('storage.notPersisted')}</p>`
        : this.storage?.persisted ? html`<p class="muted">${t('storage.persisted')}</p>` : ''}
      ${this.refused.length ? html`
        <h2>${t('outbox.rejected')}</h2>
        <p class="muted">${t('outbox.rejectedLead')}</p>
        <ul class="rows">
          ${this.refused.map((entry) => html`<li class="entry">
            <p><strong>${this.describe(entry).what}</strong> ${this.describe(entry).where}</p>
            <p class="error-text">${entry.detail ?? ''} (${entry.status})</p>
            ${sent(entry)}</li>`)}
        </ul>` : ''}`;
  }
}

/**
 * What a refused change of a report held, field by field, folded away: the words someone wrote are not lost with
 * the change (they can be copied into another report).
 */
function sent(entry) {
  const fields = entry.entity === 'Photo' ? [] : CONTENT.filter((field) => {
    const value = entry.changes?.[field];
    return value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);
  });
  if (fields.length === 0) {
    return '';
  }
  return html`<details data-testid="refused-content">
    <summary>${t('outbox.sent')}</summary>
    <dl class="sent">
      ${fields.map((field) => html`<dt>${t('field.' + field)}</dt>
        <dd>${field === 'crew' ? entry.changes.crew.map((row) => html`<span class="crew-line">${[row.trade, row.company,
          t('outbox.sentCrew', { headcount: row.headcount ?? '', hours: row.hours ?? '' })].filter(Boolean).join(' · ')}</span>`)
          : String(entry.changes[field])}</dd>`)}
    </dl>
  </details>`;
}

function megabytes(bytes) {
  return new Intl.NumberFormat(navigator.language || 'en', { maximumFractionDigits: 1 }).format(bytes / 1_000_000);
}

customElements.define('fb-outbox', FbOutbox);
