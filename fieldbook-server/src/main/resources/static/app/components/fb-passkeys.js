import { html } from 'lit';
import { request } from '../api.js';
import { t, formatMoment } from '../messages.js';
import { cancelled, passkeysSupported, registerPasskey } from '../passkeys.js';
import { OnlineScreen, problemText } from './online-screen.js';

/**
 * The signed-in person's passkeys: each with its label, when it was added and last used, and a button to
 * remove it; and a form to add one on this device under a label. Works with the server directly.
 */
class FbPasskeys extends OnlineScreen {
  static properties = { ...OnlineScreen.properties, passkeys: { state: true } };

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  async load() {
    const passkeys = await this.attempt(() => request('GET', '/api/v1/auth/passkeys'));
    this.passkeys = passkeys === null ? [] : passkeys;
  }

  async add(event) {
    event.preventDefault();
    const form = event.target;
    const values = new FormData(form);
    const label = String(values.get('label') || '').trim();
    const password = String(values.get('password') || '');
    if (!label) {
      this.error = t('passkeys.labelMissing');
      form.querySelector('#passkey-label')?.focus();
      return;
    }
    if (!password) {
      this.error = t('passkeys.passwordMissing');
      form.querySelector('#passkey-password')?.focus();
      return;
    }
    this.busy = true;
    this.error = null;
    this.message = null;
    try {
      await registerPasskey(label, password);
      form.reset();
      this.passkeys = await request('GET', '/api/v1/auth/passkeys');
      this.message = t('passkeys.added', { label });
    } catch (failure) {
      this.error = cancelled(failure) ? t('passkeys.cancelled') : problemText(failure);
    } finally {
      this.busy = false;
    }
  }

  async removePasskey(passkey) {
    const done = await this.attempt(() => request('DELETE', `/api/v1/auth/passkeys/${passkey.id}`),
      t('passkeys.removed', { label: passkey.label }));
    if (done) {
      this.passkeys = this.passkeys.filter((candidate) => candidate.id !== passkey.id);
    }
  }

  render() {
    return html`
      <section class="section passkeys" aria-labelledby="passkeys-title" data-testid="passkeys">
        <h2 id="passkeys-title">${t('passkeys.title')}</h2>
        <p>${t('passkeys.lead')}</p>
        ${this.feedback()}
        ${!this.passkeys ? html`<p>${t('app.loading')}</p>` : this.passkeys.length === 0
          ? html`<p class="muted">${t('passkeys.none')}</p>`
          : html`<ul class="rows" aria-label=${t('passkeys.title')}>
            ${this.passkeys.map((passkey) => html`
              <li class="entry passkey" data-label=${passkey.label}>
                <strong>${passkey.label}</strong>
                <span class="muted">${t('passkeys.addedAt', { time: formatMoment(passkey.createdAt) })}</span>
                <span class="muted">${passkey.lastUsedAt ? t('passkeys.usedAt', { time: formatMoment(passkey.lastUsedAt) })
                  : t('passkeys.neverUsed')}</span>
                <button type="button" class="danger" ?disabled=${this.busy}
                  aria-label=${t('passkeys.removeNamed', { label: passkey.label })}
                  @click=${() => this.removePasskey(passkey)}>${t('passkeys.remove')}</button>
              </li>`)}
          </ul>`}
        ${passkeysSupported() ? html`
          <form @submit=${(e) => this.add(e)} novalidate>
            <label for="passkey-label">${t('passkeys.label')}</label>
            <input id="passkey-label" name="label" maxlength="100" autocomplete="off" required
              placeholder=${t('passkeys.labelExample')}>
            <label for="passkey-password">${t('passkeys.password')}</label>
            <input id="passkey-password" name="password" type="password" maxlength="200" autocomplete="current-password"
              required>
            <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>${t('passkeys.add')}</button></div>
          </form>` : html`<p class="muted">${t('passkeys.unsupported')}</p>`}
      </section>`;
  }
}

customElements.define('fb-passkeys', FbPasskeys);
