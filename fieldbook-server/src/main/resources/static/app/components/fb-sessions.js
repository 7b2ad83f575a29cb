import { html } from 'lit';
import { request } from '../api.js';
import { t, formatMoment } from '../messages.js';
import { OnlineScreen } from './online-screen.js';

/**
 * The signed-in person's open sessions (the web app on a phone or a laptop) and tokens (the Java client, the
 * command line): each with what opened it, when, and when it was last used; this device's marked. Ends one of the
 * others, or every other at once (docs/api.md, "Own account"). Works with the server directly.
 */
class FbSessions extends OnlineScreen {
  static properties = { ...OnlineScreen.properties, sessions: { state: true } };

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  async load() {
    const sessions = await this.attempt(() => request('GET', '/api/v1/auth/sessions'));
    this.sessions = sessions === null || sessions === true ? [] : sessions;
  }

  async end(session) {
    const done = await this.attempt(() => request('DELETE', `/api/v1/auth/sessions/${session.id}`),
      t('sessions.ended', { name: describe(session) }));
    if (done) {
      this.sessions = this.sessions.filter((candidate) => candidate.id !== session.id);
    }
  }

  async endOthers() {
    const ended = await this.attempt(() => request('DELETE', '/api/v1/auth/sessions'));
    if (ended) {
      this.sessions = this.sessions.filter((session) => session.current);
      this.message = t('sessions.endedOthers', { count: ended.sessionsEnded ?? 0 });
    }
  }

  render() {
    const others = (this.sessions || []).filter((session) => !session.current).length;
    return html`
      <section class="section sessions" aria-labelledby="sessions-title" data-testid="sessions">
        <h2 id="sessions-title">${t('sessions.title')}</h2>
        <p>${t('sessions.lead')}</p>
        ${this.feedback()}
        ${!this.sessions ? html`<p>${t('app.loading')}</p>` : html`
          <ul class="rows" aria-label=${t('sessions.title')}>
            ${this.sessions.map((session) => html`
              <li class="entry session" data-kind=${session.kind} ?data-current=${session.current}>
                <strong>${describe(session)}</strong>
                ${session.current ? html`<span class="badge badge-approved" data-testid="this-device">✓ ${t('sessions.current')}</span>` : ''}
                <span class="muted">${t('sessions.opened', { time: formatMoment(session.createdAt) })}</span>
                <span class="muted">${t('sessions.used', { time: formatMoment(session.lastUsedAt) })}</span>
                ${session.current ? '' : html`<button type="button" class="danger" ?disabled=${this.busy}
                  aria-label=${t('sessions.endNamed', { name: describe(session) })}
                  @click=${() => this.end(session)}>${t('sessions.end')}</button>`}
              </li>`)}
          </ul>
          ${others ? html`<div class="actions"><button type="button" class="danger" data-testid="end-others"
            ?disabled=${this.busy} @click=${() => this.endOthers()}>${t('sessions.endOthers')}</button></div>`
            : html`<p class="muted">${t('sessions.noOthers')}</p>`}`}
      </section>`;
  }
}

/** What opened a session, in words: the browser and system of a web session, the label of a token. */
function describe(session) {
  if (session.kind === 'token') {
    return t('sessions.token', { label: session.label || t('sessions.tokenUnnamed') });
  }
  return t('sessions.web', { agent: browserOf(session.userAgent) });
}

/** The browser and system a user agent names, roughly (no list of every agent: enough to tell devices apart). */
function browserOf(agent) {
  if (!agent) {
    return t('sessions.unknownBrowser');
  }
  const browser = /Edg\//.test(agent) ? 'Edge' : /Firefox\//.test(agent) ? 'Firefox'
    : /(Chrome|Chromium)\//.test(agent) ? 'Chrome' : /Safari\//.test(agent) ? 'Safari' : null;
  const system = /Android/.test(agent) ? 'Android' : /iPhone|iPad/.test(agent) ? 'iOS' : /Windows/.test(agent) ? 'Windows'
    : /Mac OS X/.test(agent) ? 'macOS' : /Linux/.test(agent) ? 'Linux' : null;
  return browser && system ? t('sessions.browserOn', { browser, system }) : browser || system || agent.slice(0, 60);
}

customElements.define('fb-sessions', FbSessions);
