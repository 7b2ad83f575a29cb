import { html, nothing } from 'lit';
import { request, Refused } from '../api.js';
import { t } from '../messages.js';
import * as store from '../store.js';
import { OnlineScreen, problemText } from './online-screen.js';
import { focusHeading } from './screen.js';

/**
 * Changing one's own password: the current one, the new one twice. On the Security screen; and, as the whole
 * screen ({@code forced}), for a person whose password an administrator chose, who may do nothing else first
 * (docs/api.md, "Own account"). A change signs every other session and token of the person out.
 */
class FbPassword extends OnlineScreen {
  static properties = {
    ...OnlineScreen.properties,
    account: { attribute: false },
    forced: { type: Boolean },
  };

  firstUpdated() {
    if (this.forced) {
      focusHeading(this);
    }
  }

  async change(event) {
    event.preventDefault();
    const form = event.target;
    const data = new FormData(form);
    const currentPassword = String(data.get('currentPassword') || '');
    const newPassword = String(data.get('newPassword') || '');
    if (newPassword !== String(data.get('repeatPassword') || '')) {
      this.message = null;
      this.error = t('password.mismatch');
      form.querySelector('#repeat-password')?.focus();
      return;
    }
    this.busy = true;
    this.error = null;
    this.message = null;
    try {
      const changed = await request('PUT', '/api/v1/auth/password', { currentPassword, newPassword });
      form.reset();
      if (this.forced) {
        await store.signedIn({ ...this.account, passwordChangeRequired: false });
        location.hash = this.account?.enrolmentRequired ? '#/security' : '#/';
        location.reload();
        return;
      }
      this.message = t('password.changed', { count: changed?.sessionsEnded ?? 0 });
      this.dispatchEvent(new CustomEvent('password-changed', { bubbles: true }));
    } catch (failure) {
      this.error = failure instanceof Refused && (failure.problem.type || '').endsWith('/wrong-password')
        ? t('password.wrong') : failure instanceof Refused && failure.status === 429
          ? t('signIn.throttled', { seconds: failure.retryAfter || 60 }) : problemText(failure);
    } finally {
      this.busy = false;
    }
  }

  render() {
    const heading = this.forced ? html`<h1 tabindex="-1">${t('password.forcedTitle')}</h1>`
      : html`<h2 id="password-heading">${t('password.title')}</h2>`;
    return html`
      <section class="section" aria-labelledby=${this.forced ? nothing : 'password-heading'} data-testid="password">
        ${heading}
        ${this.forced ? html`<p class="notice" data-testid="password-change-required">${t('password.forcedLead')}</p>`
          : html`<p>${t('password.lead')}</p>`}
        ${this.feedback()}
        <form @submit=${(e) => this.change(e)} novalidate>
          <label for="current-password">${this.forced ? t('password.given') : t('password.current')}</label>
          <input id="current-password" name="currentPassword" type="password" autocomplete="current-password" required>
          <label for="new-password-own">${t('password.new')}</label>
          <input id="new-password-own" name="newPassword" type="password" autocomplete="new-password" minlength="12" required
            aria-describedby="password-rule">
          <p class="muted" id="password-rule">${t('users.passwordRule')}</p>
          <label for="repeat-password">${t('password.repeat')}</label>
          <input id="repeat-password" name="repeatPassword" type="password" autocomplete="new-password" minlength="12" required>
          <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>${t('password.submit')}</button></div>
        </form>
      </section>`;
  }
}

customElements.define('fb-password', FbPassword);
