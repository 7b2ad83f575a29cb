import { html } from 'lit';
import { t } from '../messages.js';
import * as store from '../store.js';
import { Screen, focusHeading } from './screen.js';

const STEPS = { WORKER: 4, MANAGER: 5, EXECUTIVE: 4, ADMINISTRATOR: 4 };

/** The first-run note's lead, by role: what the guide shows that person. */
const LEADS = { MANAGER: 'guide.leadManager', EXECUTIVE: 'guide.leadExecutive', ADMINISTRATOR: 'guide.leadAdministrator' };

/** The short guide for the person's role, so that a new site can start without a classroom. */
class FbHelp extends Screen {
  static properties = {
    account: { attribute: false },
  };

  firstUpdated() {
    focusHeading(this);
    store.setMeta('guideSeen', true);
  }

  render() {
    const role = this.account?.role ?? 'WORKER';
    const steps = Array.from({ length: STEPS[role] ?? 0 }, (_, i) => t(`help.${role}.${i + 1}`));
    return html`
      <h1 tabindex="-1">${t('help.title')}</h1>
      <ol class="guide">${steps.map((step) => html`<li>${step}</li>`)}</ol>
      <p>${t(role === 'ADMINISTRATOR' ? 'help.online' : 'help.offline')}</p>
      <p>${t('help.signOut')}</p>`;
  }
}

/** Offers the guide once, on the start screen, until it was read or put aside. */
class FbFirstRun extends Screen {
  static properties = {
    account: { attribute: false },
    show: { state: true },
  };

  async load() {
    this.show = !(await store.meta('guideSeen'));
  }

  render() {
    if (!this.show) {
      return '';
    }
    return html`
      <aside class="first-run" aria-labelledby="first-run-title">
        <h2 id="first-run-title">${t('guide.title')}</h2>
        <p>${t(LEADS[this.account?.role] ?? 'guide.lead')}</p>
        <div class="actions">
          <a class="button primary" href="#/help">${t('guide.open')}</a>
          <button type="button" @click=${() => store.setMeta('guideSeen', true)}>${t('guide.dismiss')}</button>
        </div>
      </aside>`;
  }
}

customElements.define('fb-help', FbHelp);
customElements.define('fb-first-run', FbFirstRun);
