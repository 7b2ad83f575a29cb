import { html } from 'lit';
import { request } from '../api.js';
import { t } from '../messages.js';
import * as store from '../store.js';
import { OnlineScreen } from './online-screen.js';
import { focusHeading } from './screen.js';
import './fb-passkeys.js';
import './fb-password.js';
import './fb-sessions.js';

/**
 * The signed-in person's own account: their password ({@code <fb-password>}), their open sessions and tokens
 * ({@code <fb-sessions>}), and their second factor: setting up an authenticator app (its QR code, key and link, then the
 * first code), the recovery codes (shown once, to copy or download), new recovery codes, and removing the
 * app; and the person's passkeys ({@code <fb-passkeys>}). A person whose role requires a second factor and
 * who has none is brought here and nowhere else (a passkey does not stand in for the app there: ADR 0016).
 * The key is shown three ways: a QR code the server drew (ADR 0020), the key to type, and the otpauth link.
 */
class FbSecurity extends OnlineScreen {
  static properties = {
    ...OnlineScreen.properties,
    account: { attribute: false },
    status: { state: true },
    enrolment: { state: true },
    codes: { state: true },
  };

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  firstUpdated() {
    focusHeading(this);
  }

  async load() {
    const status = await this.attempt(() => request('GET', '/api/v1/auth/second-factor'));
    if (status && status !== true) {
      this.status = status;
    }
  }

  render() {
    const s = this.status;
    return html`
      <h1 tabindex="-1">${t('security.title')}</h1>
      ${this.account?.enrolmentRequired ? html`<p class="notice" data-testid="enrolment-required">${t('security.required')}</p>` : ''}
      ${this.feedback()}
      ${!s ? html`<p>${t('app.loading')}</p>` : html`
        <section class="section" aria-labelledby="totp-heading">
          <h2 id="totp-heading">${t('security.app')}</h2>
          ${this.codes ? this.recoveryCodes() : s.totp ? this.enrolled(s) : this.enrolment ? this.confirming() : html`
            <p>${t('security.appLead')}</p>
            <form @submit=${(e) => this.start(e)} novalidate>
              <label for="totp-password">${t('security.password')}</label>
              <input id="totp-password" name="password" type="password" maxlength="200" autocomplete="current-password"
                required>
              <div class="actions"><button type="submit" class="primary" data-testid="start-totp" ?disabled=${this.busy}>
                ${t('security.start')}</button></div>
            </form>`}
        </section>
        <fb-passkeys></fb-passkeys>`}
      <fb-password .account=${this.account}></fb-password>
      <fb-sessions></fb-sessions>`;
  }

  confirming() {
    const key = this.enrolment.key.match(/.{1,4}/g).join(' ');
    return html`
      <ol class="guide">
        <li>${t('security.step1')}</li>
        <li>${t('security.step2')}
          <p><img class="qr" src=${this.enrolment.qrCode} alt=${t('security.qrAlt')}
            data-testid="totp-qr"></p>
          <p>${t('security.noScan')}</p>
          <p><code class="secret" data-testid="totp-key">${key}</code>
            <button type="button" @click=${() => this.copy(this.enrolment.key)}>${t('security.copyKey')}</button></p>
          <p><a href=${this.enrolment.uri} data-testid="totp-link">${t('security.openLink')}</a></p></li>
        <li>${t('security.step3')}</li>
      </ol>
      <form @submit=${this.confirm} novalidate>
        <label for="totp-code">${t('security.code')}</label>
        <input id="totp-code" name="code" inputmode="numeric" pattern="[0-9]*" maxlength="6" autocomplete="one-time-code" required>
        <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>${t('security.confirm')}</button></div>
      </form>`;
  }

  recoveryCodes() {
    return html`
      <h3>${t('security.codesTitle')}</h3>
      <p>${t('security.codesLead')}</p>
      <ul class="recovery-codes" data-testid="recovery-codes">
        ${this.codes.map((code) => html`<li><code>${code}</code></li>`)}
      </ul>
      <div class="actions">
        <button type="button" @click=${() => this.copy(this.codes.join('\n'))}>${t('security.copyCodes')}</button>
        <button type="button" @click=${this.download}>${t('security.download')}</button>
        <button type="button" class="primary" data-testid="codes-saved" @click=${this.saved}>${t('security.saved')}</button>
      </div>`;
  }

  enrolled(s) {
    return html`
      <p class="confirmed" data-testid="totp-enrolled">✓ ${t('security.enrolled')}</p>
      <p data-testid="codes-left">${t('security.codesLeft', { count: s.recoveryCodesLeft })}</p>
      <form @submit=${this.regenerate} novalidate aria-labelledby="regenerate-heading">
        <h3 id="regenerate-heading">${t('security.regenerate')}</h3>
        ${this.proofFields('regenerate')}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${t('security.regenerateSubmit')}</button></div>
      </form>
      <form @submit=${this.removeApp} novalidate aria-labelledby="remove-heading">
        <h3 id="remove-heading">${t('security.remove')}</h3>
        ${s.required ? html`<p class="muted">${t('security.removeRequired')}</p>` : ''}
        ${this.proofFields('remove')}
        <div class="actions"><button type="submit" class="danger" ?disabled=${this.busy}>${t('security.removeSubmit')}</button></div>
      </form>`;
  }

  proofFields(form) {
    return html`
      <p class="muted">${t('security.proof')}</p>
      <label for="${form}-password">${t('signIn.password')}</label>
      <input id="${form}-password" name="password" type="password" autocomplete="current-password">
      <label for="${form}-code">${t('security.codeOrRecovery')}</label>
      <input id="${form}-code" name="code" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false">`;
  }

  /** Starts enrolling an authenticator app, once the person confirmed it is them with their password. */
  async start(event) {
    event.preventDefault();
    const password = String(new FormData(event.target).get('password') || '');
    if (!password) {
      this.error = t('security.passwordMissing');
      this.message = null;
      event.target.querySelector('#totp-password')?.focus();
      return;
    }
    const enrolment = await this.attempt(() => request('POST', '/api/v1/auth/second-factor/totp', { password }));
    if (enrolment && enrolment !== true) {
      this.enrolment = enrolment;
      requestAnimationFrame(() => this.querySelector('#totp-code')?.focus());
    }
  }

  async confirm(event) {
    event.preventDefault();
    const code = String(new FormData(event.target).get('code') || '').replace(/\s/g, '');
    const issued = await this.attempt(() => request('POST', '/api/v1/auth/second-factor/totp/confirmation', { code }));
    if (issued && issued !== true) {
      this.enrolment = null;
      this.codes = issued.recoveryCodes;
    }
  }

  async regenerate(event) {
    event.preventDefault();
    const issued = await this.attempt(() => request('POST', '/api/v1/auth/second-factor/recovery-codes',
      proof(event.target)));
    if (issued && issued !== true) {
      this.codes = issued.recoveryCodes;
    }
  }

  async removeApp(event) {
    event.preventDefault();
    const removed = await this.attempt(() => request('POST', '/api/v1/auth/second-factor/removal', proof(event.target)),
      t('security.removed'));
    if (removed) {
      event.target.reset();
      await this.load();
      this.message = t('security.removed');
    }
  }

  /** The codes were saved: they are not shown again; a person who had to enrol may now use the app. */
  async saved() {
    this.codes = null;
    if (this.account?.enrolmentRequired) {
      await store.signedIn({ ...this.account, enrolmentRequired: false });
      location.hash = '#/';
      location.reload();
      return;
    }
    await this.load();
  }

  async copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      this.message = t('security.copied');
    } catch (failure) {
      this.error = t('security.copyFailed');
    }
  }

  download() {
    const text = `${t('security.fileTitle', { login: this.account?.login ?? '' })}\n\n${this.codes.join('\n')}\n`;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    link.download = 'fieldbook-recovery-codes.txt';
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }
}

/** The password, or a code: six digits are the app's code, anything else a recovery code. */
function proof(form) {
  const data = new FormData(form);
  const password = String(data.get('password') || '');
  const code = String(data.get('code') || '').trim();
  if (password) {
    return { password };
  }
  return /^[0-9]{6}$/.test(code.replace(/\s/g, '')) ? { code: code.replace(/\s/g, '') } : { recoveryCode: code || null };
}

customElements.define('fb-security', FbSecurity);
