import { html } from 'lit';
import { request, Refused, Unreachable } from '../api.js';
import { t } from '../messages.js';
import * as store from '../store.js';
import { cancelled, passkeysSupported, signInWithPasskey } from '../passkeys.js';
import { Screen } from './screen.js';

/**
 * Signing in opens a web session (an HttpOnly cookie). The person is kept on the device, so the app
 * works offline afterwards. Another person may sign in on the device only when nothing of the previous
 * one waits; their data is removed first. A person with a second factor signs in in two steps: the
 * password, then the code of their authenticator app (or a recovery code) with the server's challenge.
 */
class FbSignIn extends Screen {
  static properties = {
    again: { attribute: false },
    error: { state: true },
    working: { state: true },
    challenge: { state: true },
    recovery: { state: true },
  };

  render() {
    return html`
      <section class="sign-in">
        <img src="/app/icons/icon-192.png" alt="" width="72" height="72">
        <h1 tabindex="-1">${this.challenge ? t('signIn.secondTitle') : t('signIn.title')}</h1>
        ${this.challenge ? this.secondStep() : this.firstStep()}
      </section>`;
  }

  firstStep() {
    return html`
      <p class="lead">${t('signIn.lead')}</p>
      <form @submit=${this.submit} novalidate>
        <label for="login">${t('signIn.login')}</label>
        <input id="login" name="login" autocomplete="username" autocapitalize="none" spellcheck="false" required
          .value=${this.login ?? this.again?.login ?? ''}>
        <label for="password">${t('signIn.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
        <button class="primary" type="submit" ?disabled=${this.working}>
          ${this.working ? t('signIn.working') : t('signIn.submit')}</button>
      </form>
      ${passkeysSupported() ? html`
        <p class="or muted">${t('signIn.or')}</p>
        <button type="button" class="passkey-sign-in" ?disabled=${this.working}
          @click=${() => this.withPasskey()}>${t('signIn.passkey')}</button>` : ''}`;
  }

  secondStep() {
    return html`
      <p class="lead">${this.recovery ? t('signIn.recoveryLead') : t('signIn.codeLead')}</p>
      <form @submit=${this.submitCode} novalidate>
        ${this.recovery ? html`
          <label for="recovery-code">${t('signIn.recoveryCode')}</label>
          <input id="recovery-code" name="recoveryCode" autocomplete="off" autocapitalize="characters"
            spellcheck="false" required>` : html`
          <label for="code">${t('signIn.code')}</label>
          <input id="code" name="code" inputmode="numeric" pattern="[0-9]*" maxlength="6" autocomplete="one-time-code"
            required>`}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
        <button class="primary" type="submit" ?disabled=${this.working}>
          ${this.working ? t('signIn.working') : t('signIn.verify')}</button>
      </form>
      <div class="actions">
        <button type="button" class="link" @click=${this.toggleRecovery}>
          ${this.recovery ? t('signIn.useApp') : t('signIn.useRecovery')}</button>
        <button type="button" class="link" @click=${this.startOver}>${t('signIn.startOver')}</button>
      </div>`;
  }

  updated(changed) {
    if (changed.has('challenge') || changed.has('recovery')) {
      this.querySelector(this.challenge ? (this.recovery ? '#recovery-code' : '#code') : '#login')?.focus();
    }
  }

  toggleRecovery() {
    this.recovery = !this.recovery;
    this.error = null;
  }

  startOver() {
    this.challenge = null;
    this.recovery = false;
    this.error = null;
  }

  async submit(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const login = String(form.get('login') || '').trim();
    const password = String(form.get('password') || '');
    const previous = await store.account();
    const waiting = await store.outboxDepth();
    if (previous && previous.login !== login && waiting > 0) {
      this.error = t('signIn.otherUserWaiting', { name: previous.name });
      return;
    }
    this.login = login;
    await this.send(() => request('POST', '/api/v1/auth/session', { login, password }));
  }

  async submitCode(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const body = { challenge: this.challenge };
    if (this.recovery) {
      body.recoveryCode = String(form.get('recoveryCode') || '').trim();
    } else {
      body.code = String(form.get('code') || '').replace(/\s/g, '');
    }
    await this.send(() => request('POST', '/api/v1/auth/session/second-factor', body));
  }

  async send(signIn) {
    this.working = true;
    this.error = null;
    try {
      const session = await signIn();
      const person = session.user;
      const previous = await store.account();
      if (previous && previous.id !== person.id) {
        await store.clear();
      }
      await store.signedIn({
        id: person.id, login: person.login, name: person.name, role: person.role,
        enrolmentRequired: session.secondFactorEnrolmentRequired === true,
        passwordChangeRequired: session.passwordChangeRequired === true,
      });
      if (session.recoveryCodesLeft !== null && session.recoveryCodesLeft !== undefined) {
        await store.setMeta('recoveryCodesLeft', session.recoveryCodesLeft);
      }
      location.hash = session.secondFactorEnrolmentRequired && !session.passwordChangeRequired ? '#/security' : '#/';
      location.reload();
    } catch (failure) {
      const type = failure instanceof Refused ? (failure.problem.type || '') : '';
      if (failure instanceof Unreachable) {
        this.error = t('signIn.offline');
      } else if (type.endsWith('/second-factor-required')) {
        this.challenge = failure.problem.challenge;
        this.recovery = false;
      } else if (type.endsWith('/second-factor-refused')) {
        this.error = this.recovery ? t('signIn.wrongRecoveryCode') : t('signIn.wrongCode');
      } else if (type.endsWith('/sign-in-challenge-ended')) {
        this.startOver();
        this.error = t('signIn.challengeEnded');
      } else if (failure instanceof Refused && failure.status === 401) {
        this.error = t('signIn.refused');
      } else if (failure instanceof Refused && failure.status === 429) {
        this.error = t('signIn.throttled', { seconds: failure.retryAfter || 60 });
      } else {
        this.error = t('signIn.failed', { detail: failure.message });
      }
    } finally {
      this.working = false;
    }
  }

  /** Signs in with a passkey of this device: no login, no password (docs/api.md, "Passkeys"). */
  async withPasskey() {
    this.working = true;
    this.error = null;
    try {
      const previous = await store.account();
      const session = await signInWithPasskey();
      const person = session.user;
      if (previous && previous.id !== person.id) {
        if (await store.outboxDepth() > 0) {
          await request('DELETE', '/api/v1/auth/session').catch(() => null);
          this.error = t('signIn.otherUserWaiting', { name: previous.name });
          return;
        }
        await store.clear();
      }
      await store.signedIn({
        id: person.id, login: person.login, name: person.name, role: person.role,
        passwordChangeRequired: session.passwordChangeRequired === true,
      });
      location.hash = '#/';
      location.reload();
    } catch (failure) {
      if (cancelled(failure)) {
        this.error = null;
      } else if (failure instanceof Unreachable) {
        this.error = t('signIn.offline');
      } else if (failure instanceof Refused && failure.status === 401) {
        this.error = t('signIn.passkeyRefused');
      } else {
        this.error = t('signIn.failed', { detail: failure.message });
      }
    } finally {
      this.working = false;
    }
  }
}

customElements.define('fb-sign-in', FbSignIn);
