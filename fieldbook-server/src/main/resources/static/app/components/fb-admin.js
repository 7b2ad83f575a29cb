import { html, nothing } from 'lit';
import { request, Refused } from '../api.js';
import { t } from '../messages.js';
import { OnlineScreen, everything, formValues, checked } from './online-screen.js';
import { focusHeading } from './screen.js';

const ROLES = ['WORKER', 'MANAGER', 'EXECUTIVE', 'ADMINISTRATOR'];

/*
 * The fields of each form that the server's refusal may name (its errors: [{field, message}]): the input's id,
 * the key of the field's name, and for a number the rule to show when it is out of range.
 */
const ACCOUNT_FIELDS = {
  login: { id: 'user-login', name: 'users.login' },
  name: { id: 'user-name', name: 'users.name' },
  email: { id: 'user-email', name: 'users.email' },
  role: { id: 'user-role', name: 'users.role' },
  password: { id: 'user-password', name: 'users.password' },
};
const PASSWORD_FIELDS = { password: { id: 'new-password', name: 'users.password' } };
const LATITUDE = { id: 'site-latitude', name: 'adminSites.latitudeName', rule: 'adminSites.rule.latitude' };
const LONGITUDE = { id: 'site-longitude', name: 'adminSites.longitudeName', rule: 'adminSites.rule.longitude' };
const SITE_FIELDS = {
  code: { id: 'site-code', name: 'adminSites.code' },
  name: { id: 'site-name', name: 'adminSites.name' },
  timezone: { id: 'site-timezone', name: 'adminSites.timezone' },
  timezoneKnown: { id: 'site-timezone', name: 'adminSites.timezone' },
  address: { id: 'site-address', name: 'adminSites.address' },
  latitude: LATITUDE,
  longitude: LONGITUDE,
  locationComplete: LATITUDE,
};
const PORTFOLIO_FIELDS = { name: { id: 'portfolio-name', name: 'portfolios.name' } };

/** Refusals that are about one field's value though they carry no field error: problem type → field, rule. */
const TAKEN = { 'login-taken': ['login', 'users.rule.loginTaken'], 'site-code-taken': ['code', 'adminSites.rule.codeTaken'] };

/** The server's field messages (Bean Validation's and the password policy's) in the person's words. */
const RULES = [
  [/^must not be (blank|null|empty)$/, 'admin.rule.missing'],
  [/^size must be between \d+ and (?<max>\d+)$/, 'admin.rule.tooLong'],
  [/^must be a well-formed email address$/, 'admin.rule.email'],
  [/^has the wrong type or format$/, 'admin.rule.unreadable'],
  [/^letters, digits and \. _ @ - only$/, 'users.rule.login'],
  [/^must have at least (?<min>\d+) and at most (?<max>\d+) characters$/, 'users.rule.passwordLength'],
  [/^must have at least (?<min>\d+) characters$/, 'users.rule.passwordShort'],
  [/^must not contain the login$/, 'users.rule.passwordLogin'],
  [/^must not contain the person's name$/, 'users.rule.passwordName'],
  [/^is on a list of common or breached passwords/, 'users.rule.passwordCommon'],
  [/^upper-case letters, digits and - only$/, 'adminSites.rule.code'],
  [/^must be a time zone id/, 'adminSites.rule.timezone'],
  [/^latitude and longitude go together$/, 'adminSites.rule.pair'],
];

/** What to say next to {@code field} for the server's {@code message}: a rule of the catalogue, or the message itself. */
function plainRule(message, field) {
  const text = String(message ?? '');
  if (field.rule && /^(must be (greater|less) than|has the wrong type)/.test(text)) {
    return t(field.rule);
  }
  for (const [pattern, key] of RULES) {
    const match = text.match(pattern);
    if (match) {
      return t(key, match.groups ?? {});
    }
  }
  return text;
}

/** A field's note: the field's name, and the text shown under it. */
function noteOn(field, rule) {
  return { name: t(field.name), text: t('admin.fieldProblem', { field: t(field.name), rule }) };
}

/**
 * The notes a refusal puts next to the fields of a form ({input id: note}), and the field errors it named that
 * are not in the form (said above it, as before).
 */
function fieldNotes(failure, fields) {
  const notes = {};
  const elsewhere = [];
  if (!(failure instanceof Refused)) {
    return { notes, elsewhere };
  }
  const problem = failure.problem || {};
  const [takenField, takenRule] = TAKEN[(problem.type || '').split('/').pop()] ?? [];
  if (fields[takenField]) {
    notes[fields[takenField].id] = noteOn(fields[takenField], t(takenRule));
  }
  for (const error of problem.errors || []) {
    const field = fields[error.field];
    if (!field) {
      elsewhere.push(t('online.field', { field: error.field, message: error.message }));
    } else if (!notes[field.id]) {
      notes[field.id] = noteOn(field, plainRule(error.message, field));
    }
  }
  return { notes, elsewhere };
}

/**
 * A coordinate as typed, in degrees: a comma may be the decimal separator (38,71); null when empty, NaN when it
 * is not a number from -{@code limit} to {@code limit}.
 */
function coordinate(text, limit) {
  if (text === null) {
    return null;
  }
  const normal = text.replace('\u2212', '-').replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(normal)) {
    return NaN;
  }
  const degrees = Number(normal);
  return Math.abs(degrees) <= limit ? degrees : NaN;
}

/**
 * An administrator's screen with forms: a refusal that names fields puts its note under each of them (the
 * field marked invalid and described by it), says which above the form, keeps what was typed, and moves the
 * focus to the first.
 */
class AdminForm extends OnlineScreen {
  static properties = { ...OnlineScreen.properties, notes: { state: true } };

  /** Sends the request of {@code form} as {@link OnlineScreen#attempt} does; a refusal naming its {@code fields} marks them. */
  async send(form, fields, action, done) {
    this.notes = {};
    let refusal = null;
    const answer = await this.attempt(() => action().catch((failure) => {
      refusal = failure;
      throw failure;
    }), done);
    if (answer === null) {
      const { notes, elsewhere } = fieldNotes(refusal, fields);
      if (Object.keys(notes).length > 0) {
        await this.mark(form, notes, elsewhere);
      }
    }
    return answer;
  }

  /** Shows {@code notes} ({input id: note}) under their fields and focuses the first of them in {@code form}. */
  async mark(form, notes, elsewhere = []) {
    const marked = [...form.elements].filter((element) => notes[element.id]);
    const names = marked.map((element) => notes[element.id].name);
    this.notes = notes;
    this.message = null;
    this.error = [t('admin.notSaved', { count: names.length, fields: new Intl.ListFormat(navigator.language || 'en')
      .format(names) }), ...elsewhere].join(' ');
    await this.updateComplete;
    marked[0]?.focus();
  }

  /** Whether the field {@code id} has a note: its aria-invalid. */
  invalid(id) {
    return this.notes?.[id] ? 'true' : nothing;
  }

  /** The field's aria-describedby: its note (when it has one) and its {@code hints}. */
  describedBy(id, ...hints) {
    const ids = [...(this.notes?.[id] ? [`${id}-note`] : []), ...hints];
    return ids.length > 0 ? ids.join(' ') : nothing;
  }

  /** The note under the field {@code id}, if a refusal left one. */
  note(id) {
    return this.notes?.[id] ? html`<p class="error-text" id="${id}-note" data-testid="field-note">${this.notes[id].text}</p>` : '';
  }
}

function activeBadge(active) {
  return active ? html`<span class="badge badge-approved">✓ ${t('admin.active')}</span>`
    : html`<span class="badge badge-returned">✕ ${t('admin.inactive')}</span>`;
}

/** The administrator's list of people, with their role and whether they may sign in. */
class FbUsers extends OnlineScreen {
  static properties = { ...OnlineScreen.properties, users: { state: true } };

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  async load() {
    const users = await this.attempt(() => everything('/api/v1/users'));
    this.users = users === null ? [] : users.sort((a, b) => a.name.localeCompare(b.name));
  }

  firstUpdated() {
    focusHeading(this);
  }

  render() {
    return html`
      <h1 tabindex="-1">${t('users.title')}</h1>
      <div class="actions"><a class="button primary" href="#/users/new">+ ${t('users.new')}</a></div>
      ${this.feedback()}
      ${!this.users ? html`<p>${t('app.loading')}</p>` : html`
        <ul class="rows" data-testid="users">
          ${this.users.map((user) => html`
            <li><a class="row" href="#/users/${user.id}" data-login=${user.login}>
              <strong>${user.name}</strong>
              <span class="muted">${user.login}</span>
              <span>${t(`role.${user.role}`)}</span>
              ${activeBadge(user.active)}
            </a></li>`)}
        </ul>`}`;
  }
}

/** One person: their account, a new password, and the sites (field worker) or portfolios (manager) they have. */
class FbUser extends AdminForm {
  static properties = {
    ...AdminForm.properties,
    userId: { attribute: false },
    user: { state: true },
    assignments: { state: true },
    sites: { state: true },
    portfolios: { state: true },
    confirmingReset: { state: true },
    confirmingSignOut: { state: true },
  };

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  async load() {
    const creating = this.userId === 'new';
    await this.attempt(async () => {
      const [user, assignments, sites, portfolios] = await Promise.all([
        creating ? null : request('GET', `/api/v1/users/${this.userId}`),
        creating ? null : request('GET', `/api/v1/users/${this.userId}/assignments`),
        everything('/api/v1/sites'),
        request('GET', '/api/v1/portfolios'),
      ]);
      this.user = user;
      this.assignments = assignments;
      this.sites = sites.sort((a, b) => a.code.localeCompare(b.code));
      this.portfolios = portfolios.sort((a, b) => a.name.localeCompare(b.name));
    });
  }

  firstUpdated() {
    focusHeading(this);
  }

  async updated(changed) {
    if (changed.has('userId') && changed.get('userId') !== undefined) {
      const note = this.message;
      this.user = null;
      this.notes = {};
      await this.load();
      this.message = note;
      focusHeading(this);
    }
  }

  async saveAccount(event) {
    event.preventDefault();
    const form = event.target;
    const values = formValues(form);
    if (this.userId === 'new') {
      const created = await this.send(form, ACCOUNT_FIELDS, () => request('POST', '/api/v1/users', {
        login: values.login, name: values.name, email: values.email, role: values.role, password: values.password,
      }), t('users.created'));
      if (created) {
        location.hash = `#/users/${created.id}`;
      }
      return;
    }
    const saved = await this.send(form, ACCOUNT_FIELDS, () => request('PUT', `/api/v1/users/${this.user.id}`, {
      version: this.user.version, name: values.name, email: values.email, role: values.role,
      active: form.querySelector('#user-active').checked,
    }), t('admin.saved'));
    if (saved) {
      this.user = saved;
      this.assignments = await request('GET', `/api/v1/users/${this.user.id}/assignments`).catch(() => this.assignments);
    }
  }

  async setPassword(event) {
    event.preventDefault();
    const form = event.target;
    const done = await this.send(form, PASSWORD_FIELDS, () => request('PUT', `/api/v1/users/${this.user.id}/password`,
      { password: formValues(form).password }), t('users.passwordSet'));
    if (done) {
      form.reset();
    }
  }

  /** Removes the person's lost second factor, once the administrator confirmed it (a second button). */
  async resetSecondFactor() {
    this.confirmingReset = false;
    const done = await this.attempt(() => request('DELETE', `/api/v1/users/${this.user.id}/second-factor`),
      t('users.secondFactorReset', { name: this.user.name }));
    if (done) {
      this.user = { ...this.user, secondFactor: false };
    }
  }

  /** Ends every session and token of the person, once the administrator confirmed it (a second button). */
  async endSessions() {
    this.confirmingSignOut = false;
    const ended = await this.attempt(() => request('DELETE', `/api/v1/users/${this.user.id}/sessions`));
    if (ended) {
      this.message = t('users.sessionsEnded', { name: this.user.name, count: ended.sessionsEnded });
    }
  }

  async saveAssignments(event) {
    event.preventDefault();
    const worker = this.user.role === 'WORKER';
    const answer = await this.attempt(() => (worker
      ? request('PUT', `/api/v1/users/${this.user.id}/sites`, { siteIds: checked(event.target, 'site') })
      : request('PUT', `/api/v1/users/${this.user.id}/portfolios`, { portfolioIds: checked(event.target, 'portfolio') })),
    t('admin.saved'));
    if (answer && answer !== true) {
      this.assignments = answer;
    }
  }

  render() {
    const creating = this.userId === 'new';
    if (!creating && !this.user) {
      return html`<h1 tabindex="-1">${t('users.title')}</h1>${this.feedback()}${this.error ? '' : html`<p>${t('app.loading')}</p>`}`;
    }
    const user = this.user || {};
    return html`
      <p><a href="#/users">← ${t('users.title')}</a></p>
      <h1 tabindex="-1">${creating ? t('users.new') : user.name}</h1>
      ${this.feedback()}
      <form class="section" @submit=${(e) => this.saveAccount(e)} data-testid="account">
        <h2>${t('users.account')}</h2>
        ${creating ? html`
          <label for="user-login">${t('users.login')}</label>
          <input id="user-login" name="login" required autocomplete="off" autocapitalize="none" spellcheck="false"
            aria-invalid=${this.invalid('user-login')} aria-describedby=${this.describedBy('user-login', 'user-login-rule')}>
          ${this.note('user-login')}
          <p class="muted" id="user-login-rule">${t('users.loginRule')}</p>`
          : html`<p>${t('users.loginIs', { login: user.login })}</p>`}
        <div class="pair">
          <div><label for="user-name">${t('users.name')}</label>
            <input id="user-name" name="name" required .value=${user.name ?? ''} autocomplete="off"
              aria-invalid=${this.invalid('user-name')} aria-describedby=${this.describedBy('user-name')}>
            ${this.note('user-name')}</div>
          <div><label for="user-email">${t('users.email')}</label>
            <input id="user-email" name="email" type="email" required .value=${user.email ?? ''} autocomplete="off"
              aria-invalid=${this.invalid('user-email')} aria-describedby=${this.describedBy('user-email')}>
            ${this.note('user-email')}</div>
        </div>
        <label for="user-role">${t('users.role')}</label>
        <select id="user-role" name="role" aria-invalid=${this.invalid('user-role')} aria-describedby=${this.describedBy('user-role')}>
          ${ROLES.map((role) => html`<option value=${role} ?selected=${(user.role ?? 'WORKER') === role}>${t(`role.${role}`)}</option>`)}
        </select>
        ${this.note('user-role')}
        ${creating ? html`
          <label for="user-password">${t('users.password')}</label>
          <input id="user-password" name="password" type="password" required minlength="12" autocomplete="new-password"
            aria-invalid=${this.invalid('user-password')} aria-describedby=${this.describedBy('user-password', 'user-password-rule')}>
          ${this.note('user-password')}
          <p class="muted" id="user-password-rule">${t('users.passwordRule')}</p>` : html`
          <label class="check"><input id="user-active" type="checkbox" ?checked=${user.active}> ${t('users.mayUse')}</label>`}
        <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>${creating ? t('users.create') : t('admin.save')}</button></div>
      </form>
      ${creating ? '' : html`
        ${this.assignmentForm(user)}
        <form class="section" @submit=${(e) => this.setPassword(e)}>
          <h2>${t('users.newPassword')}</h2>
          <label for="new-password">${t('users.password')}</label>
          <input id="new-password" name="password" type="password" required minlength="12" autocomplete="new-password"
            aria-invalid=${this.invalid('new-password')} aria-describedby=${this.describedBy('new-password', 'new-password-rule')}>
          ${this.note('new-password')}
          <p class="muted" id="new-password-rule">${t('users.passwordRule')} ${t('users.passwordEnds')}</p>
          ${user.passwordChangeRequired ? html`<p data-testid="password-change-pending">${t('users.passwordPending')}</p>` : ''}
          <div class="actions"><button type="submit" ?disabled=${this.busy}>${t('users.setPassword')}</button></div>
        </form>
        <section class="section" aria-labelledby="sign-ins-heading" data-testid="sign-ins">
          <h2 id="sign-ins-heading">${t('users.sessions')}</h2>
          <p class="muted">${t('users.sessionsLead')}</p>
          ${this.confirmingSignOut ? html`
            <p role="alert">${t('users.endSessionsConfirm', { name: user.name })}</p>
            <div class="actions">
              <button type="button" class="danger" data-testid="confirm-sign-out" ?disabled=${this.busy}
                @click=${() => this.endSessions()}>${t('users.endSessionsYes')}</button>
              <button type="button" @click=${() => { this.confirmingSignOut = false; }}>${t('users.resetNo')}</button>
            </div>` : html`
            <div class="actions"><button type="button" class="danger" data-testid="sign-out-everywhere" ?disabled=${this.busy}
              @click=${() => { this.confirmingSignOut = true; }}>${t('users.endSessions')}</button></div>`}
        </section>
        <section class="section" aria-labelledby="second-factor-heading" data-testid="second-factor">
          <h2 id="second-factor-heading">${t('users.secondFactor')}</h2>
          <p>${user.secondFactor ? t('users.hasSecondFactor') : t('users.noSecondFactor')}</p>
          ${user.secondFactor ? html`
            <p class="muted">${t('users.resetLead')}</p>
            ${this.confirmingReset ? html`
              <p role="alert">${t('users.resetConfirm', { name: user.name })}</p>
              <div class="actions">
                <button type="button" class="danger" data-testid="confirm-reset" ?disabled=${this.busy}
                  @click=${() => this.resetSecondFactor()}>${t('users.resetYes')}</button>
                <button type="button" @click=${() => { this.confirmingReset = false; }}>${t('users.resetNo')}</button>
              </div>` : html`
              <div class="actions"><button type="button" class="danger" data-testid="reset-second-factor" ?disabled=${this.busy}
                @click=${() => { this.confirmingReset = true; }}>${t('users.reset')}</button></div>`}` : ''}
        </section>`}`;
  }

  assignmentForm(user) {
    if (user.role === 'WORKER') {
      const mine = new Set(this.assignments?.siteIds || []);
      return html`
        <form class="section" @submit=${(e) => this.saveAssignments(e)} data-testid="assignments">
          <fieldset class="choices"><legend>${t('users.sites')}</legend>
            ${this.sites.map((site) => html`
              <label class="check"><input type="checkbox" name="site" value=${site.id} ?checked=${mine.has(site.id)}>
                <span class="code">${site.code}</span> ${site.name}</label>`)}
          </fieldset>
          <div class="actions"><button type="submit" ?disabled=${this.busy}>${t('users.saveSites')}</button></div>
        </form>`;
    }
    if (user.role === 'MANAGER') {
      const mine = new Set(this.assignments?.portfolioIds || []);
      return html`
        <form class="section" @submit=${(e) => this.saveAssignments(e)} data-testid="assignments">
          <fieldset class="choices"><legend>${t('users.portfolios')}</legend>
            ${this.portfolios.length === 0 ? html`<p class="muted">${t('portfolios.none')}</p>` : ''}
            ${this.portfolios.map((portfolio) => html`
              <label class="check"><input type="checkbox" name="portfolio" value=${portfolio.id} ?checked=${mine.has(portfolio.id)}>
                ${portfolio.name}</label>`)}
          </fieldset>
          <div class="actions"><button type="submit" ?disabled=${this.busy}>${t('users.savePortfolios')}</button></div>
        </form>`;
    }
    return html`<p class="section">${t(user.role === 'EXECUTIVE' ? 'users.seesAll' : 'users.administers')}</p>`;
  }
}

/** The administrator's list of sites. */
class FbAdminSites extends OnlineScreen {
  static properties = { ...OnlineScreen.properties, sites: { state: true } };

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  async load() {
    const sites = await this.attempt(() => everything('/api/v1/sites'));
    this.sites = sites === null ? [] : sites.sort((a, b) => a.code.localeCompare(b.code));
  }

  firstUpdated() {
    focusHeading(this);
  }

  render() {
    return html`
      <h1 tabindex="-1">${t('adminSites.title')}</h1>
      <div class="actions"><a class="button primary" href="#/admin/sites/new">+ ${t('adminSites.new')}</a></div>
      ${this.feedback()}
      ${!this.sites ? html`<p>${t('app.loading')}</p>` : html`
        <ul class="rows" data-testid="admin-sites">
          ${this.sites.map((site) => html`
            <li><a class="row" href="#/admin/sites/${site.id}" data-code=${site.code}>
              <span class="code">${site.code}</span><strong>${site.name}</strong>
              <span class="muted">${site.timezone}</span>
            </a></li>`)}
        </ul>`}`;
  }
}

/** One site's details: code, name, time zone, address and position. */
class FbAdminSite extends AdminForm {
  static properties = { ...AdminForm.properties, siteId: { attribute: false }, site: { state: true } };

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  async load() {
    this.site = null;
    if (this.siteId !== 'new') {
      await this.attempt(async () => {
        this.site = await request('GET', `/api/v1/sites/${this.siteId}`);
      });
    }
  }

  firstUpdated() {
    focusHeading(this);
  }

  async updated(changed) {
    if (changed.has('siteId') && changed.get('siteId') !== undefined) {
      const note = this.message;
      this.notes = {};
      await this.load();
      this.message = note;
      focusHeading(this);
    }
  }

  /**
   * Sends the site's fields; a position that is not two numbers in range (a comma may be the decimal separator)
   * is not sent but marked, with what is expected.
   */
  async save(event) {
    event.preventDefault();
    const form = event.target;
    const values = formValues(form);
    const latitude = coordinate(values.latitude, 90);
    const longitude = coordinate(values.longitude, 180);
    const notes = {};
    for (const [degrees, field] of [[latitude, LATITUDE], [longitude, LONGITUDE]]) {
      if (Number.isNaN(degrees)) {
        notes[field.id] = noteOn(field, t(field.rule));
      }
    }
    if (Object.keys(notes).length === 0 && (latitude === null) !== (longitude === null)) {
      const missing = latitude === null ? LATITUDE : LONGITUDE;
      notes[missing.id] = noteOn(missing, t('adminSites.rule.pair'));
    }
    if (Object.keys(notes).length > 0) {
      await this.mark(form, notes);
      return;
    }
    const body = {
      code: values.code, name: values.name, timezone: values.timezone, address: values.address, latitude, longitude,
    };
    if (this.siteId === 'new') {
      const created = await this.send(form, SITE_FIELDS, () => request('POST', '/api/v1/sites', body), t('adminSites.created'));
      if (created) {
        location.hash = `#/admin/sites/${created.id}`;
      }
      return;
    }
    const saved = await this.send(form, SITE_FIELDS, () => request('PUT', `/api/v1/sites/${this.site.id}`,
      { ...body, version: this.site.version }), t('admin.saved'));
    if (saved) {
      this.site = saved;
    }
  }

  render() {
    const creating = this.siteId === 'new';
    if (!creating && !this.site) {
      return html`<h1 tabindex="-1">${t('adminSites.title')}</h1>${this.feedback()}${this.error ? '' : html`<p>${t('app.loading')}</p>`}`;
    }
    const site = this.site || {};
    const zones = Intl.supportedValuesOf?.('timeZone') ?? [];
    return html`
      <p><a href="#/admin/sites">← ${t('adminSites.title')}</a></p>
      <h1 tabindex="-1">${creating ? t('adminSites.new') : `${site.code} ${site.name}`}</h1>
      ${this.feedback()}
      <form class="section" @submit=${(e) => this.save(e)} data-testid="site-form">
        <div class="pair">
          <div><label for="site-code">${t('adminSites.code')}</label>
            <input id="site-code" name="code" required .value=${site.code ?? ''} autocapitalize="characters" autocomplete="off"
              aria-invalid=${this.invalid('site-code')} aria-describedby=${this.describedBy('site-code', 'site-code-rule')}>
            ${this.note('site-code')}
            <p class="muted" id="site-code-rule">${t('adminSites.codeRule')}</p></div>
          <div><label for="site-name">${t('adminSites.name')}</label>
            <input id="site-name" name="name" required .value=${site.name ?? ''} autocomplete="off"
              aria-invalid=${this.invalid('site-name')} aria-describedby=${this.describedBy('site-name')}>
            ${this.note('site-name')}</div>
        </div>
        <label for="site-timezone">${t('adminSites.timezone')}</label>
        <input id="site-timezone" name="timezone" required list="time-zones" .value=${site.timezone ?? 'Europe/Berlin'} autocomplete="off"
          aria-invalid=${this.invalid('site-timezone')} aria-describedby=${this.describedBy('site-timezone')}>
        ${this.note('site-timezone')}
        <datalist id="time-zones">${zones.map((zone) => html`<option value=${zone}></option>`)}</datalist>
        <label for="site-address">${t('adminSites.address')}</label>
        <textarea id="site-address" name="address" required .value=${site.address ?? ''}
          aria-invalid=${this.invalid('site-address')} aria-describedby=${this.describedBy('site-address')}></textarea>
        ${this.note('site-address')}
        <div class="pair">
          <div><label for="site-latitude">${t('adminSites.latitude')}</label>
            <input id="site-latitude" name="latitude" inputmode="decimal" .value=${site.latitude ?? ''} autocomplete="off"
              aria-invalid=${this.invalid('site-latitude')} aria-describedby=${this.describedBy('site-latitude', 'site-position-rule')}>
            ${this.note('site-latitude')}</div>
          <div><label for="site-longitude">${t('adminSites.longitude')}</label>
            <input id="site-longitude" name="longitude" inputmode="decimal" .value=${site.longitude ?? ''} autocomplete="off"
              aria-invalid=${this.invalid('site-longitude')} aria-describedby=${this.describedBy('site-longitude', 'site-position-rule')}>
            ${this.note('site-longitude')}</div>
        </div>
        <p class="muted" id="site-position-rule">${t('adminSites.positionRule')}</p>
        <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>${creating ? t('adminSites.create') : t('admin.save')}</button></div>
      </form>`;
  }
}

/** The portfolios (groups of sites that managers answer for), and one portfolio's name and sites. */
class FbPortfolios extends AdminForm {
  static properties = {
    ...AdminForm.properties,
    portfolioId: { attribute: false },
    portfolios: { state: true },
    sites: { state: true },
  };

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  async load() {
    await this.attempt(async () => {
      const [portfolios, sites] = await Promise.all([request('GET', '/api/v1/portfolios'), everything('/api/v1/sites')]);
      this.portfolios = portfolios.sort((a, b) => a.name.localeCompare(b.name));
      this.sites = sites.sort((a, b) => a.code.localeCompare(b.code));
    });
  }

  firstUpdated() {
    focusHeading(this);
  }

  updated(changed) {
    if (changed.has('portfolioId') && changed.get('portfolioId') !== undefined) {
      this.error = null;
      this.message = null;
      this.notes = {};
      focusHeading(this);
    }
  }

  async save(event, portfolio) {
    event.preventDefault();
    const form = event.target;
    const body = { name: formValues(form).name, siteIds: checked(form, 'site') };
    if (!portfolio) {
      const created = await this.send(form, PORTFOLIO_FIELDS, () => request('POST', '/api/v1/portfolios', body),
        t('portfolios.created'));
      if (created) {
        await this.load();
        this.message = t('portfolios.created');
        location.hash = `#/admin/portfolios/${created.id}`;
      }
      return;
    }
    const saved = await this.send(form, PORTFOLIO_FIELDS, () => request('PUT', `/api/v1/portfolios/${portfolio.id}`,
      { ...body, version: portfolio.version }), t('admin.saved'));
    if (saved) {
      this.portfolios = this.portfolios.map((p) => (p.id === saved.id ? saved : p));
    }
  }

  render() {
    if (!this.portfolios) {
      return html`<h1 tabindex="-1">${t('portfolios.title')}</h1>${this.feedback()}${this.error ? '' : html`<p>${t('app.loading')}</p>`}`;
    }
    if (this.portfolioId) {
      return this.editor(this.portfolios.find((p) => p.id === this.portfolioId));
    }
    const codes = new Map(this.sites.map((site) => [site.id, site.code]));
    return html`
      <h1 tabindex="-1">${t('portfolios.title')}</h1>
      <div class="actions"><a class="button primary" href="#/admin/portfolios/new">+ ${t('portfolios.new')}</a></div>
      ${this.feedback()}
      ${this.portfolios.length === 0 ? html`<p class="empty">${t('portfolios.none')}</p>` : ''}
      <ul class="rows" data-testid="portfolios">
        ${this.portfolios.map((portfolio) => html`
          <li><a class="row" href="#/admin/portfolios/${portfolio.id}">
            <strong>${portfolio.name}</strong>
            <span class="muted">${portfolio.siteIds.map((id) => codes.get(id) ?? '').filter(Boolean).join(', ')
              || t('portfolios.noSites')}</span>
          </a></li>`)}
      </ul>`;
  }

  editor(portfolio) {
    const creating = this.portfolioId === 'new';
    if (!creating && !portfolio) {
      return html`<h1 tabindex="-1">${t('portfolios.title')}</h1><p class="empty">${t('admin.notFound')}</p>`;
    }
    const mine = new Set(portfolio?.siteIds || []);
    return html`
      <p><a href="#/admin/portfolios">← ${t('portfolios.title')}</a></p>
      <h1 tabindex="-1">${creating ? t('portfolios.new') : portfolio.name}</h1>
      ${this.feedback()}
      <form class="section" @submit=${(e) => this.save(e, portfolio)} data-testid="portfolio-form">
        <label for="portfolio-name">${t('portfolios.name')}</label>
        <input id="portfolio-name" name="name" required .value=${portfolio?.name ?? ''} autocomplete="off"
          aria-invalid=${this.invalid('portfolio-name')} aria-describedby=${this.describedBy('portfolio-name')}>
        ${this.note('portfolio-name')}
        <fieldset class="choices"><legend>${t('portfolios.sites')}</legend>
          ${this.sites.map((site) => html`
            <label class="check"><input type="checkbox" name="site" value=${site.id} ?checked=${mine.has(site.id)}>
              <span class="code">${site.code}</span> ${site.name}</label>`)}
        </fieldset>
        <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>${creating ? t('portfolios.create') : t('admin.save')}</button></div>
      </form>`;
  }
}

customElements.define('fb-users', FbUsers);
customElements.define('fb-user', FbUser);
customElements.define('fb-admin-sites', FbAdminSites);
customElements.define('fb-admin-site', FbAdminSite);
customElements.define('fb-portfolios', FbPortfolios);
