import { html, nothing, svg } from 'lit';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { t, formatDay, formatMoment } from '../messages.js';
import * as store from '../store.js';
import { CONTENT, emptyContent, problemsAt, todayIn, uuid } from '../report-fields.js';
import { prepare } from '../photos.js';
import './fb-photo-viewer.js';
import { Screen, focusHeading } from './screen.js';
import { statusBadge } from './status-badge.js';
import { thumbnail } from './thumbnail.js';

const cameraIcon = html`<svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor"
  stroke-width="2" stroke-linejoin="round">${svg`<path d="M3 8h4l2-3h6l2 3h4v11H3z"/><circle cx="12" cy="13" r="4"/>`}</svg>`;

const SECTIONS = [
  ['workPerformed', 'report.workPerformed'],
  ['delays', 'report.delays'],
  ['safetyIncidents', 'report.safetyIncidents'],
  ['materials', 'report.materials'],
  ['notes', 'report.notes'],
];

/**
 * A daily report: the author's form while it is a draft or returned, read-only otherwise, and a
 * manager's review of a submitted one. Every change is written to the device (record and outbox in one
 * IndexedDB transaction) as it is typed; "Saved on this device" shows only once that transaction committed.
 */
class FbReport extends Screen {
  static properties = {
    account: { attribute: false },
    reportId: { attribute: false },
    siteId: { attribute: false },
    today: { attribute: false },
    record: { state: true },
    site: { state: true },
    content: { state: true },
    saveState: { state: true },
    message: { state: true },
    checked: { state: true },
    raw: { state: true },
    copiedFrom: { state: true },
    names: { state: true },
    waiting: { state: true },
    loaded: { state: true },
    photos: { state: true },
    preparing: { state: true },
    removing: { state: true },
    /** The screen the report was opened from (a route's name), where "← Back" leads when it is a list of reports. */
    cameFrom: { attribute: false },
    captioning: { state: true },
    captionDraft: { state: true },
    gone: { state: true },
    decided: { state: true },
    commentNeeded: { state: true },
    removedRow: { state: true },
  };

  constructor() {
    super();
    this.pending = 0;
    this.edits = 0;
    this.lastRev = 0;
    this.chain = Promise.resolve();
    this.raw = {};
    this.photos = [];
    this.queue = [];
    this.thumbnails = new Map();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.thumbnails.forEach((url) => URL.revokeObjectURL(url));
    this.thumbnails.clear();
  }

  /** What the screen shows: today's report of a site, or one report. */
  routeKey() {
    return this.today ? `today:${this.siteId}` : `report:${this.reportId}`;
  }

  willUpdate(changed) {
    if (this.shown !== undefined && (changed.has('reportId') || changed.has('siteId') || changed.has('today'))
      && this.shown !== this.routeKey()) {
      // Another report in the same screen (e.g. the next one in the review queue, or an address typed):
      // start afresh, as when the screen opens, so that nothing of the previous report is shown or saved.
      this.startAfresh();
      this.load();
    }
  }

  /** Forgets all the screen held of the report it showed, as when it opens. */
  startAfresh() {
    Object.assign(this, {
      record: undefined, draft: undefined, content: undefined, site: undefined, loaded: false, saveState: undefined,
      message: null, sent: null, checked: false, copiedFrom: undefined, waiting: false, photos: [], queue: [], raw: {},
      removing: null, captioning: null, gone: null, decided: null, commentNeeded: false, removedRow: null, edits: 0,
      pending: 0, lastRev: 0,
    });
  }

  async load() {
    const me = this.account;
    const editsBefore = this.edits;
    this.shown = this.routeKey();
    const shown = this.shown;
    const current = () => this.shown === shown;
    const names = await store.people();
    if (!current()) {
      return;
    }
    this.names = names;
    if (this.today && !this.draft) {
      const site = await store.site(this.siteId);
      if (!current()) {
        return;
      }
      this.site = site;
      if (!this.site) {
        this.loaded = true;
        return;
      }
      const date = todayIn(this.site.timezone);
      const existing = await store.reportOf(this.site.id, date, me.id);
      if (!current()) {
        return;
      }
      if (existing) {
        history.replaceState(null, '', '#/reports/' + existing.id);
        this.reportId = existing.id;
        this.today = false;
        this.shown = this.routeKey();
        return this.load();
      } else {
        this.draft = { id: uuid(), siteId: this.site.id, date };
        const content = await this.startingContent(date);
        if (!current()) {
          return;
        }
        this.content = content;
        this.loaded = true;
        focusHeading(this);
        return;
      }
    }
    const id = this.draft?.id ?? this.reportId;
    const record = await store.report(id);
    if (!current()) {
      return;
    }
    if (!record) {
      const shownBefore = this.record?.id === id ? this.record : this.gone?.record;
      const gone = shownBefore ? await this.whyGone(shownBefore) : null;
      if (!current()) {
        return;
      }
      if (gone?.mergedInto) {
        // the server had this person's report of the site and day already: the device's went into it (a new
        // report of today's screen as well: from here on the screen shows that report, not the day's draft)
        history.replaceState(null, '', '#/reports/' + gone.mergedInto);
        this.startAfresh();
        Object.assign(this, { reportId: gone.mergedInto, today: false });
        this.shown = this.routeKey();
        return this.load();
      }
      // a new report of today's screen is gone as well: the screen says why rather than start the day's draft again
      Object.assign(this, { gone, record: undefined, loaded: true });
      if (gone && this.draft) {
        Object.assign(this, { reportId: id, today: false, draft: undefined });
        this.shown = this.routeKey();
      }
      return;
    }
    this.gone = null;
    const queue = me.role === 'MANAGER' ? (await store.allReports())
      .filter((r) => r.fields.status === 'SUBMITTED' || r.id === record.id)
      .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id)).map((r) => r.id) : [];
    const photos = await store.photosOf(record.id);
    const site = await store.site(record.siteId);
    const waiting = (await store.waitingEntityIds()).has(record.id);
    if (!current()) {
      return;
    }
    Object.assign(this, { queue, photos, record, site, waiting });
    const sent = this.sent;
    if (!waiting && sent && this.message === t(`${sent.key}.waiting`)) {
      // the submission or decision this screen said would go with the next sync has been answered: say how (the
      // server's copy moves on to the status sent only when it took it; a refusal is kept in the Outbox)
      const taken = record.base?.status === sent.status;
      this.message = t(taken ? `${sent.key}.sent` : 'report.notTaken');
      if (!taken) {
        this.decided = null; // the review panel shows the report as the server has it, the refusal below it
      }
      this.sent = null;
    }
    // What was typed meanwhile wins over what this load read: a read made while a save of this screen
    // was under way, or older than the last save it completed, is not shown over the form.
    if (this.pending === 0 && this.edits === editsBefore && (record.rev ?? 0) >= this.lastRev) {
      // a crew changed elsewhere (a row removed on another device) may have moved the rows: what was typed in one
      // of them is not carried to another row, nor kept for a row gone, which nothing would show
      const crewChanged = JSON.stringify(record.fields.crew ?? []) !== JSON.stringify(this.content?.crew ?? []);
      this.content = pick(record.fields);
      // a number typed that could not be read was never saved: it stays in its field, marked, over the record
      this.raw = Object.fromEntries(Object.entries(this.raw).filter(([key]) => this.unreadable(key)
        && !(crewChanged && key.startsWith('crew.'))));
    }
    if (!this.loaded) {
      this.loaded = true;
      focusHeading(this);
    }
  }

  /**
   * Why a report this screen showed is no longer on the device: merged into the report the server had of the same
   * site, day and person (its id), its site no longer the person's, its creation refused (the Outbox says why),
   * or else deleted on the server, with how many conflicts hold what was sent for it after.
   */
  async whyGone(shownBefore) {
    const merged = await store.reportOf(shownBefore.siteId, shownBefore.date, shownBefore.authorId);
    if (merged && merged.id !== shownBefore.id) {
      return { mergedInto: merged.id };
    }
    if (!(await store.site(shownBefore.siteId))) {
      return { record: shownBefore, reason: 'access' };
    }
    if ((await store.rejected()).some((refused) => refused.entityId === shownBefore.id && refused.kind === 'CREATE')) {
      return { record: shownBefore, reason: 'refused' };
    }
    const conflicts = (await store.openConflicts()).filter((conflict) => conflict.entityId === shownBefore.id);
    return { record: shownBefore, reason: 'deleted', conflicts: conflicts.length };
  }

  /** An empty report with the crew of the last report of the site (the person's own first). */
  async startingContent(date) {
    const content = emptyContent();
    const earlier = (await store.reportsOfSite(this.site.id)).filter((r) => r.date < date && r.fields.crew?.length);
    const last = earlier.find((r) => r.authorId === this.account.id) ?? earlier[0];
    if (last) {
      content.crew = last.fields.crew.map((row) => ({ ...row }));
      this.copiedFrom = last.date;
    }
    return content;
  }

  get editable() {
    const me = this.account;
    if (this.draft && !this.record) {
      return me.role === 'WORKER';
    }
    const status = this.record?.fields.status;
    return this.record?.authorId === me.id && (status === 'DRAFT' || status === 'RETURNED');
  }

  /** Writes the form to the device; saves run one after the other, in the order they were made. */
  change(name, value) {
    this.edits += 1;
    this.content = { ...this.content, [name]: value };
    const snapshot = this.content;
    const key = this.draft ?? { id: this.record.id, siteId: this.record.siteId, date: this.record.date };
    const shown = this.shown;
    this.pending += 1;
    this.saveState = 'saving';
    // A save finishing after the screen moved on to another report is no news for that report.
    this.chain = this.chain.then(() => store.saveReport(key, snapshot, this.account)).then((saved) => {
      if (this.shown !== shown) {
        return;
      }
      this.lastRev = Math.max(this.lastRev, saved.rev ?? 0);
      this.pending -= 1;
      if (this.pending === 0) {
        this.saveState = 'saved';
      }
    }, (failure) => {
      if (this.shown !== shown) {
        return;
      }
      this.pending -= 1;
      this.saveState = 'failed';
      this.message = t('report.saveFailed', { detail: failure.message });
    });
    return this.chain;
  }

  text(name, event) {
    const value = event.target.value;
    this.change(name, value.trim() === '' ? null : value);
  }

  number(name, event, decimals) {
    const typed = event.target.value;
    this.raw = { ...this.raw, [name]: typed };
    const value = parseNumber(typed, decimals);
    if (value !== undefined) {
      this.change(name, value);
    }
  }

  /**
   * Whether what is typed in a number field (kept in {@code raw} under {@code key}) cannot be saved: not a number,
   * a fraction where a whole number is asked, or a crew row's number left empty. The field then keeps its last
   * saved value, and says so.
   */
  unreadable(key) {
    const typed = this.raw[key];
    if (typed === undefined) {
      return false;
    }
    const crew = key.startsWith('crew.');
    const value = parseNumber(typed, NUMBER_DECIMALS[crew ? key.split('.')[2] : key]);
    return value === undefined || (crew && value === null);
  }

  /**
   * The note under a number's input: that it cannot be read, or the problem the last Submit found in it
   * ({@code problem}, a message key, or null).
   */
  numberNote(key, id, problem) {
    if (!this.unreadable(key)) {
      return problem ? html`<p class="error-text" id=${id} data-testid="problem-here">${t(problem)}</p>` : '';
    }
    const whole = key.endsWith('.headcount');
    return html`<p class="error-text" id=${id} data-testid="unreadable-number">${t(whole
      ? 'report.number.unreadableWhole' : 'report.number.unreadable')}</p>`;
  }

  crewChange(index, field, value) {
    const crew = this.content.crew.map((row, i) => (i === index ? { ...row, [field]: value } : row));
    this.change('crew', crew);
  }

  crewNumber(index, field, event, decimals) {
    const typed = event.target.value;
    this.raw = { ...this.raw, [`crew.${index}.${field}`]: typed };
    const value = parseNumber(typed, decimals);
    if (value !== undefined && value !== null) {
      this.crewChange(index, field, value);
    }
  }

  step(index, by) {
    const row = this.content.crew[index];
    const headcount = Math.max(0, Math.min(10000, (row.headcount || 0) + by));
    this.raw = { ...this.raw, [`crew.${index}.headcount`]: undefined };
    this.crewChange(index, 'headcount', headcount);
  }

  addRow() {
    this.checked = false; // a new row is not marked before the next Submit
    this.change('crew', [...this.content.crew, { trade: '', company: null, headcount: 1, hours: 8 }]);
    this.updateComplete.then(() => {
      const inputs = this.querySelectorAll('input[name="trade"]');
      inputs[inputs.length - 1]?.focus();
    });
  }

  /** Takes a crew row out at one tap, which Undo puts back where it was (a gloved thumb misses). */
  removeRow(index) {
    this.raw = shiftedCrewKeys(this.raw, index, -1);
    this.removedRow = { row: this.content.crew[index], index, number: index + 1 };
    this.change('crew', this.content.crew.filter((row, i) => i !== index));
    this.updateComplete.then(() => this.querySelector('[data-testid="undo-remove-row"]')?.focus());
  }

  undoRemoveRow() {
    const { row, index } = this.removedRow;
    this.removedRow = null;
    const crew = [...this.content.crew];
    crew.splice(Math.min(index, crew.length), 0, row);
    this.raw = shiftedCrewKeys(this.raw, Math.min(index, crew.length - 1), +1);
    this.change('crew', crew);
    this.updateComplete.then(() => this.querySelector(`#trade-${Math.min(index, crew.length - 1)}`)?.focus());
  }

  async submit() {
    const shown = this.shown;
    // a removal asked and not answered is not one: the question goes, the photo stays with the report
    this.removing = null;
    await this.chain;
    const unreadable = Object.keys(this.raw).find((key) => this.unreadable(key));
    const located = unreadable ? null : problemsAt(this.content)[0];
    if (unreadable || located) {
      this.message = t('report.invalid', { detail: t(unreadable ? 'report.numberToFix' : located.key) });
      this.checked = true;
      await this.updateComplete;
      this.querySelector(`#${unreadable ? fieldOfRaw(unreadable) : inputOf(located)}`)?.focus();
      return;
    }
    try {
      if (!this.record) {
        await this.change('crew', this.content.crew);
      }
      const id = this.draft?.id ?? this.record.id;
      await store.submitReport(id, this.account);
      if (this.shown !== shown) {
        return;
      }
      this.message = t('report.submitted.waiting');
      this.sent = { key: 'report.submitted', status: 'SUBMITTED' };
      this.checked = false;
      this.load().catch(() => {}); // the sync may have answered it already
      if (this.draft) {
        history.replaceState(null, '', '#/reports/' + id);
      }
    } catch (failure) {
      this.message = failure.messageKey ? t('report.invalid', { detail: t(failure.messageKey) }) : failure.message;
    }
  }

  /** Downscales the chosen pictures and keeps each on the device with its creation in the outbox. */
  /** Removes a photo after the person confirmed it (a second tap). */
  async removePhoto(photo) {
    const others = this.photos.filter((shown) => shown.id !== photo.id);
    const next = others[Math.min(this.photos.findIndex((shown) => shown.id === photo.id), others.length - 1)];
    try {
      await store.removePhoto(photo.id, this.account);
      this.message = t('report.photos.removed');
    } catch (failure) {
      this.message = failure.message;
    }
    this.removing = null;
    // focus goes to the photo now in its place (or the one before it), or to the way to add one: not to the page
    await this.updateComplete;
    (next ? this.querySelector(`button.photo-open[data-photo="${next.id}"]`) : this.querySelector('#photo-caption'))
      ?.focus();
  }

  /** Asks whether to remove a photo, in place of its buttons, with the focus on the answer that removes it. */
  askRemove(photo) {
    this.captioning = null;
    this.removing = photo.id;
    this.updateComplete.then(() => this.querySelector('[data-remove-yes]')?.focus());
  }

  /** Keeps the photo after all, the focus back on its Remove button. */
  keepPhoto(photo) {
    this.removing = null;
    this.updateComplete.then(() => this.querySelector(`[data-remove-of="${photo.id}"]`)?.focus());
  }

  /** Opens the caption's field of one photo, focused, in place of its buttons. */
  editCaption(photo) {
    this.removing = null;
    this.captioning = photo.id;
    // what is typed is kept here, so that a sync that brings the photo again does not write over it
    this.captionDraft = photo.caption || '';
    this.updateComplete.then(() => this.querySelector('#caption-edit')?.focus());
  }

  /** Keeps the caption typed for the photo: on the device at once, on the server with the next sync. */
  async saveCaption(event, photo) {
    event.preventDefault();
    const caption = this.captionDraft ?? '';
    try {
      if (caption.trim() !== (photo.caption || '')) {
        await store.recaptionPhoto(photo.id, caption, this.account);
        this.message = caption.trim() ? t('report.photos.captionSaved') : t('report.photos.captionCleared');
      }
    } catch (failure) {
      this.message = failure.message;
    }
    this.closeCaption(photo);
  }

  /** Closes the caption's field and gives the focus back to its button. */
  closeCaption(photo) {
    this.captioning = null;
    this.captionDraft = null;
    this.updateComplete.then(() => this.querySelector(`[data-caption-of="${photo.id}"]`)?.focus());
  }

  async addPhotos(event) {
    const files = [...event.target.files];
    event.target.value = '';
    if (files.length === 0) {
      return;
    }
    const caption = this.querySelector('#photo-caption')?.value.trim() || null;
    this.preparing = true;
    try {
      await this.chain;
      if (!this.record) {
        await this.change('crew', this.content.crew);
      }
      const id = this.draft?.id ?? this.record.id;
      for (const file of files) {
        await store.addPhoto(id, await prepare(file), caption, this.account);
      }
      const captionInput = this.querySelector('#photo-caption');
      if (captionInput) {
        captionInput.value = '';
      }
    } catch (failure) {
      this.message = t('report.photos.failed', { detail: failure.message });
    } finally {
      this.preparing = false;
    }
  }

  thumbnailOf(photo) {
    if (photo.thumb) {
      if (!this.thumbnails.has(photo.id)) {
        this.thumbnails.set(photo.id, URL.createObjectURL(photo.thumb));
      }
      return this.thumbnails.get(photo.id);
    }
    return photo.serverThumbnail && !photo.pending ? `/api/v1/photos/${photo.id}/thumbnail` : null;
  }

  /**
   * Where a photo is, for its author (on this device, uploading, on the server, refused); for anyone else only that the
   * author has not uploaded it yet (on the server is what they expect).
   */
  photoState(photo) {
    if (this.record && this.record.authorId !== this.account.id && !photo.blob) {
      return photo.pending ? t('report.photos.notYetUploaded') : '';
    }
    if (photo.refused) {
      return t('report.photos.refused', { detail: photo.refused });
    }
    if (photo.blob) {
      return photo.offset > 0 ? t('report.photos.uploading', { percent: Math.floor((100 * photo.offset) / photo.size) })
        : t('report.photos.onDevice');
    }
    return photo.pending ? t('report.photos.onDevice') : t('report.photos.onServer');
  }

  /** What the author can do with one photo of an editable report: its caption, its removal (confirmed). */
  photoActions(photo, i) {
    // with its number, so that two photos of one caption have buttons of their own names
    const numbered = t('report.photos.alt', { number: i + 1 });
    const name = photo.caption ? `${photo.caption} (${numbered})` : numbered;
    if (this.captioning === photo.id) {
      return html`
        <form class="caption-edit" @submit=${(e) => this.saveCaption(e, photo)}
          @keydown=${(e) => { if (e.key === 'Escape') { e.preventDefault(); this.closeCaption(photo); } }}>
          <label for="caption-edit">${t('report.photos.captionOf', { name: t('report.photos.alt', { number: i + 1 }) })}</label>
          <input id="caption-edit" maxlength="500" autocomplete="off" .value=${live(this.captionDraft ?? '')}
            @input=${(e) => { this.captionDraft = e.target.value; }}>
          <span class="photo-actions">
            <button type="submit" class="link">${t('report.photos.captionSave')}</button>
            <button type="button" class="link" @click=${() => this.closeCaption(photo)}>${t('report.photos.captionCancel')}</button>
          </span>
        </form>`;
    }
    if (this.removing === photo.id) {
      return html`
        <span class="confirm-remove" role="group" aria-labelledby="remove-question"
          @keydown=${(e) => { if (e.key === 'Escape') { e.preventDefault(); this.keepPhoto(photo); } }}>
          <span id="remove-question">${t('report.photos.removeConfirm')}</span>
          <button type="button" class="link danger" data-remove-yes @click=${() => this.removePhoto(photo)}
            aria-describedby="remove-question">${t('report.photos.removeYes')}</button>
          <button type="button" class="link" @click=${() => this.keepPhoto(photo)}>${t('report.photos.removeNo')}</button></span>`;
    }
    return html`
      <span class="photo-actions">
        <button type="button" class="link" data-caption-of=${photo.id} @click=${() => this.editCaption(photo)}
          aria-label=${t(photo.caption ? 'report.photos.captionEditOne' : 'report.photos.captionAddOne', { name })}>
          ${t(photo.caption ? 'report.photos.captionEdit' : 'report.photos.captionAdd')}</button>
        <button type="button" class="link danger" data-remove-of=${photo.id} @click=${() => this.askRemove(photo)}
          aria-label=${t('report.photos.removeOne', { name })}>${t('report.photos.remove')}</button>
      </span>`;
  }

  photoSection(editable) {
    if (!editable && this.photos.length === 0) {
      return '';
    }
    return html`
      <fieldset class="photos">
        <legend>${t('report.photos')}</legend>
        ${this.photos.length === 0 ? html`<p class="muted">${t('report.photos.none')}</p>` : ''}
        <ul class="photo-list" data-testid="photos">
          ${repeat(this.photos, (photo) => photo.id, (photo, i) => {
            const source = this.thumbnailOf(photo);
            return html`<li class=${this.captioning === photo.id && editable ? 'captioning' : ''}>
              <figure>
                <button type="button" class="photo-open" data-photo=${photo.id}
                  @click=${(e) => this.querySelector('fb-photo-viewer').open(i, e.currentTarget)}>
                <span class="photo-number" aria-hidden="true">${i + 1}</span>
                ${source ? thumbnail(source, photo.caption || t('report.photos.alt', { number: i + 1 }))
                  : html`<div class="no-thumbnail" aria-hidden="true">▣</div>`}
                <span class="visually-hidden">${t('viewer.open')}</span></button>
                <figcaption>${photo.caption && this.captioning !== photo.id ? html`<span class="caption-text">${photo.caption}</span>` : ''}
                  ${this.photoState(photo) ? html`<span class="photo-state ${photo.blob ? 'waiting' : 'done'}">${this.photoState(photo)}</span>` : ''}
                  ${editable ? this.photoActions(photo, i) : ''}
                  </figcaption>
              </figure></li>`;
          })}
        </ul>
        ${editable ? html`
          <label for="photo-caption">${t('report.photos.caption')}</label>
          <input id="photo-caption" autocomplete="off">
          <input id="photo-input" class="visually-hidden" type="file" accept="image/*" multiple
            ?disabled=${this.preparing} @change=${(e) => this.addPhotos(e)}>
          <label class="button add-photo" for="photo-input">${cameraIcon}
            ${this.preparing ? t('report.photos.preparing') : t('report.photos.add')}</label>` : ''}
        <fb-photo-viewer .photos=${this.photos}></fb-photo-viewer>
      </fieldset>`;
  }

  async decide(status) {
    const field = this.querySelector('#return-comment');
    const comment = field?.value.trim() || '';
    if (status === 'RETURNED' && !comment) {
      // said where the comment goes, not below the report
      this.commentNeeded = true;
      field?.focus();
      return;
    }
    this.commentNeeded = false;
    const shown = this.shown;
    try {
      await store.decide(this.record.id, status, comment);
      if (this.shown !== shown) {
        return;
      }
      this.message = t('report.decided.waiting');
      this.sent = { key: 'report.decided', status };
      this.decided = status;
      await this.load().catch(() => {}); // the sync may have answered it already
      // on to the next report of the queue, from the keyboard as well
      if (this.shown === shown) {
        await this.updateComplete;
        this.querySelector('[data-testid="after-decision"] a')?.focus();
      }
    } catch (failure) {
      this.message = failure.message;
    }
  }

  render() {
    if (!this.loaded) {
      return html`<p>${t('app.loading')}</p>`;
    }
    if (this.gone && !this.record && !this.draft) {
      return html`<h1 tabindex="-1">${t('report.title')}</h1>
        <p class="notice" role="alert" data-testid="report-gone">${t('report.gone.' + this.gone.reason)}
          ${this.gone.conflicts ? html`<a href="#/conflicts">${t('report.goneConflicts')}</a>` : ''}
          ${this.gone.reason === 'refused' ? html`<a href="#/outbox">${t('report.goneOutbox')}</a>` : ''}</p>`;
    }
    if (!this.content || (!this.record && !this.draft)) {
      return html`<h1 tabindex="-1">${t('report.title')}</h1><p class="empty" data-testid="not-found">${t('report.notFound')}</p>`;
    }
    const date = this.record?.date ?? this.draft.date;
    const status = this.record?.fields.status ?? 'DRAFT';
    const editable = this.editable;
    const author = this.record ? this.names.get(this.record.authorId) : this.account.name;
    return html`
      <p class="back">${this.cameFrom === 'review' || this.cameFrom === 'dashboard'
        ? html`<a href="#/${this.cameFrom}">← ${t(this.cameFrom === 'review' ? 'review.backToQueue' : 'report.backToDashboard')}</a>`
        : html`<a href=${this.site ? `#/sites/${this.site.id}` : '#/'}>← ${t('report.back')}</a>`}</p>
      <h1 tabindex="-1">${t('report.title')}</h1>
      <p class="subtitle">${t('report.siteDate', { site: this.site ? `${this.site.code} ${this.site.name}` : '', date: formatDay(date) })}</p>
      <p>${statusBadge(status, this.waiting)} ${author ? html`<span class="muted">${t('report.author', { name: author })}</span>` : ''}</p>
      ${this.history()}
      ${this.returned()}
      ${this.review()}
      ${editable ? this.form() : this.view()}
      ${this.message && !this.decided ? html`<p class="notice" role="alert">${this.message}</p>` : ''}
      ${editable ? html`<div class="savebar">
          <span class="save-state" role="status" data-testid="save-state">${this.saveState === 'saving' ? t('report.saving')
            : this.saveState === 'failed' || !this.record ? ''
              : Object.keys(this.raw).some((key) => this.unreadable(key)) ? t('report.savedButNumber') : t('report.saved')}</span>
          <button class="primary" type="button" data-testid="submit" @click=${() => this.submit()}>${t('report.submit')}</button>
        </div>` : ''}`;
  }

  /**
   * When the server has the report submitted and, once approved or returned, by whom and when: at the site's time
   * (docs/web-app.md), whoever reads it where.
   */
  history() {
    const record = this.record;
    const status = record?.fields.status;
    const server = record?.server;
    if (!server?.submittedAt || status === 'DRAFT' || this.waiting) {
      return '';
    }
    const zone = this.site?.timezone;
    const decided = (status === 'APPROVED' || status === 'RETURNED') && server.decidedAt;
    const by = this.names.get(server.decidedBy);
    return html`<p class="muted" data-testid="history">${t('report.history.submitted', { time: formatMoment(server.submittedAt, zone) })}${decided
      ? html` · ${t(`report.history.${status}${by ? '' : '.noName'}`, { name: by, time: formatMoment(server.decidedAt, zone) })}` : ''}</p>`;
  }

  returned() {
    const record = this.record;
    if (record?.fields.status === 'SUBMITTED' && record.fields.returnComment) {
      // submitted again after a return: what was asked for stays in view, so that the fix can be checked against it
      return html`<section class="returned before" aria-labelledby="returned-heading">
        <h2 id="returned-heading">${t('report.returnedBefore')}</h2>
        <p class="comment" data-testid="return-comment">${record.fields.returnComment}</p>
      </section>`;
    }
    if (!record || record.fields.status !== 'RETURNED' || !record.fields.returnComment) {
      return '';
    }
    const by = record.server?.decidedBy ? this.names.get(record.server.decidedBy) : null;
    return html`<section class="returned" aria-labelledby="returned-heading">
      <h2 id="returned-heading">${by ? t('report.returned', { name: by }) : t('report.returnedNoName')}</h2>
      <p class="comment" data-testid="return-comment">${record.fields.returnComment}</p>
    </section>`;
  }

  form() {
    const c = this.content;
    // once Submit found a problem, every field with one is marked until it is fixed
    const located = this.checked ? problemsAt(c) : [];
    const temperatureProblem = problemIn(located, 'weather.temperatureCelsius');
    return html`
      <form class="report" @submit=${(e) => e.preventDefault()}>
        <fieldset>
          <legend>${t('report.weather')}</legend>
          <div class="pair">
            <div><label for="conditions">${t('report.weather.conditions')}</label>
              <input id="conditions" name="conditions" .value=${live(c['weather.conditions'] ?? '')}
                @input=${(e) => this.text('weather.conditions', e)}></div>
            <div><label for="temperature">${t('report.weather.temperature')}</label>
              <input id="temperature" name="temperature" inputmode="decimal" autocomplete="off"
                aria-invalid=${this.unreadable('weather.temperatureCelsius') || temperatureProblem ? 'true' : 'false'}
                aria-describedby=${this.unreadable('weather.temperatureCelsius') || temperatureProblem
                  ? 'temperature-error' : nothing}
                .value=${live(this.raw['weather.temperatureCelsius'] ?? numberText(c['weather.temperatureCelsius']))}
                @input=${(e) => this.number('weather.temperatureCelsius', e, 1)}>
              ${this.numberNote('weather.temperatureCelsius', 'temperature-error', temperatureProblem)}</div>
          </div>
        </fieldset>
        <fieldset>
          <legend>${t('report.crew')}</legend>
          ${this.copiedFrom && !this.record ? html`<p class="muted">${t('report.crew.copied', { date: formatDay(this.copiedFrom) })}</p>` : ''}
          ${c.crew.length === 0 ? html`<p class="muted">${t('report.crew.none')}</p>` : ''}
          <ol class="crew">${c.crew.map((row, i) => this.crewRow(row, i, located))}</ol>
          ${this.removedRow ? html`<p class="notice" role="status">${t('report.crew.removed', {
            number: this.removedRow.number, trade: this.removedRow.row.trade || '—' })}
            <button type="button" data-testid="undo-remove-row" @click=${() => this.undoRemoveRow()}>${t('report.crew.undo')}</button></p>` : ''}
          <button type="button" @click=${() => this.addRow()}>+ ${t('report.crew.add')}</button>
        </fieldset>
        ${this.photoSection(true)}
        ${SECTIONS.map(([name, label]) => html`
          <div class="section"><label for=${name}>${t(label)}</label>
            <textarea id=${name} name=${name} rows="3" .value=${live(c[name] ?? '')}
              @input=${(e) => this.text(name, e)}></textarea></div>`)}
      </form>`;
  }

  crewRow(row, i, located) {
    const n = i + 1;
    const headcountKey = `crew.${i}.headcount`;
    const hoursKey = `crew.${i}.hours`;
    const headcountProblem = problemIn(located, 'headcount', i);
    const hoursProblem = problemIn(located, 'hours', i);
    return html`
      <li class="crew-row" aria-label=${t('report.crew.row', { number: n })}>
        <div class="pair">
          <div><label for="trade-${i}">${t('report.crew.trade')}</label>
            <input id="trade-${i}" name="trade" .value=${live(row.trade ?? '')} required
              aria-invalid=${this.checked && !row.trade?.trim() ? 'true' : 'false'}
              aria-describedby=${this.checked && !row.trade?.trim() ? `trade-${i}-error` : nothing}
              @input=${(e) => this.crewChange(i, 'trade', e.target.value)}>
            ${this.checked && !row.trade?.trim() ? html`<p class="error-text" id="trade-${i}-error"
              data-testid="trade-missing">${t('report.crew.tradeMissingHere')}</p>` : ''}</div>
          <div><label for="company-${i}">${t('report.crew.company')}</label>
            <input id="company-${i}" name="company" .value=${live(row.company ?? '')}
              @input=${(e) => this.crewChange(i, 'company', e.target.value.trim() === '' ? null : e.target.value)}></div>
        </div>
        <div class="pair">
          <div><label for="headcount-${i}">${t('report.crew.headcount')}</label>
            <div class="stepper">
              <button type="button" aria-label=${t('report.crew.less')} @click=${() => this.step(i, -1)}>−</button>
              <input id="headcount-${i}" name="headcount" inputmode="numeric" pattern="[0-9]*" autocomplete="off"
                aria-invalid=${this.unreadable(headcountKey) || headcountProblem ? 'true' : 'false'}
                aria-describedby=${this.unreadable(headcountKey) || headcountProblem ? `headcount-${i}-error` : nothing}
                .value=${live(this.raw[headcountKey] ?? String(row.headcount ?? 0))}
                @input=${(e) => this.crewNumber(i, 'headcount', e, 0)}>
              <button type="button" aria-label=${t('report.crew.more')} @click=${() => this.step(i, 1)}>+</button>
            </div>
            ${this.numberNote(headcountKey, `headcount-${i}-error`, headcountProblem)}</div>
          <div><label for="hours-${i}">${t('report.crew.hours')}</label>
            <input id="hours-${i}" name="hours" class="big" inputmode="decimal" autocomplete="off"
              aria-invalid=${this.unreadable(hoursKey) || hoursProblem ? 'true' : 'false'}
              aria-describedby=${this.unreadable(hoursKey) || hoursProblem ? `hours-${i}-error` : nothing}
              .value=${live(this.raw[hoursKey] ?? numberText(row.hours))}
              @input=${(e) => this.crewNumber(i, 'hours', e, 2)}>
            ${this.numberNote(hoursKey, `hours-${i}-error`, hoursProblem)}</div>
        </div>
        <button type="button" class="link danger" @click=${() => this.removeRow(i)}>${t('report.crew.remove', { number: n })}</button>
      </li>`;
  }

  view() {
    const c = this.content;
    return html`
      <section class="view">
        <h2>${t('report.weather')}</h2>
        <p>${c['weather.conditions'] ?? '—'}${c['weather.temperatureCelsius'] !== null ? html`, ${numberText(c['weather.temperatureCelsius'])} °C` : ''}</p>
        <h2>${t('report.crew')}</h2>
        ${c.crew.length === 0 ? html`<p>—</p>` : html`
          <div class="crew-view"><table>
            <thead><tr><th scope="col">${t('report.crew.trade')}</th><th scope="col">${t('report.crew.company')}</th>
              <th scope="col" class="num">${t('report.crew.headcount')}</th><th scope="col" class="num">${t('report.crew.hours')}</th></tr></thead>
            <tbody>${c.crew.map((row) => html`<tr><td class="trade">${row.trade}</td><td class="company">${row.company ?? ''}</td>
              <td class="num">${row.headcount}<span class="unit"> ${t(row.headcount === 1 ? 'report.crew.person' : 'report.crew.people')}</span></td>
              <td class="num">${numberText(row.hours)}<span class="unit"> ${t('report.crew.personHours')}</span></td></tr>`)}</tbody>
          </table></div>`}
        ${SECTIONS.map(([name, label]) => html`<h2>${t(label)}</h2><p class="prose">${c[name] ?? '—'}</p>`)}
      </section>
      ${this.photoSection(false)}`;
  }

  review() {
    if (this.decided && this.account.role === 'MANAGER') {
      return this.afterDecision();
    }
    // nobody decides on a report they wrote, whatever their role is now (the server refuses it: own-report)
    if (this.account.role !== 'MANAGER' || this.record?.fields.status !== 'SUBMITTED'
        || this.record.authorId === this.account.id) {
      return '';
    }
    const { previous, next } = this.neighbours();
    return html`
      <section class="decide" aria-labelledby="decide-heading">
        <h2 id="decide-heading">${t('report.decide.title')}</h2>
        <nav class="queue-nav" aria-label=${t('review.title')}>
          ${previous ? html`<a class="button" href="#/reports/${previous}">← ${t('review.previous')}</a>` : ''}
          ${next ? html`<a class="button" href="#/reports/${next}">${t('review.next')} →</a>` : ''}
        </nav>
        <button class="primary" type="button" @click=${() => this.decide('APPROVED')}>✓ ${t('report.approve')}</button>
        <label for="return-comment">${t('report.returnComment')}</label>
        <textarea id="return-comment" rows="3" aria-invalid=${this.commentNeeded ? 'true' : 'false'}
          aria-describedby=${this.commentNeeded ? 'return-comment-needed' : nothing}
          @input=${() => { this.commentNeeded = false; }}></textarea>
        ${this.commentNeeded ? html`<p class="error-text" id="return-comment-needed" role="alert">${t('report.commentNeeded')}</p>` : ''}
        <button type="button" @click=${() => this.decide('RETURNED')}>↩ ${t('report.return')}</button>
      </section>`;
  }

  /** Once this manager has decided here: what became of the decision, and the way on through the queue. */
  afterDecision() {
    const { next } = this.neighbours();
    return html`
      <section class="decide" aria-labelledby="decide-heading" data-testid="after-decision">
        <h2 id="decide-heading">${t(this.decided === 'APPROVED' ? 'report.decided.approved' : 'report.decided.returned')}</h2>
        ${this.message ? html`<p role="status">${this.message}</p>` : ''}
        <nav class="queue-nav" aria-label=${t('review.title')}>
          ${next ? html`<a class="button primary" href="#/reports/${next}">${t('review.next')} →</a>`
            : html`<a class="button" href="#/review">${t('review.backToQueue')}</a>`}
        </nav>
      </section>`;
  }

  /** The reports before and after this one in the queue of submitted reports (null at either end). */
  neighbours() {
    const at = this.queue.indexOf(this.record?.id);
    return {
      previous: at > 0 ? this.queue[at - 1] : null,
      next: at >= 0 && at < this.queue.length - 1 ? this.queue[at + 1] : null,
    };
  }
}

function pick(fields) {
  const content = {};
  for (const name of CONTENT) {
    content[name] = name === 'crew' ? (fields.crew || []).map((row) => ({ ...row })) : fields[name] ?? null;
  }
  return content;
}

/** The decimals each number field takes: a crew row's by its field's name, the others by their own. */
const NUMBER_DECIMALS = { 'weather.temperatureCelsius': 1, headcount: 0, hours: 2 };

/**
 * What is typed in the crew's number fields ({@code crew.<row>.<field>} keys of {@code raw}) kept with its row when a
 * row is taken out at {@code index} ({@code by} -1: that row's typing goes, the rows below move up) or put back there
 * (+1: the rows from there move down); other keys stay.
 */
function shiftedCrewKeys(raw, index, by) {
  const shifted = {};
  for (const [key, typed] of Object.entries(raw)) {
    const crewKey = /^crew\.(\d+)\.(\w+)$/.exec(key);
    const row = crewKey ? Number(crewKey[1]) : -1;
    if (!crewKey || row < index) {
      shifted[key] = typed;
    } else if (by < 0 && row === index) {
      continue;
    } else {
      shifted[`crew.${row + by}.${crewKey[2]}`] = typed;
    }
  }
  return shifted;
}

/** The input of a number kept in {@code raw} under {@code key}. */
function fieldOfRaw(key) {
  if (!key.startsWith('crew.')) {
    return 'temperature';
  }
  const [, index, field] = key.split('.');
  return `${field}-${index}`;
}

/** The input to fix for a problem of {@link problemsAt}: the temperature, or the crew row's field it is in. */
function inputOf(problem) {
  return problem.field === 'weather.temperatureCelsius' ? 'temperature' : `${problem.field}-${problem.row}`;
}

/** The message key of the problem among {@code problems} in this field (and crew row), null if none is. */
function problemIn(problems, field, row) {
  return problems.find((problem) => problem.field === field && problem.row === row)?.key ?? null;
}

/** A typed number: null when empty, undefined while it is not a number yet (e.g. "-"). */
function parseNumber(typed, decimals) {
  const text = typed.trim().replace(',', '.');
  if (text === '') {
    return decimals === 0 ? 0 : null;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || (decimals === 0 && !Number.isInteger(value))) {
    return undefined;
  }
  return value;
}

function numberText(value) {
  return value === null || value === undefined ? '' : String(value);
}

customElements.define('fb-report', FbReport);
