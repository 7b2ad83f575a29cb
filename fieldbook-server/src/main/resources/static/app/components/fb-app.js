import { LitElement, html } from 'lit';
import { request, Unreachable } from '../api.js';
import { t, formatMoment } from '../messages.js';
import * as store from '../store.js';
import { SyncEngine } from '../sync.js';
import { APP_VERSION } from '../version.js';
import './fb-sign-in.js';
import './fb-sites.js';
import './fb-report.js';
import './fb-site-reports.js';
import './fb-outbox.js';
import './fb-review.js';
import './fb-conflicts.js';
import './fb-dashboard.js';
import './fb-help.js';
import './fb-admin.js';
import './fb-audit.js';
import './fb-month-end.js';
import './fb-operations.js';
import './fb-site-photos.js';
import './fb-security.js';
import './fb-password.js';

/**
 * The app shell: the status banner (online or offline, changes waiting, last sync), the navigation, and
 * the screen of the current address (#/..., so that every screen opens offline from the one cached page).
 */
class FbApp extends LitElement {
  static properties = {
    account: { state: true },
    route: { state: true },
    sync: { state: true },
    notice: { state: true },
    updateReady: { state: true },
    conflicts: { state: true },
    ready: { state: true },
    lost: { state: true },
    updatedFrom: { state: true },
    recoveryCodesLeft: { state: true },
  };

  constructor() {
    super();
    this.engine = new SyncEngine();
    this.sync = { ...this.engine.state };
    this.route = parse(location.hash);
    this.notice = null;
    this.updateReady = false;
    this.ready = false;
  }

  createRenderRoot() {
    return this;
  }

  /**
   * On a phone the navigation is one row that scrolls sideways: it is marked with what lies beyond its edges, which
   * the style fades, and the current screen's link is brought into view when the screen changes.
   */
  updated() {
    const nav = this.querySelector('header nav');
    if (!nav) {
      return;
    }
    if (nav !== this.watchedNav) {
      this.watchedNav = nav;
      nav.addEventListener('scroll', () => markScrolledOff(nav), { passive: true });
      this.navResized?.disconnect();
      this.navResized = new ResizeObserver(() => markScrolledOff(nav));
      this.navResized.observe(nav);
    }
    if (this.route?.name !== this.navShown) {
      this.navShown = this.route?.name;
      bringIntoRow(nav, nav.querySelector('[aria-current="page"]'));
    }
    markScrolledOff(nav);
  }

  async connectedCallback() {
    super.connectedCallback();
    addEventListener('hashchange', (event) => {
      const before = parse(new URL(event.oldURL).hash);
      this.route = parse(location.hash);
      // where a report was opened from, kept while one report leads to the next (the review queue's "Next")
      if (!(before.name === 'report' && this.route.name === 'report')) {
        this.cameFrom = before.name;
      }
      this.notice = null;
    });
    this.engine.addEventListener('change', () => {
      this.sync = { ...this.engine.state };
      if (this.notice && !this.sync.waiting && !this.sync.photos) {
        this.notice = null;
      }
    });
    this.engine.addEventListener('too-old', () => this.activateNewVersion());
    store.onChange(async () => {
      this.conflicts = (await store.openConflicts()).length;
      this.lost = await store.meta('lostOnDevice');
      const account = await store.account();
      if (account?.id !== this.account?.id || account?.enrolmentRequired !== this.account?.enrolmentRequired
        || account?.passwordChangeRequired !== this.account?.passwordChangeRequired) {
        this.account = account;
        if (account?.enrolmentRequired && !account?.passwordChangeRequired) {
          location.hash = '#/security';
        }
      }
    });
    this.account = await store.account();
    this.conflicts = this.account ? (await store.openConflicts()).length : 0;
    this.lost = await store.meta('lostOnDevice');
    const updated = await store.meta('updatedFrom');
    if (updated) {
      // Said once, by the version that took over.
      this.updatedFrom = updated.version !== APP_VERSION ? updated : null;
      await store.setMeta('updatedFrom', null);
    }
    const left = await store.meta('recoveryCodesLeft');
    if (left !== undefined && left !== null) {
      // Said once, after a sign-in with a recovery code.
      this.recoveryCodesLeft = left;
      await store.setMeta('recoveryCodesLeft', null);
    }
    this.ready = true;
    this.engine.start();
    this.registerServiceWorker();
    store.persist();
  }

  async registerServiceWorker() {
    if (!('serviceWorker' in navigator)) {
      return;
    }
    try {
      this.registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    } catch (failure) {
      return;
    }
    const watch = (worker) => worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) {
        this.updateReady = true;
        if (this.updateRequested) {
          worker.postMessage('activate-new-version');
        }
      }
    });
    if (this.registration.waiting && navigator.serviceWorker.controller) {
      this.updateReady = true;
    }
    this.registration.addEventListener('updatefound', () => watch(this.registration.installing));
    // A page left open looks for a new version whenever the connection returns or it is looked at again.
    const lookForUpdate = () => this.registration.update().catch(() => null);
    addEventListener('online', lookForUpdate);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') {
        lookForUpdate();
      }
    });
    if (this.updateRequested) {
      // The server refused this version before the worker was registered.
      this.activateNewVersion();
    }
    let reloading = false;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (this.updateRequested && !reloading) {
        reloading = true;
        location.reload();
      }
    });
  }

  /**
   * Lets a new version of the app take over (fetching it first when the server refused this one); the
   * outbox is in IndexedDB and stays as it is.
   */
  async activateNewVersion() {
    if (!this.updateRequested) {
      this.updateRequested = true;
      await store.setMeta('updatedFrom', { version: APP_VERSION, tooOld: this.sync.tooOld });
    }
    if (this.registration?.waiting) {
      this.registration.waiting.postMessage('activate-new-version');
    } else {
      this.registration?.update().catch(() => null);
    }
  }

  async signOut() {
    const waiting = await store.outboxDepth();
    if (waiting > 0) {
      this.notice = t('signOut.waiting', { count: waiting });
      return;
    }
    if ((await store.photosWaiting()).length > 0) {
      this.notice = t('signOut.photos');
      return;
    }
    try {
      await request('DELETE', '/api/v1/auth/session');
    } catch (failure) {
      if (!(failure instanceof Unreachable)) {
        // The session may have ended already; the device's data goes either way.
      }
    }
    await store.clear();
    location.hash = '#/';
    location.reload();
  }

  render() {
    if (!this.ready) {
      return html`<p class="loading">${t('app.loading')}</p>`;
    }
    if (!this.account) {
      return html`<main id="main"><fb-sign-in></fb-sign-in></main>`;
    }
    if (this.account.passwordChangeRequired) {
      // An administrator chose the password: until the person chose their own the server answers nothing else.
      return html`
        <header class="top">
          <span class="brand"><img src="/app/icons/icon-192.png" alt="" width="32" height="32">${t('app.name')}</span>
          <nav aria-label=${t('nav.main')}>
            <button type="button" class="link" @click=${() => this.signOut()}>${t('nav.signOut')}</button>
          </nav>
        </header>
        <main id="main" tabindex="-1"><fb-password forced .account=${this.account}></fb-password></main>`;
    }
    if (this.account.enrolmentRequired) {
      // Until a second factor is enrolled the server answers nothing else: no navigation, no sync.
      return html`
        <header class="top">
          <span class="brand"><img src="/app/icons/icon-192.png" alt="" width="32" height="32">${t('app.name')}</span>
          <nav aria-label=${t('nav.main')}>
            <button type="button" class="link" @click=${() => this.signOut()}>${t('nav.signOut')}</button>
          </nav>
        </header>
        <main id="main" tabindex="-1"><fb-security .account=${this.account}></fb-security></main>`;
    }
    const role = this.account.role;
    const link = (href, name, label) => html`<a href=${href} aria-current=${this.route.name === name ? 'page' : 'false'}>${label}</a>`;
    if (role === 'ADMINISTRATOR') {
      return html`
        <a class="skip" href="#main" @click=${skipToMain}>${t('app.skip')}</a>
        <header class="top">
          <a class="brand" href="#/"><img src="/app/icons/icon-192.png" alt="" width="32" height="32">${t('app.name')}</a>
          <nav aria-label=${t('nav.main')}>
            ${link('#/users', 'users', t('nav.users'))}
            ${link('#/admin/sites', 'admin-sites', t('nav.adminSites'))}
            ${link('#/admin/portfolios', 'portfolios', t('nav.portfolios'))}
            ${link('#/audit', 'audit', t('nav.audit'))}
            ${link('#/operations', 'operations', t('nav.operations'))}
            ${link('#/help', 'help', t('nav.help'))}
            ${link('#/security', 'security', t('nav.security'))}
            <button type="button" class="link" @click=${() => this.signOut()}>${t('nav.signOut')}</button>
          </nav>
        </header>
        <section class="banner ${navigator.onLine ? 'online' : 'offline'}" aria-label=${t('app.name')}>
          <p role="status" data-testid="sync-status"><span class="dot" aria-hidden="true"></span>
            <strong>${navigator.onLine ? t('banner.online') : t('banner.offline')}</strong> · ${t('banner.administration')}</p>
        </section>
        ${this.recoveryNotice()}
        <main id="main" tabindex="-1">${this.screen()}</main>`;
    }
    return html`
      <a class="skip" href="#main" @click=${skipToMain}>${t('app.skip')}</a>
      <header class="top">
        <a class="brand" href="#/"><img src="/app/icons/icon-192.png" alt="" width="32" height="32">${t('app.name')}</a>
        <nav aria-label=${t('nav.main')}>
          <a href="#/" aria-current=${this.route.name === 'home' ? 'page' : 'false'}>${role === 'WORKER' ? t('nav.sites') : t('nav.home')}</a>
          ${role !== 'WORKER' ? html`<a href="#/dashboard" aria-current=${this.route.name === 'dashboard' ? 'page' : 'false'}>${t('nav.dashboard')}</a>` : ''}
          ${role === 'MANAGER' ? html`<a href="#/review" aria-current=${this.route.name === 'review' ? 'page' : 'false'}>${t('nav.review')}</a>` : ''}
          ${role === 'MANAGER' || role === 'EXECUTIVE' ? link('#/month-end', 'month-end', t('nav.monthEnd')) : ''}
          <a href="#/conflicts" aria-current=${this.route.name === 'conflicts' ? 'page' : 'false'}>${t('nav.conflicts')}${this.conflicts
            && role !== 'EXECUTIVE' ? html` <span class="count">${this.conflicts}</span>` : ''}</a>
          <a href="#/outbox" aria-current=${this.route.name === 'outbox' ? 'page' : 'false'}>${t('nav.outbox')}${this.sync.waiting
            ? html` <span class="count">${this.sync.waiting}</span>` : ''}</a>
          ${role !== 'WORKER' ? link('#/audit', 'audit', t('nav.audit')) : ''}
          <a href="#/help" aria-current=${this.route.name === 'help' ? 'page' : 'false'}>${t('nav.help')}</a>
          ${link('#/security', 'security', t('nav.security'))}
          <button type="button" class="link" @click=${() => this.signOut()}>${t('nav.signOut')}</button>
        </nav>
      </header>
      ${this.banner()}
      ${this.lostOnDevice()}
      ${this.notice ? html`<p class="notice" role="alert">${this.notice}</p>` : ''}
      ${this.recoveryNotice()}
      <main id="main" tabindex="-1">${this.screen()}</main>`;
  }

  /** After a sign-in with a recovery code: how many are left, and where to make new ones. */
  recoveryNotice() {
    if (this.recoveryCodesLeft === undefined || this.recoveryCodesLeft === null) {
      return '';
    }
    return html`
      <section class="notice lost" role="status" data-testid="recovery-codes-left">
        <p>${t('security.usedRecoveryCode', { count: this.recoveryCodesLeft })}
          <a href="#/security">${t('nav.security')}</a></p>
        <button type="button" @click=${() => { this.recoveryCodesLeft = null; }}>${t('lost.dismiss')}</button>
      </section>`;
  }

  banner() {
    const s = this.sync;
    const online = s.online && navigator.onLine;
    return html`
      <section class="banner ${online ? 'online' : 'offline'}" aria-label=${t('app.name')}>
        <p role="status" data-testid="sync-status">
          <span class="dot" aria-hidden="true"></span>
          <strong>${s.running ? t('banner.syncing') : online ? t('banner.online') : t('banner.offline')}</strong>
          · <span data-testid="waiting">${s.waiting || s.photos ? [s.waiting ? t('banner.waiting', { count: s.waiting }) : '',
            s.photos ? t('banner.photos', { count: s.photos }) : ''].filter(Boolean).join(', ') : s.counted ? t('banner.allSynced') : t('banner.counting')}</span>
          · <span>${s.lastSyncAt ? t('banner.lastSync', { time: formatMoment(s.lastSyncAt) }) : t('banner.neverSynced')}</span>
        </p>
        ${s.signInNeeded ? html`<p class="warning">${t('banner.signInAgain')}
          <button type="button" @click=${() => this.reauthenticate()}>${t('signIn.submit')}</button></p>` : ''}
        ${s.tooOld ? html`<p class="warning" data-testid="too-old">${t('app.update.tooOld', { version: APP_VERSION })}</p>` : ''}
        ${this.updatedFrom ? html`<p class="info" data-testid="updated">${t(this.updatedFrom.tooOld ? 'app.update.doneTooOld' : 'app.update.done',
          { from: this.updatedFrom.version, version: APP_VERSION })}
          <button type="button" @click=${() => { this.updatedFrom = null; }}>${t('app.update.dismiss')}</button></p>` : ''}
        ${this.updateReady ? html`<p class="info">${t('app.update.ready')}
          <button type="button" @click=${() => this.activateNewVersion()}>${t('app.update.now')}</button></p>` : ''}
      </section>`;
  }

  /** What the browser deleted from this device before it reached the server, as the server told it. */
  lostOnDevice() {
    const lost = this.lost;
    if (!lost) {
      return '';
    }
    const what = [lost.changes ? t('lost.changes', { count: lost.changes }) : '',
      lost.photos ? t('lost.photos', { count: lost.photos }) : ''].filter(Boolean).join(t('lost.and'));
    return html`
      <section class="notice lost" role="alert" data-testid="data-lost">
        <h2>${t('lost.title')}</h2>
        <p>${t('lost.message', { what, time: formatMoment(lost.lastReportedAt) })}</p>
        <p>${t('lost.advice')}</p>
        <button type="button" @click=${() => store.setMeta('lostOnDevice', null)}>${t('lost.dismiss')}</button>
      </section>`;
  }

  reauthenticate() {
    this.route = { name: 'sign-in-again' };
  }

  screen() {
    const r = this.route;
    const me = this.account;
    if (r.name === 'audit' && me.role !== 'WORKER') {
      // the audit trail is for managers, executives and administrators (the server refuses a field worker)
      return html`<fb-audit .account=${me}></fb-audit>`;
    }
    if (r.name === 'security') {
      return html`<fb-security .account=${me}></fb-security>`;
    }
    if (me.role === 'ADMINISTRATOR') {
      return this.administration(r);
    }
    switch (r.name) {
      case 'sign-in-again':
        return html`<fb-sign-in .again=${me}></fb-sign-in>`;
      case 'today':
        return html`<fb-report .account=${me} .siteId=${r.siteId} .today=${true}></fb-report>`;
      case 'report':
        return html`<fb-report .account=${me} .reportId=${r.reportId} .cameFrom=${this.cameFrom}></fb-report>`;
      case 'site-photos':
        return html`<fb-site-photos .siteId=${r.siteId}></fb-site-photos>`;
      case 'site':
        return html`<fb-site-reports .account=${me} .siteId=${r.siteId}></fb-site-reports>`;
      case 'outbox':
        return html`<fb-outbox .engine=${this.engine}></fb-outbox>`;
      case 'review':
        return html`<fb-review .account=${me}></fb-review>`;
      case 'help':
        return html`<fb-help .account=${me}></fb-help>`;
      case 'dashboard':
        return html`<fb-dashboard .account=${me}></fb-dashboard>`;
      case 'month-end':
        return me.role === 'MANAGER' || me.role === 'EXECUTIVE'
          ? html`<fb-month-end .account=${me} .chosen=${{ month: r.month, scope: r.scope }}></fb-month-end>` : this.home(me);
      case 'conflicts':
        return html`<fb-conflicts .engine=${this.engine} .account=${this.account}></fb-conflicts>`;
      default:
        return html`<fb-first-run .account=${me}></fb-first-run>${this.home(me)}`;
    }
  }

  /** The administrator's screens; they work on the server directly and keep nothing on the device. */
  administration(r) {
    switch (r.name) {
      case 'user':
        return html`<fb-user .userId=${r.id}></fb-user>`;
      case 'admin-sites':
        return html`<fb-admin-sites></fb-admin-sites>`;
      case 'admin-site':
        return html`<fb-admin-site .siteId=${r.id}></fb-admin-site>`;
      case 'portfolios':
        return html`<fb-portfolios></fb-portfolios>`;
      case 'portfolio':
        return html`<fb-portfolios .portfolioId=${r.id}></fb-portfolios>`;
      case 'operations':
        return html`<fb-operations></fb-operations>`;
      case 'help':
        return html`<fb-help .account=${this.account}></fb-help>`;
      default:
        return html`<fb-first-run .account=${this.account}></fb-first-run><fb-users></fb-users>`;
    }
  }

  /** The start screen of each role. */
  home(me) {
    switch (me.role) {
      case 'MANAGER':
        return html`<fb-review .account=${me}></fb-review><fb-sites .account=${me}></fb-sites>`;
      case 'EXECUTIVE':
        return html`<fb-dashboard .account=${me}></fb-dashboard><fb-sites .account=${me}></fb-sites>`;
      default:
        return html`<fb-sites .account=${me}></fb-sites>`;
    }
  }
}

/** Marks a row that scrolls sideways with what is scrolled off it: data-more holds "start", "end", both or nothing. */
function markScrolledOff(row) {
  const more = [];
  if (row.scrollLeft > 1) {
    more.push('start');
  }
  if (row.scrollLeft + row.clientWidth < row.scrollWidth - 1) {
    more.push('end');
  }
  const value = more.join(' ');
  if ((row.dataset.more ?? '') !== value) {
    row.dataset.more = value;
  }
}

/** Scrolls the row sideways (only) so that the item is in it whole, with a little room for the fade. */
function bringIntoRow(row, item) {
  if (!item || row.scrollWidth <= row.clientWidth) {
    return;
  }
  const edges = row.getBoundingClientRect();
  const box = item.getBoundingClientRect();
  const room = 48;
  if (box.right > edges.right - room) {
    row.scrollLeft += box.right - edges.right + room;
  } else if (box.left < edges.left + room) {
    row.scrollLeft -= edges.left - box.left + room;
  }
}

function skipToMain(event) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

/** The screen of an address: #/, #/sites/{id}/today, #/sites/{id}, #/reports/{id}, #/outbox, #/review, #/month-end. */
function parse(hash) {
  const [path, query] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'month-end') {
    // the month and sites chosen, so that a reload or a bookmark shows them again
    const chosen = new URLSearchParams(query ?? '');
    return { name: 'month-end', month: chosen.get('month'), scope: chosen.get('scope') };
  }
  if (parts[0] === 'sites' && parts[1] && parts[2] === 'today') {
    return { name: 'today', siteId: parts[1] };
  }
  if (parts[0] === 'sites' && parts[1] && parts[2] === 'photos') {
    return { name: 'site-photos', siteId: parts[1] };
  }
  if (parts[0] === 'sites' && parts[1]) {
    return { name: 'site', siteId: parts[1] };
  }
  if (parts[0] === 'reports' && parts[1]) {
    return { name: 'report', reportId: parts[1] };
  }
  if (parts[0] === 'users' && parts[1]) {
    return { name: 'user', id: parts[1] };
  }
  if (parts[0] === 'admin' && (parts[1] === 'sites' || parts[1] === 'portfolios')) {
    const list = parts[1] === 'sites' ? 'admin-sites' : 'portfolios';
    return parts[2] ? { name: parts[1] === 'sites' ? 'admin-site' : 'portfolio', id: parts[2] } : { name: list };
  }
  if (parts[0] === 'outbox' || parts[0] === 'review' || parts[0] === 'conflicts'
    || parts[0] === 'dashboard' || parts[0] === 'help' || parts[0] === 'audit' || parts[0] === 'users'
    || parts[0] === 'security' || parts[0] === 'operations' || parts[0] === 'month-end') {
    return { name: parts[0] };
  }
  return { name: 'home' };
}

customElements.define('fb-app', FbApp);
