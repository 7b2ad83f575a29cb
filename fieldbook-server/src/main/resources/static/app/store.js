// The device's store (IndexedDB): the signed-in account, sites, reports, the outbox of changes not yet
// confirmed by the server, refused changes, and the pull cursor. A change of a record and its outbox
// entry are written in one transaction: when a promise of this module resolves, the change is on disk.
import { openDB, deleteDB } from 'idb';
import { CONTENT, changed, fieldsOf, problemOf, uuid } from './report-fields.js';

const NAME = 'fieldbook';
const REPORT = 'DailyReport';
const PHOTO = 'Photo';
const channel = 'BroadcastChannel' in self ? new BroadcastChannel('fieldbook') : null;
const listeners = new Set();
let opened = null;

/** Calls {@code listener} whenever data changed, in this tab or another. */
export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changedHere() {
  listeners.forEach((listener) => listener());
  channel?.postMessage('changed');
}

/** Tells this tab's listeners only: for what each tab works out for itself (why an entry is held). */
function changedInThisTab() {
  listeners.forEach((listener) => listener());
}

/** How long to wait before trying again after the {@code attempts}-th failed try: growing, jittered, 5 min at most. */
function backoff(attempts) {
  return Math.min(5 * 60_000, 2_000 * 2 ** Math.min(attempts, 10)) * (0.5 + Math.random() / 2);
}

if (channel) {
  channel.onmessage = (event) => {
    if (event.data === 'changed') {
      listeners.forEach((listener) => listener());
    } else if (event.data === 'cleared') {
      location.reload();
    }
  };
}

function db() {
  opened ??= openDB(NAME, 2, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('meta');
        database.createObjectStore('sites', { keyPath: 'id' });
        database.createObjectStore('reports', { keyPath: 'id' }).createIndex('site', 'siteId');
        database.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true }).createIndex('entity', 'entityId');
        database.createObjectStore('people', { keyPath: 'id' });
        database.createObjectStore('conflicts', { keyPath: 'id' });
        database.createObjectStore('rejected', { keyPath: 'operationId' });
      }
      if (oldVersion < 2) {
        // Photos: the device's copy (a blob, until the server's receipt) and a small thumbnail.
        database.createObjectStore('photos', { keyPath: 'id' }).createIndex('report', 'reportId');
      }
    },
    blocking() {
      // Another tab clears the device (sign-out) or opens a newer schema: let it.
      opened?.then((database) => database.close());
      opened = null;
    },
    terminated() {
      // The browser closed the connection (it evicted the site's storage, or the user cleared it): the next
      // call opens the database again instead of failing on the closed connection.
      opened = null;
    },
  });
  return opened;
}

/** Asks the browser to keep this site's data under storage pressure; answers whether it will. */
export async function persist() {
  try {
    return (await navigator.storage?.persisted?.()) || (await navigator.storage?.persist?.()) || false;
  } catch (refused) {
    return false;
  }
}

export async function meta(key) {
  return (await db()).get('meta', key);
}

export async function setMeta(key, value) {
  await (await db()).put('meta', value, key);
  changedHere();
}

const DEVICE_COOKIE = 'fieldbook-device';

/**
 * The id of this installation, made once. It is also kept in a cookie, which a browser does not delete
 * when it evicts the site's storage (IndexedDB): a device that comes back empty keeps its id, so that the
 * server can tell it what was lost (docs/sync-protocol.md, "Devices that lost their data").
 */
export async function deviceId() {
  const database = await db();
  const tx = database.transaction('meta', 'readwrite');
  let id = await tx.store.get('deviceId');
  if (!id) {
    id = document.cookie.match(/(?:^|;\s*)fieldbook-device=([0-9a-f-]{36})/)?.[1] ?? uuid();
    await tx.store.put(id, 'deviceId');
  }
  await tx.done;
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${DEVICE_COOKIE}=${id}; Max-Age=34560000; Path=/; SameSite=Strict${secure}`;
  return id;
}

export async function account() {
  return meta('account');
}

export async function sites() {
  const all = await (await db()).getAll('sites');
  return all.sort((a, b) => (a.code || '').localeCompare(b.code || ''));
}

export async function site(id) {
  return (await db()).get('sites', id);
}

export async function people() {
  const map = new Map();
  for (const person of await (await db()).getAll('people')) {
    map.set(person.id, person.name);
  }
  return map;
}

export async function report(id) {
  const found = await (await db()).get('reports', id);
  return found && !found.deleted ? found : undefined;
}

export async function reportsOfSite(siteId) {
  const all = await (await db()).getAllFromIndex('reports', 'site', siteId);
  return all.filter((r) => !r.deleted).sort((a, b) => b.date.localeCompare(a.date));
}

export async function allReports() {
  return (await (await db()).getAll('reports')).filter((r) => !r.deleted);
}

/** The author's report of a site and day, if the device has it. */
export async function reportOf(siteId, date, authorId) {
  return (await reportsOfSite(siteId)).find((r) => r.date === date && r.authorId === authorId);
}

/** The entries of the outbox in the order they were made. */
export async function outbox() {
  return (await db()).getAll('outbox');
}

export async function rejected() {
  return (await db()).getAll('rejected');
}

export async function outboxDepth() {
  return (await db()).count('outbox');
}

/** The ids of reports that have changes waiting. */
export async function waitingEntityIds() {
  return new Set((await outbox()).map((entry) => entry.entityId));
}

function entry(entityId, kind, changes, madeAt, entity = REPORT) {
  return {
    operationId: uuid(), entity, entityId, kind, changes, madeAt,
    attempts: 0, nextAttemptAt: 0, lastError: null, sent: null,
  };
}

/**
 * Adds a change to the outbox; content changes join the last entry of the record while that entry has
 * not been sent yet (one entry per pause in typing rather than one per keystroke). Status changes stay
 * entries of their own.
 */
async function append(outboxStore, entityId, kind, changes, madeAt) {
  const entries = await outboxStore.index('entity').getAll(entityId);
  const last = entries.sort((a, b) => a.seq - b.seq).at(-1);
  const joinable = last && !last.sent && (last.kind === 'CREATE' || last.kind === 'UPDATE')
    && !('status' in last.changes) && !('status' in changes) && kind === 'UPDATE';
  if (joinable) {
    last.changes = { ...last.changes, ...changes };
    last.madeAt = madeAt;
    await outboxStore.put(last);
  } else {
    await outboxStore.add(entry(entityId, kind, changes, madeAt));
  }
}

function editableBy(record, me) {
  return record.authorId === me.id && (record.fields.status === 'DRAFT' || record.fields.status === 'RETURNED');
}

/**
 * Saves the content of the author's report: creates it (a CREATE in the outbox) when the device does not
 * have it, else queues an UPDATE of the fields that changed. Resolves once both are on disk.
 */
export async function saveReport({ id, siteId, date }, content, me) {
  const database = await db();
  const tx = database.transaction(['reports', 'outbox'], 'readwrite');
  const reports = tx.objectStore('reports');
  const queue = tx.objectStore('outbox');
  const now = new Date().toISOString();
  let record = await reports.get(id);
  if (!record) {
    const changes = { siteId, date };
    for (const name of CONTENT) {
      changes[name] = content[name] ?? (name === 'crew' ? [] : null);
    }
    await queue.add(entry(id, 'CREATE', changes, now));
    record = {
      id, siteId, date, authorId: me.id, fields: { ...changes, status: 'DRAFT', returnComment: null },
      base: null, version: 0, server: null, updatedAt: now, rev: 0,
    };
  } else {
    if (!editableBy(record, me)) {
      tx.abort();
      throw new Error('This report can no longer be changed.');
    }
    const changes = changed(record.fields, content);
    if (Object.keys(changes).length === 0) {
      await tx.done;
      return record;
    }
    await append(queue, id, 'UPDATE', changes, now);
    record.fields = { ...record.fields, ...changes };
    record.updatedAt = now;
  }
  // Every local write of a record counts up, so that a screen can tell a read older than its own write.
  record.rev = (record.rev ?? 0) + 1;
  await reports.put(record);
  await tx.done;
  changedHere();
  return record;
}

/** Submits a draft or returned report of the author; refuses content the server would refuse. */
export async function submitReport(id, me) {
  const database = await db();
  const tx = database.transaction(['reports', 'outbox'], 'readwrite');
  const record = await tx.objectStore('reports').get(id);
  if (!record || !editableBy(record, me)) {
    tx.abort();
    throw new Error('This report can no longer be changed.');
  }
  const problem = problemOf(record.fields);
  if (problem) {
    tx.abort();
    throw Object.assign(new Error(problem), { messageKey: problem });
  }
  const now = new Date().toISOString();
  await append(tx.objectStore('outbox'), id, 'UPDATE', { status: 'SUBMITTED' }, now);
  record.fields = { ...record.fields, status: 'SUBMITTED' };
  record.updatedAt = now;
  await tx.objectStore('reports').put(record);
  await tx.done;
  changedHere();
  return record;
}

/** A manager's decision on a submitted report: APPROVED, or RETURNED with a comment. */
export async function decide(id, status, comment) {
  const database = await db();
  const tx = database.transaction(['reports', 'outbox'], 'readwrite');
  const record = await tx.objectStore('reports').get(id);
  if (!record || record.fields.status !== 'SUBMITTED') {
    tx.abort();
    throw new Error('Only submitted reports can be approved or returned.');
  }
  const changes = status === 'RETURNED' ? { status, returnComment: comment } : { status };
  const now = new Date().toISOString();
  await append(tx.objectStore('outbox'), id, 'UPDATE', changes, now);
  record.fields = { ...record.fields, ...changes };
  record.updatedAt = now;
  await tx.objectStore('reports').put(record);
  await tx.done;
  changedHere();
  return record;
}

/** The photos of a report on this device: taken here (with their upload state) or pulled from the server. */
export async function photosOf(reportId) {
  const all = (await (await db()).getAllFromIndex('photos', 'report', reportId)).filter((photo) => !photo.removed);
  return all.sort((a, b) => (a.takenAt || '').localeCompare(b.takenAt || ''));
}

/** Photos whose content is still only on this device. */
export async function photosWaiting() {
  return (await (await db()).getAll('photos')).filter((photo) => photo.blob && !photo.removed);
}

/**
 * Adds a photo (already downscaled) to the author's report: the blob and its thumbnail, and the photo's
 * creation in the outbox, in one transaction. The blob stays until the server's receipt.
 */
export async function addPhoto(reportId, prepared, caption, me) {
  const database = await db();
  const tx = database.transaction(['reports', 'outbox', 'photos'], 'readwrite');
  const record = await tx.objectStore('reports').get(reportId);
  if (!record || !editableBy(record, me)) {
    tx.abort();
    throw new Error('This report can no longer be changed.');
  }
  const id = uuid();
  const now = new Date().toISOString();
  const changes = { reportId, sha256: prepared.sha256, size: prepared.size, caption: caption || null, takenAt: prepared.takenAt };
  await tx.objectStore('outbox').add(entry(id, 'CREATE', changes, now, PHOTO));
  await tx.objectStore('photos').put({
    id, reportId, sha256: prepared.sha256, size: prepared.size, caption: caption || null, takenAt: prepared.takenAt,
    blob: prepared.blob, thumb: prepared.thumb, offset: 0, receipt: null, lastError: null, version: 0,
  });
  await tx.done;
  changedHere();
  return id;
}

/**
 * Removes a photo of the author's report while it may still be changed. A photo whose announcement was
 * never sent goes at once, with its entries and its blob; otherwise its removal waits in the outbox (after
 * the announcement) and the photo is hidden until the server answers: gone on the server, it goes here too;
 * refused (e.g. the report was submitted meanwhile), it shows again.
 */
export async function removePhoto(photoId, me) {
  const database = await db();
  const tx = database.transaction(['reports', 'outbox', 'photos'], 'readwrite');
  const photos = tx.objectStore('photos');
  const queue = tx.objectStore('outbox');
  const photo = await editablePhotoIn(tx, photoId, me);
  const entries = await queue.index('entity').getAll(photoId);
  if (entries.some((waiting) => waiting.kind === 'CREATE' && !waiting.sent)) {
    for (const waiting of entries) {
      await queue.delete(waiting.seq);
    }
    await photos.delete(photoId);
  } else if (!entries.some((waiting) => waiting.kind === 'DELETE')) {
    await queue.add({ ...entry(photoId, 'DELETE', {}, new Date().toISOString(), PHOTO), reportId: photo.reportId });
    await photos.put({ ...photo, removed: true });
  }
  await tx.done;
  changedHere();
}

/**
 * Writes the caption of a photo of the author's report while it may still be changed (blank clears it): into
 * the photo's announcement or caption change not sent yet, or as a change of its own after what was sent. The
 * caption the server has is kept beside ({@code serverCaption}) and shows again if the server refuses the change.
 */
export async function recaptionPhoto(photoId, caption, me) {
  const database = await db();
  const tx = database.transaction(['reports', 'outbox', 'photos'], 'readwrite');
  const photos = tx.objectStore('photos');
  const queue = tx.objectStore('outbox');
  const photo = await editablePhotoIn(tx, photoId, me);
  if (photo.removed) {
    tx.abort();
    throw new Error('This photo is being removed.');
  }
  const written = caption?.trim() || null;
  if (written === (photo.caption ?? null)) {
    return; // the same caption again: nothing to send
  }
  const entries = await queue.index('entity').getAll(photoId);
  const unsent = entries.find((waiting) => !waiting.sent && (waiting.kind === 'CREATE' || waiting.kind === 'UPDATE'));
  if (unsent) {
    await queue.put({ ...unsent, changes: { ...unsent.changes, caption: written } });
  } else {
    await queue.add({ ...entry(photoId, 'UPDATE', { caption: written }, new Date().toISOString(), PHOTO), reportId: photo.reportId });
  }
  // With nothing of the photo waiting, the caption shown is the server's: what a refusal shows again.
  const serverCaption = entries.length === 0 ? (photo.caption ?? null) : photo.serverCaption;
  await photos.put({ ...photo, caption: written, serverCaption });
  await tx.done;
  changedHere();
}

/** The photo, in {@code tx}, if its report may still be changed by {@code me}; else the transaction is aborted. */
async function editablePhotoIn(tx, photoId, me) {
  const photo = await tx.objectStore('photos').get(photoId);
  const record = photo && await tx.objectStore('reports').get(photo.reportId);
  if (!photo || !record || !editableBy(record, me)) {
    tx.abort();
    throw new Error('This report can no longer be changed.');
  }
  return photo;
}

/** The ids of the photos whose announcement waits in the outbox: their content goes only once it is answered. */
export async function photosAnnouncing() {
  return new Set((await outbox()).filter((waiting) => waiting.entity === PHOTO && waiting.kind === 'CREATE')
    .map((waiting) => waiting.entityId));
}

/**
 * Records how far an upload got; after a failure ({@code error}), the photo is put off like a change (the
 * next runs still try it, but it is no reason for a run of its own until then).
 */
export async function uploadProgress(photoId, offset, error = null) {
  const database = await db();
  const tx = database.transaction('photos', 'readwrite');
  const photo = await tx.store.get(photoId);
  if (photo) {
    photo.offset = offset;
    photo.lastError = error;
    photo.failures = error ? (photo.failures || 0) + 1 : 0;
    photo.nextAttemptAt = error ? Date.now() + backoff(photo.failures - 1) : 0;
    await tx.store.put(photo);
  }
  await tx.done;
  changedHere();
}

/**
 * The server refused the photo's content for good (not a photo it accepts, say): it is not sent again,
 * and the device keeps its copy, which the person can still save elsewhere.
 */
export async function photoRefused(photoId, detail) {
  const database = await db();
  const tx = database.transaction('photos', 'readwrite');
  const photo = await tx.store.get(photoId);
  if (photo) {
    await tx.store.put({ ...photo, refused: detail, lastError: detail });
  }
  await tx.done;
  changedHere();
}

/** The server holds the photo (its receipt): only now the device's copy goes; the thumbnail stays. */
export async function uploaded(photoId, receipt) {
  const database = await db();
  const tx = database.transaction('photos', 'readwrite');
  const photo = await tx.store.get(photoId);
  if (photo) {
    photo.blob = null;
    photo.receipt = receipt;
    photo.offset = receipt.size;
    photo.pending = false;
    photo.lastError = null;
    // Storing the content made a new version of the photo, which a change sent before the next pull may be
    // based on; a receipt of a version further on (another device changed the caption meanwhile) is not taken:
    // a change based on it would write over what this device has not seen. (The server takes a change based on
    // the version before the content's arrival as well: docs/sync-protocol.md, "Photos".)
    if (receipt.version === (photo.version || 0) + 1) {
      photo.version = receipt.version;
    }
    await tx.store.put(photo);
  }
  await tx.done;
  changedHere();
}

/** The open conflicts on this device, oldest first. */
export async function openConflicts() {
  const all = await (await db()).getAll('conflicts');
  return all.filter((conflict) => conflict.state === 'OPEN')
    .sort((a, b) => (a.clientChangedAt || '').localeCompare(b.clientChangedAt || ''));
}

/** Stores a conflict as the server answered it (e.g. after resolving it). */
export async function saveConflict(conflict) {
  await (await db()).put('conflicts', conflict);
  changedHere();
}

/** Signs a person in on this device. */
export async function signedIn(person) {
  await setMeta('account', person);
}

/**
 * Removes every Fieldbook record from this device (sign-out) and its id: signing in again starts a new
 * device with nothing waiting. Other tabs reload.
 */
export async function clear() {
  document.cookie = `${DEVICE_COOKIE}=; Max-Age=0; Path=/; SameSite=Strict`;
  const database = await db();
  database.close();
  opened = null;
  await deleteDB(NAME);
  channel?.postMessage('cleared');
}

// ---- used by the sync engine (sync.js) ----

/**
 * The entries to send next: in outbox order, the first entry of each record (a record's changes go one
 * after the other, each after the answer to the previous one), not postponed, and not held because the
 * record's content would be refused (the reason is kept on the entry, and the outbox shows it).
 */
export async function sendable(limit, skip) {
  const database = await db();
  const tx = database.transaction('outbox', 'readwrite');
  const { batch, held } = selected(await tx.store.getAll(), limit, skip, Date.now());
  let newlyHeld = false;
  for (const { waiting, problem } of held) {
    if (waiting.held !== problem) {
      await tx.store.put({ ...waiting, held: problem });
      newlyHeld = true;
    }
  }
  await tx.done;
  if (newlyHeld) {
    changedInThisTab();
  }
  return batch;
}

/**
 * Whether the device has something to send now: a change {@link sendable} would pick (holding, as it does,
 * those whose content would be refused), or the content of a photo whose announcement the server has, not
 * refused and not put off after a failed upload. What a sync stores itself (what it pulled, when it last
 * ran, a put-off change) is no reason to sync again.
 */
export async function somethingToSend() {
  if ((await sendable(Infinity, new Set())).length) {
    return true;
  }
  const announcing = await photosAnnouncing();
  const now = Date.now();
  return (await photosWaiting()).some((photo) => !photo.refused && !(photo.nextAttemptAt > now)
    && !announcing.has(photo.id));
}

/**
 * When the first change or photo upload put off after a failed try may be tried again (ms since the epoch),
 * or null when none waits for a time still to come.
 */
export async function nextAttemptAt() {
  const now = Date.now();
  const times = [...await (await db()).getAll('outbox'), ...await photosWaiting()]
    .map((waiting) => waiting.nextAttemptAt).filter((at) => at > now);
  return times.length ? Math.min(...times) : null;
}

/**
 * The choice behind {@link sendable}, without writing: the batch, and the entries held because their
 * content would be refused, with the reason.
 */
function selected(all, limit, skip, now) {
  const seen = new Set();
  const batch = [];
  const held = [];
  const heldReports = new Set();
  const reportOf = (waiting) => (waiting.entity === PHOTO ? waiting.changes.reportId ?? waiting.reportId : waiting.entityId);
  const photoWaits = new Set();
  for (const waiting of all) {
    // A photo goes after the earlier changes of its report (it needs the report), and a report's later
    // changes (a submission) after its earlier photos, even in the same batch: the server refuses a photo
    // of a submitted report, and a batch split in halves or answered in part could otherwise send the
    // submission first.
    const report = reportOf(waiting);
    if (waiting.entity === PHOTO) {
      photoWaits.add(report);
    } else if (photoWaits.has(report)) {
      heldReports.add(report);
    }
    if (heldReports.has(report)) {
      continue;
    }
    if (seen.has(waiting.entityId)) {
      if (waiting.entity === REPORT) {
        heldReports.add(report);
      }
      continue;
    }
    seen.add(waiting.entityId);
    if (skip.has(waiting.seq) || waiting.nextAttemptAt > now) {
      heldReports.add(report);
      continue;
    }
    if (!waiting.sent) {
      const problem = 'status' in waiting.changes || waiting.entity === PHOTO ? null : problemOf(waiting.changes);
      if (problem) {
        held.push({ waiting, problem });
        heldReports.add(report);
        continue;
      }
    }
    batch.push(waiting);
    if (batch.length >= limit) {
      break;
    }
  }
  return { batch, held };
}

/**
 * The operations for a batch: entries sent before keep their frozen body (a retry is the same request
 * under the same operation id); others are frozen now, their bases taken from the record's last
 * server-acknowledged copy.
 */
export async function freeze(batch) {
  const database = await db();
  const tx = database.transaction(['outbox', 'reports', 'photos'], 'readwrite');
  const operations = [];
  for (const listed of batch) {
    const waiting = await tx.objectStore('outbox').get(listed.seq);
    if (!waiting) {
      continue;
    }
    if (!waiting.sent) {
      const record = waiting.entity === PHOTO ? await tx.objectStore('photos').get(waiting.entityId)
        : await tx.objectStore('reports').get(waiting.entityId);
      const creating = waiting.kind === 'CREATE';
      const bases = creating || waiting.entity === PHOTO ? null : record?.base;
      const changes = {};
      for (const [name, value] of Object.entries(waiting.changes)) {
        changes[name] = { base: bases ? (bases[name] ?? null) : null, value };
      }
      waiting.sent = JSON.stringify({
        operationId: waiting.operationId, entity: waiting.entity, entityId: waiting.entityId, kind: waiting.kind,
        baseVersion: creating ? 0 : (record?.version ?? 0), changes, madeAt: waiting.madeAt,
      });
      waiting.held = null;
    }
    waiting.attempts += 1;
    await tx.objectStore('outbox').put(waiting);
    operations.push(JSON.parse(waiting.sent));
  }
  await tx.done;
  return operations;
}

/** Puts entries off after a failure, with growing, jittered delays. */
export async function postpone(batch, error) {
  const database = await db();
  const tx = database.transaction('outbox', 'readwrite');
  for (const listed of batch) {
    const waiting = await tx.store.get(listed.seq);
    if (waiting) {
      waiting.nextAttemptAt = Date.now() + backoff(waiting.attempts);
      waiting.lastError = error;
      await tx.store.put(waiting);
    }
  }
  await tx.done;
  changedHere();
}

/** Clears every postponement: the person asked to sync now, or the connection came back. */
export async function retryAll() {
  const database = await db();
  const tx = database.transaction('outbox', 'readwrite');
  for (const waiting of await tx.store.getAll()) {
    if (waiting.nextAttemptAt) {
      waiting.nextAttemptAt = 0;
      await tx.store.put(waiting);
    }
  }
  await tx.done;
}

/**
 * Records the server's results: each answered entry leaves the outbox in the same transaction that
 * applies its result to the record. Answers the entries the server did not answer.
 */
export async function acknowledge(batch, results) {
  const byOperation = new Map((results || []).map((result) => [result.operationId, result]));
  const database = await db();
  const tx = database.transaction(['outbox', 'reports', 'rejected', 'photos'], 'readwrite');
  const unanswered = [];
  for (const listed of batch) {
    const result = byOperation.get(listed.operationId);
    if (!result) {
      unanswered.push(listed);
      continue;
    }
    const waiting = await tx.objectStore('outbox').get(listed.seq);
    if (!waiting) {
      continue;
    }
    await tx.objectStore('outbox').delete(waiting.seq);
    if (result.outcome === 'REJECTED') {
      await rejectedIn(tx, waiting, result.status, result.problemType, result.detail || 'Refused by the server.');
    } else {
      await acceptedIn(tx, waiting, result);
    }
  }
  await tx.done;
  changedHere();
  return unanswered;
}

/** Records a refusal for good of one entry that the server answered with an error of its own. */
export async function refuse(listed, status, problemType, detail) {
  const database = await db();
  const tx = database.transaction(['outbox', 'reports', 'rejected', 'photos'], 'readwrite');
  const waiting = await tx.objectStore('outbox').get(listed.seq);
  if (waiting) {
    await tx.objectStore('outbox').delete(waiting.seq);
    await rejectedIn(tx, waiting, status, problemType, detail);
  }
  await tx.done;
  changedHere();
}

async function acceptedIn(tx, waiting, result) {
  if (waiting.entity === PHOTO) {
    const photos = tx.objectStore('photos');
    const photo = await photos.get(waiting.entityId);
    if (waiting.kind === 'DELETE') {
      await photos.delete(waiting.entityId);
      return;
    }
    if (photo) {
      await photos.delete(photo.id);
      await photos.put({
        ...photo, id: result.entityId || photo.id, version: Math.max(photo.version || 0, result.entityVersion || 0),
        serverCaption: waiting.changes.caption ?? null,
      });
    }
    return;
  }
  const reports = tx.objectStore('reports');
  let id = waiting.entityId;
  const merged = waiting.kind === 'CREATE' && result.entityId && result.entityId !== id;
  if (merged) {
    await rekeyIn(tx, id, result.entityId);
    id = result.entityId;
  }
  const record = await reports.get(id);
  if (!record) {
    return;
  }
  if (waiting.kind === 'DELETE') {
    await reports.delete(id);
    return;
  }
  // A create merged into a report the device had pulled keeps the pulled copy as the acknowledged one (it
  // is what the device knows of the server's report). Otherwise the change moves the acknowledged copy on,
  // unless that copy is already at or past the change's outcome.
  const version = result.entityVersion || 0;
  const pulledBefore = merged && record.base != null;
  if (!pulledBefore && (record.base == null || version > record.version)) {
    record.base = { ...(record.base || { status: 'DRAFT', returnComment: null }), ...waiting.changes };
    record.version = Math.max(record.version, version);
    await reports.put(record);
  }
  await rebaseIn(tx, id);
}

/** The server already had this author's report of the site and day under another id: use the server's id. */
async function rekeyIn(tx, from, to) {
  const reports = tx.objectStore('reports');
  const queue = tx.objectStore('outbox');
  const record = await reports.get(from);
  const existing = await reports.get(to);
  const existingWaits = (await queue.index('entity').count(to)) > 0;
  const laterWait = (await queue.index('entity').count(from)) > 0;
  await reports.delete(from);
  if (record && !(existing && existingWaits)) {
    let moved = { ...record, id: to };
    if (existing && !laterWait) {
      // The device had pulled the server's report under that id: it stays the acknowledged copy.
      moved = { ...moved, base: existing.base, version: existing.version, server: existing.server ?? moved.server,
        serverCopy: existing.serverCopy ?? null };
    } else if (existing) {
      // Later changes of the device's create wait, based on what the person saw: the pulled report waits
      // beside until they are answered.
      moved = { ...moved, serverCopy: newer(existing.serverCopy, existing.base
        ? { fields: existing.base, version: existing.version, server: existing.server } : null) };
    }
    await reports.put(moved);
  }
  for (const waiting of await queue.index('entity').getAll(from)) {
    waiting.entityId = to;
    if (waiting.sent) {
      const body = JSON.parse(waiting.sent);
      body.entityId = to;
      waiting.sent = JSON.stringify(body);
    }
    await queue.put(waiting);
  }
  for (const photo of await tx.objectStore('photos').index('report').getAll(from)) {
    await tx.objectStore('photos').put({ ...photo, reportId: to });
  }
  for (const waiting of await queue.getAll()) {
    if (waiting.entity === PHOTO && waiting.changes.reportId === from && !waiting.sent) {
      waiting.changes = { ...waiting.changes, reportId: to };
      await queue.put(waiting);
    } else if (waiting.entity === PHOTO && waiting.reportId === from) {
      waiting.reportId = to;
      await queue.put(waiting);
    }
  }
  await rebaseIn(tx, to);
  changedHere();
  self.dispatchEvent?.(new CustomEvent('fieldbook-rekeyed', { detail: { from, to } }));
}

async function rejectedIn(tx, waiting, status, problemType, detail) {
  await tx.objectStore('rejected').put({ ...waiting, status, problemType, detail, refusedAt: new Date().toISOString() });
  if (waiting.entity === PHOTO) {
    // The device keeps the picture: the person can still save it elsewhere.
    const photo = await tx.objectStore('photos').get(waiting.entityId);
    const later = photo && (await tx.objectStore('outbox').index('entity').getAll(photo.id)).length > 0;
    // The server's caption and the version pulled meanwhile show again, unless a later change of the photo waits
    // to be sent (based, like this one, on what the device had seen: it goes as it is).
    const server = photo && !later ? {
      caption: 'serverCaption' in photo ? photo.serverCaption : photo.caption,
      version: Math.max(photo.version || 0, photo.serverVersion || 0),
    } : {};
    if (photo && waiting.kind === 'DELETE') {
      // The removal was refused: the photo stays on the report, and shows again.
      await tx.objectStore('photos').put({ ...photo, ...server, removed: false });
    } else if (photo && waiting.kind === 'UPDATE') {
      await tx.objectStore('photos').put({ ...photo, ...server });
    } else if (photo) {
      await tx.objectStore('photos').put({ ...photo, refused: detail });
    }
    return;
  }
  if (waiting.kind === 'CREATE' || status === 404) {
    for (const later of await tx.objectStore('outbox').index('entity').getAll(waiting.entityId)) {
      await tx.objectStore('outbox').delete(later.seq);
      await tx.objectStore('rejected').put({ ...later, status, problemType, detail, refusedAt: new Date().toISOString() });
    }
    await tx.objectStore('reports').delete(waiting.entityId);
  } else {
    await rebaseIn(tx, waiting.entityId);
  }
}

/** A server copy kept beside a record, as fields, version and the server's own data. */
function keptCopy(copy) {
  if (!copy) {
    return null;
  }
  if (copy.fields) {
    return copy;
  }
  return {
    fields: fieldsOf(copy), version: copy.version,
    server: {
      submittedAt: copy.submittedAt, decidedAt: copy.decidedAt, decidedBy: copy.decidedBy,
      updatedAt: copy.updatedAt, updatedBy: copy.updatedBy,
    },
  };
}

function newer(one, other) {
  const [a, b] = [keptCopy(one), keptCopy(other)];
  return !a ? b : !b ? a : (b.version > a.version ? b : a);
}

/**
 * Rebuilds a record from its acknowledged copy and the changes still waiting for it. Once nothing waits
 * for the record, a server copy kept beside it (pulled while its changes waited) becomes the acknowledged
 * copy when it is at least as new: it holds the outcome of the answered changes, and the feed will not send
 * it again. An older one is dropped (the feed sends the newer version). While changes wait, the copy stays
 * beside, so that their bases stay what the person saw.
 */
async function rebaseIn(tx, id) {
  const record = await tx.objectStore('reports').get(id);
  if (!record) {
    return;
  }
  const entries = (await tx.objectStore('outbox').index('entity').getAll(id)).sort((a, b) => a.seq - b.seq);
  const copy = keptCopy(record.serverCopy);
  const folded = copy && entries.length === 0;
  if (folded) {
    if (copy.version >= record.version) {
      record.base = { ...copy.fields };
      record.version = copy.version;
      record.server = copy.server ?? record.server;
    }
    record.serverCopy = null;
  }
  let fields = record.base ? { ...record.base } : null;
  for (const waiting of entries) {
    if (waiting.kind === 'CREATE') {
      fields = { ...(fields || { status: 'DRAFT', returnComment: null }), ...waiting.changes };
    } else if (fields) {
      fields = { ...fields, ...waiting.changes };
    }
  }
  if (fields) {
    record.fields = fields;
  }
  if (fields || folded) {
    record.rev = (record.rev ?? 0) + 1;
    await tx.objectStore('reports').put(record);
  }
}

/** The sites the device holds data of: the sites it was sent and the sites of its reports. */
export async function knownSiteIds() {
  const database = await db();
  const ids = new Set((await database.getAllKeys('sites')));
  for (const record of await database.getAll('reports')) {
    ids.add(record.siteId);
  }
  return [...ids];
}

/** Applies one page of pulled changes and stores its cursor, in one transaction. */
export async function pulled(page) {
  const database = await db();
  const tx = database.transaction(['reports', 'outbox', 'sites', 'people', 'conflicts', 'rejected', 'meta', 'photos'], 'readwrite');
  const reports = tx.objectStore('reports');
  const queue = tx.objectStore('outbox');
  const waits = async (id) => (await queue.index('entity').count(id)) > 0;
  for (const siteId of page.dropSiteIds || []) {
    for (const record of await reports.index('site').getAll(siteId)) {
      for (const waiting of await queue.index('entity').getAll(record.id)) {
        await queue.delete(waiting.seq);
        await tx.objectStore('rejected').put({ ...waiting, status: 403, problemType: null,
          detail: 'You no longer have access to this report\'s site.', refusedAt: new Date().toISOString() });
      }
      await reports.delete(record.id);
    }
    await tx.objectStore('sites').delete(siteId);
  }
  for (const deletion of page.deletions || []) {
    if (deletion.entity === REPORT && !(await waits(deletion.id))) {
      await reports.delete(deletion.id);
    } else if (deletion.entity === 'Conflict') {
      await tx.objectStore('conflicts').delete(deletion.id);
    }
  }
  for (const incoming of page.reports || []) {
    const local = await reports.get(incoming.id);
    if (local && local.version > incoming.version) {
      continue;
    }
    const server = {
      submittedAt: incoming.submittedAt, decidedAt: incoming.decidedAt, decidedBy: incoming.decidedBy,
      updatedAt: incoming.updatedAt, updatedBy: incoming.updatedBy,
    };
    if (local && (await waits(incoming.id))) {
      await reports.put({ ...local, serverCopy: newer(local.serverCopy, incoming), server });
      continue;
    }
    const fields = fieldsOf(incoming);
    await reports.put({
      id: incoming.id, siteId: incoming.siteId, date: incoming.date, authorId: incoming.authorId, fields,
      base: { ...fields }, version: incoming.version, server, updatedAt: incoming.updatedAt, rev: (local?.rev ?? 0) + 1,
    });
  }
  for (const incoming of page.photos || []) {
    const local = await tx.objectStore('photos').get(incoming.id);
    // A change of the photo made here and not answered yet stays shown, with the version it is based on, so that
    // the server refuses it if the photo changed elsewhere since; the server's caption and version wait beside.
    const changeWaits = local && (await queue.index('entity').getAll(incoming.id))
      .some((waiting) => waiting.kind !== 'CREATE' || !waiting.sent);
    await tx.objectStore('photos').put({
      ...(local || { blob: null, thumb: null, offset: 0, receipt: null, lastError: null }),
      id: incoming.id, reportId: incoming.reportId, sha256: incoming.sha256, size: incoming.sizeBytes,
      caption: changeWaits ? local.caption : incoming.caption, serverCaption: incoming.caption,
      takenAt: incoming.takenAt, version: changeWaits ? local.version : incoming.version,
      serverVersion: incoming.version,
      pending: incoming.pending, serverThumbnail: incoming.thumbnail,
    });
  }
  for (const deletion of page.deletions || []) {
    if (deletion.entity === PHOTO) {
      const local = await tx.objectStore('photos').get(deletion.id);
      if (local && !local.blob) {
        await tx.objectStore('photos').delete(deletion.id);
      }
    }
  }
  for (const conflict of page.conflicts || []) {
    await tx.objectStore('conflicts').put(conflict);
  }
  for (const siteReference of page.sites || []) {
    await tx.objectStore('sites').put(siteReference);
  }
  for (const person of page.people || []) {
    await tx.objectStore('people').put(person);
  }
  if (page.cursor) {
    await tx.objectStore('meta').put(page.cursor, 'cursor');
  }
  if (page.lostOnDevice) {
    // Told once by the server: kept until the person has read it.
    await tx.objectStore('meta').put(page.lostOnDevice, 'lostOnDevice');
  }
  await tx.done;
  changedHere();
}

/** What the device tells the server about itself with every sync call. */
export async function deviceStatus(appVersion) {
  const entries = await outbox();
  return {
    outboxDepth: entries.length,
    oldestPendingAt: entries.length ? entries.map((e) => e.madeAt).sort()[0] : null,
    pendingPhotos: (await photosWaiting()).length,
    appVersion,
  };
}
