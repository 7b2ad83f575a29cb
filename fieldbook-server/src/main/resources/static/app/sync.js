// The sync engine (docs/sync-protocol.md): pushes the outbox with operation ids, then pulls the changes
// since the stored cursor. One run at a time per browser (a Web Lock held across tabs); it runs at start,
// when the connection returns, when the app becomes visible, periodically, after local changes that leave
// something to send, when a put-off change is due again, and when asked. Mirrors the Java client's Pushing
// and Pulling.
import { append, request, Refused, Unreachable } from './api.js';
import { t } from './messages.js';
import * as store from './store.js';
import { APP_VERSION } from './version.js';

const PROTOCOL_VERSION = 1;
const BATCH = 100;
const PAGE = 500;
const PERIOD = 30_000;
const AFTER_CHANGE = 1_500;
const CHUNK = 256 * 1024;
const BACKGROUND_SYNC = 'fieldbook-outbox';

/** Tells listeners ('change' events) how syncing goes: see {@link SyncEngine#state}. */
export class SyncEngine extends EventTarget {
  constructor() {
    super();
    this.state = {
      online: navigator.onLine, running: false, lastSyncAt: null, lastError: null, signInNeeded: false,
      tooOld: false, waiting: 0, photos: 0, counted: false,
    };
    this.counts = 0;
    this.running = null;
    this.changedWhileRunning = false;
    this.answering = false;
    this.timer = null;
    this.retryTimer = null;
  }

  /** Starts syncing by itself; safe to call once per page. */
  async start() {
    this.state.lastSyncAt = await store.meta('lastSyncAt') ?? null;
    await this.#count();
    addEventListener('online', () => {
      this.#set({ online: true });
      store.retryAll().then(() => this.syncNow());
    });
    addEventListener('offline', () => this.#set({ online: false }));
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') {
        this.syncNow();
      }
    });
    setInterval(() => {
      if (document.visibilityState === 'visible') {
        this.syncNow();
      }
    }, PERIOD);
    store.onChange(() => {
      // Until the new count is in, the banner must not say 'All changes synced' from the old one.
      this.#set({ counted: false });
      this.#count();
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.#syncIfSomethingToSend(), AFTER_CHANGE);
    });
    // Background Sync (where the browser has it): the Service Worker's 'sync' event asks the open pages to
    // sync, and hears on the port whether it worked (else the browser tries again later).
    navigator.serviceWorker?.addEventListener?.('message', (event) => {
      if (event.data === 'sync') {
        // While answering, the page does not register the tag again: Chromium would fire it again at once,
        // and with something that cannot go now that is one sync after the other.
        this.answering = true;
        this.syncNow({ retry: true }).finally(() => {
          this.answering = false;
          event.ports[0]?.postMessage(this.state.lastError ? 'failed' : 'synced');
        });
      }
    });
    this.syncNow({ retry: true });
  }

  /** Syncs now (or joins the run under way); resolves when done. */
  syncNow({ retry = false } = {}) {
    if (!this.running) {
      this.running = (async () => {
        const account = await store.account();
        if (!account || account.role === 'ADMINISTRATOR' || account.enrolmentRequired || account.passwordChangeRequired) {
          // Administrators have nothing to sync: their screens work on the server directly. A person who
          // must enrol a second factor or change the password an administrator chose first gets nothing from the
          // server until they have.
          return;
        }
        if (!navigator.onLine) {
          this.#set({ online: false });
          return;
        }
        if (retry) {
          await store.retryAll();
        }
        const run = () => this.#run();
        await (navigator.locks ? navigator.locks.request('fieldbook-sync', run) : run());
      })().finally(() => {
        this.running = null;
        this.#scheduleRetry();
        if (this.changedWhileRunning) {
          this.changedWhileRunning = false;
          this.#syncIfSomethingToSend();
        }
      });
    }
    return this.running;
  }

  /**
   * Syncs after a change when it left something to send. A run stores what it pulled and when it ran, and
   * taking those for changes made an open app sync every second and a half for as long as it was open. A
   * change made during a run is looked at when the run ends (the run may have sent what was there before it).
   */
  async #syncIfSomethingToSend() {
    if (this.running) {
      this.changedWhileRunning = true;
      return;
    }
    if (await store.somethingToSend()) {
      await this.syncNow();
    } else {
      this.#scheduleRetry();
    }
  }

  /**
   * Syncs again when the first change or upload put off after a failed try is due (the periodic run does
   * not try a change earlier, and a page in the background has no periodic run). Not while offline, or
   * while the person must sign in again or the app is too old: those wait for what ends them.
   */
  async #scheduleRetry() {
    clearTimeout(this.retryTimer);
    if (!navigator.onLine || this.state.signInNeeded || this.state.tooOld) {
      return;
    }
    const due = await store.nextAttemptAt();
    if (due !== null) {
      // a timer may fire a little early (whole milliseconds): a margin, so that the change is due by then
      this.retryTimer = setTimeout(() => this.#syncIfSomethingToSend(),
        Math.max(AFTER_CHANGE, Math.ceil(due - Date.now()) + 50));
    }
  }

  async #run() {
    this.#set({ running: true });
    try {
      await this.#push();
      await this.#upload();
      await this.#pull();
      await this.#push();
      await this.#upload();
      const now = new Date().toISOString();
      await store.setMeta('lastSyncAt', now);
      this.#set({ lastSyncAt: now, lastError: null, online: true, signInNeeded: false });
    } catch (failure) {
      if (failure instanceof Unreachable) {
        this.#set({ online: false, lastError: 'error.offline' });
      } else if (failure instanceof Refused && failure.status === 401) {
        this.#set({ online: true, signInNeeded: true, lastError: null });
      } else if (failure instanceof Refused && (failure.problem.type || '').endsWith('/second-factor-enrolment-required')) {
        // The person's role now requires a second factor: the app takes them to enrolling one.
        this.#set({ online: true, lastError: null });
        await store.signedIn({ ...(await store.account()), enrolmentRequired: true });
      } else if (failure instanceof Refused && (failure.problem.type || '').endsWith('/password-change-required')) {
        // An administrator chose the password: the app asks for the person's own before anything else.
        this.#set({ online: true, lastError: null });
        await store.signedIn({ ...(await store.account()), passwordChangeRequired: true });
      } else if (failure instanceof Refused && failure.status === 426) {
        this.#set({ online: true, tooOld: true });
        this.dispatchEvent(new Event('too-old'));
      } else if (failure instanceof Refused) {
        this.#set({ online: true, lastError: failure.status === 503 || failure.status === 429 ? 'error.busy' : 'error.server' });
      } else {
        this.#set({ lastError: String(failure?.message || failure) });
      }
    } finally {
      await this.#count();
      this.#set({ running: false });
    }
  }

  /** The envelope of a call, with what waits on the device at that moment (the server keeps the latest). */
  async #envelope() {
    return {
      protocolVersion: PROTOCOL_VERSION,
      clientVersion: APP_VERSION,
      deviceId: await store.deviceId(),
      device: await store.deviceStatus(APP_VERSION),
    };
  }

  /** Sends the outbox in rounds until nothing more can be sent now. */
  async #push() {
    const skip = new Set();
    for (let round = 0; round < 1000; round++) {
      const batch = await store.sendable(BATCH, skip);
      if (batch.length === 0) {
        return;
      }
      await this.#send(await this.#envelope(), batch, skip);
    }
  }

  async #send(envelope, batch, skip) {
    const operations = await store.freeze(batch);
    let answer;
    try {
      answer = await request('POST', '/api/v1/sync/push', { ...envelope, operations });
    } catch (failure) {
      const ofTheOperations = failure instanceof Refused && [400, 413, 422].includes(failure.status);
      if (!ofTheOperations) {
        // A refusal of the person (401) or of the app (426) is no fault of these changes: no backoff.
        if (!(failure instanceof Refused && (failure.status === 401 || failure.status === 426))) {
          await store.postpone(batch, describe(failure));
        }
        throw failure;
      }
      if (batch.length > 1) {
        // One bad change must hold up only itself: send the halves apart.
        const half = Math.floor(batch.length / 2);
        await this.#send(envelope, batch.slice(0, half), skip);
        await this.#send(envelope, batch.slice(half), skip);
        return;
      }
      await store.refuse(batch[0], failure.status, failure.problem.type, describe(failure));
      return;
    }
    const unanswered = await store.acknowledge(batch, answer?.results);
    if (unanswered.length) {
      await store.postpone(unanswered, 'The server\'s answer did not include this change.');
      unanswered.forEach((entry) => skip.add(entry.seq));
    }
  }

  /**
   * Uploads, one by one, the photos whose creation the server acknowledged, resuming each from the
   * offset the server has; a photo's blob is deleted only once the server's receipt is recorded.
   */
  async #upload() {
    const waiting = await store.photosAnnouncing();
    for (const photo of await store.photosWaiting()) {
      if (!waiting.has(photo.id) && !photo.refused) {
        await this.#uploadOne(photo);
      }
    }
  }

  async #uploadOne(photo) {
    const path = `/api/v1/sync/uploads/${photo.id}`;
    // Only the device that announced the photo sends its content (docs/sync-protocol.md, "Photos").
    const device = { 'Fieldbook-Device-Id': await store.deviceId() };
    let state = await request('POST', '/api/v1/sync/uploads', { photoId: photo.id, sha256: photo.sha256, size: photo.size },
      device);
    let mismatches = 0;
    for (let chunks = 0; !state.receipt && chunks < 100_000; chunks++) {
      await store.uploadProgress(photo.id, state.offset);
      const bytes = photo.blob.slice(state.offset, Math.min(photo.size, state.offset + CHUNK));
      try {
        state = await append(path, bytes, state.offset, device);
      } catch (failure) {
        if (failure instanceof Refused && failure.status === 409 && Number.isInteger(failure.problem.offset)) {
          state = { offset: failure.problem.offset };
        } else if (failure instanceof Refused && failure.status === 422
            && String(failure.problem.type || '').endsWith('/hash-mismatch') && ++mismatches <= 2) {
          // bytes damaged on the way: the server dropped them, send the photo again from its start
          await store.uploadProgress(photo.id, 0, describe(failure));
          state = await request('GET', path, undefined, device);
        } else if (failure instanceof Refused && [403, 404, 413, 415, 422].includes(failure.status)
            && !/\/(second-factor-enrolment-required|password-change-required|csrf-token)$/.test(String(failure.problem.type || ''))) {
          // the server will never take this content: no more tries; the device keeps its copy
          await store.photoRefused(photo.id, describe(failure));
          return;
        } else {
          await store.uploadProgress(photo.id, state.offset, describe(failure));
          throw failure;
        }
      }
    }
    if (state.receipt) {
      await store.uploaded(photo.id, state.receipt);
    }
  }

  /** Pulls pages while the server says there is more; each page and its cursor are stored together. */
  async #pull() {
    for (let page = 0; page < 10_000; page++) {
      const cursor = (await store.meta('cursor')) ?? null;
      const answer = await request('POST', '/api/v1/sync/pull', {
        ...(await this.#envelope()), cursor, limit: PAGE, knownSiteIds: await store.knownSiteIds(),
      });
      await store.pulled(answer);
      if (!answer.more || !answer.cursor || answer.cursor === cursor) {
        return;
      }
    }
  }

  async #count() {
    const mine = ++this.counts;
    const waiting = await store.outboxDepth();
    // a photo whose content the server refused for good waits for nothing: the outbox shows it with the reason
    const photos = (await store.photosWaiting()).filter((photo) => !photo.refused).length;
    if (mine !== this.counts) {
      return; // a later count, started after a later change, tells the truth
    }
    this.#set({ waiting, photos, counted: true });
    if ((waiting || photos) && !this.answering && await store.somethingToSend() && !this.answering) {
      askForBackgroundSync();
    }
  }

  #set(changes) {
    Object.assign(this.state, changes);
    this.dispatchEvent(new Event('change'));
  }
}

/**
 * Asks the browser to fire the Service Worker's 'sync' event once it has a connection (Background Sync,
 * Chromium only): a page in the background then still syncs. Never relied on: the engine syncs by itself.
 */
function askForBackgroundSync() {
  navigator.serviceWorker?.getRegistration?.()
    .then((registration) => registration?.sync?.register(BACKGROUND_SYNC))
    .catch(() => null);
}

function describe(failure) {
  if (failure instanceof Unreachable) {
    return t('error.offline');
  }
  if (failure instanceof Refused) {
    return `${failure.status} ${failure.problem.title || ''} ${failure.problem.detail || ''}`.trim();
  }
  return failure?.message || String(failure);
}
