import { html } from 'lit';
import { request } from '../api.js';
import { t, formatMoment } from '../messages.js';
import { OnlineScreen } from './online-screen.js';
import { focusHeading } from './screen.js';

const STATE_ICONS = { firing: '▲', pending: '◔', resolved: '✓' };

/**
 * The operations page (administrators): the alerts the server evaluates itself (firing, pending, and resolved
 * within the hour), where they are sent, and the sync health of every site as the devices last reported it
 * (devices, changes and photos waiting, the oldest waiting change, when a device was last seen). Read from the
 * server when opened and on "Refresh"; nothing is kept on the device.
 */
class FbOperations extends OnlineScreen {
  static properties = {
    ...OnlineScreen.properties,
    alerts: { state: true },
    health: { state: true },
  };

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  firstUpdated() {
    focusHeading(this);
  }

  async load() {
    const answer = await this.attempt(() => Promise.all([
      request('GET', '/api/v1/operations/alerts'),
      request('GET', '/api/v1/operations/sync-health'),
    ]));
    if (answer) {
      [this.alerts, this.health] = answer;
    }
  }

  render() {
    return html`
      <h1 tabindex="-1">${t('operations.title')}</h1>
      <p class="lead">${t('operations.lead')}</p>
      <div class="actions">
        <button type="button" @click=${() => this.load()} ?disabled=${this.busy} data-testid="refresh">⟳ ${t('operations.refresh')}</button>
      </div>
      ${this.feedback()}
      ${this.alerts ? this.alertsSection() : html`<p>${t('app.loading')}</p>`}
      ${this.health ? this.healthSection() : ''}`;
  }

  alertsSection() {
    const { enabled, evaluatedAt, alerts, channels } = this.alerts;
    return html`
      <section class="section" data-testid="alerts" aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">${t('operations.alerts')}</h2>
        <p class="muted">${!enabled ? t('operations.alertsOff')
          : evaluatedAt ? t('operations.evaluatedAt', { time: formatMoment(evaluatedAt) }) : t('operations.notYetEvaluated')}
          ${channels.length ? t('operations.sentTo', { channels: channels.map((c) => t(`operations.channel.${c}`)).join(', ') })
            : t('operations.sentNowhere')}</p>
        ${alerts.length === 0 ? html`<p role="status" data-testid="no-alerts">✓ ${t('operations.quiet')}</p>` : html`
          <div class="grid-scroll" tabindex="0" role="region" aria-label=${t('operations.alerts')}>
            <table class="audit operations" data-testid="alert-list">
              <thead><tr>
                <th scope="col">${t('operations.state')}</th><th scope="col">${t('operations.alert')}</th>
                <th scope="col">${t('operations.summary')}</th><th scope="col">${t('operations.since')}</th>
              </tr></thead>
              <tbody>
                ${alerts.map((alert) => html`<tr data-alert=${alert.name} data-state=${alert.state}>
                  <td><span class="badge badge-alert-${alert.state}"><span aria-hidden="true">${STATE_ICONS[alert.state]}</span>
                    ${t(`operations.state.${alert.state}`)}</span></td>
                  <td><strong>${alert.name}</strong> <span class="muted">${t(`operations.severity.${alert.severity}`)}</span>
                    ${Object.entries(alert.labels).map(([name, value]) => html`<br><span class="muted">${name}: ${this.siteName(name, value)}</span>`)}</td>
                  <td>${this.summary(alert)}</td>
                  <td class="when">${formatMoment(alert.resolvedAt ?? alert.firingSince ?? alert.activeSince)}</td>
                </tr>`)}
              </tbody>
            </table>
          </div>`}
      </section>`;
  }

  healthSection() {
    const { readAt, sites } = this.health;
    return html`
      <section class="section" data-testid="sync-health" aria-labelledby="health-heading">
        <h2 id="health-heading">${t('operations.syncHealth')}</h2>
        <p class="muted">${readAt ? t('operations.readAt', { time: formatMoment(readAt) }) : t('operations.notYetRead')}</p>
        ${sites.length === 0 ? html`<p>${t('operations.noDevices')}</p>` : html`
          <div class="grid-scroll" tabindex="0" role="region" aria-label=${t('operations.syncHealthTable')}>
            <table class="audit operations" data-testid="site-health">
              <thead><tr>
                <th scope="col">${t('operations.site')}</th><th scope="col">${t('operations.devices')}</th>
                <th scope="col">${t('operations.changesWaiting')}</th><th scope="col">${t('operations.photosWaiting')}</th>
                <th scope="col">${t('operations.oldestWaiting')}</th><th scope="col">${t('operations.lastSeen')}</th>
                <th scope="col">${t('operations.silent')}</th><th scope="col">${t('operations.conflicts')}</th>
              </tr></thead>
              <tbody>
                ${sites.map((site) => html`<tr data-site=${site.siteId ?? 'none'}>
                  <th scope="row">${site.siteId ? html`${site.code} <span class="muted">${site.name}</span>` : t('operations.noSite')}</th>
                  <td>${site.devices}</td>
                  <td>${site.changesWaiting}</td>
                  <td>${site.photosWaiting}</td>
                  <td class="when">${site.oldestWaiting ? formatMoment(site.oldestWaiting) : '—'}</td>
                  <td class="when">${site.lastSeen ? formatMoment(site.lastSeen) : '—'}</td>
                  <td>${site.silent ? html`<span class="badge badge-alert-firing"><span aria-hidden="true">▲</span> ${site.silent}</span>` : '0'}</td>
                  <td>${site.openConflicts}</td>
                </tr>`)}
              </tbody>
            </table>
          </div>`}
      </section>`;
  }

  /** What holds, with the site it names by its code and name rather than its id. */
  summary(alert) {
    const site = alert.labels.site;
    return site ? alert.summary.replace(site, this.siteName('site', site)) : alert.summary;
  }

  /** A label's value as the operator knows it: a site by its code, other labels as they are. */
  siteName(label, value) {
    if (label !== 'site') {
      return value;
    }
    const site = this.health?.sites.find((candidate) => candidate.siteId === value);
    return site ? `${site.code} ${site.name}` : value === 'none' ? t('operations.noSite') : value;
  }
}

customElements.define('fb-operations', FbOperations);
