import { LitElement, html } from 'lit';
import { request, Refused, Unreachable } from '../api.js';
import { t } from '../messages.js';

/**
 * A screen that works on the server directly (administration, the audit trail): it needs the network,
 * keeps nothing on the device, and shows a refusal in plain words next to what was asked.
 */
export class OnlineScreen extends LitElement {
  static properties = {
    error: { state: true },
    message: { state: true },
    busy: { state: true },
  };

  createRenderRoot() {
    return this;
  }

  /** Runs one request of the screen; answers its result, or null after showing why it failed. */
  async attempt(action, done = null) {
    this.busy = true;
    this.error = null;
    this.message = null;
    try {
      const answer = await action();
      this.message = done;
      return answer ?? true;
    } catch (failure) {
      this.error = problemText(failure);
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** The outcome of the last request: an error (announced at once) or a confirmation. */
  feedback() {
    return html`
      ${this.error ? html`<p class="error" role="alert" data-testid="error">${this.error}</p>` : ''}
      ${this.message ? html`<p class="confirmed" role="status" data-testid="confirmed">${this.message}</p>` : ''}`;
  }
}

/** A failure in the person's words: no network, or the server's problem with each field it named. */
export function problemText(failure) {
  if (failure instanceof Unreachable) {
    return t('online.offline');
  }
  if (failure instanceof Refused) {
    const problem = failure.problem || {};
    if (failure.status === 409 && (problem.type || '').endsWith('/stale-version')) {
      return t('online.stale');
    }
    const fields = (problem.errors || []).map((error) => t('online.field', { field: error.field, message: error.message }));
    return [problem.detail || problem.title || t('online.refused', { status: failure.status }), ...fields].join(' ');
  }
  return failure?.message || String(failure);
}

/** Every item of one of the API's paged lists ({items, total}). */
export async function everything(path, size = 500) {
  const items = [];
  for (let page = 0; page < 1000; page++) {
    const answer = await request('GET', `${path}${path.includes('?') ? '&' : '?'}page=${page}&size=${size}`);
    items.push(...(answer.items || []));
    if (items.length >= answer.total || !answer.items?.length) {
      break;
    }
  }
  return items;
}

/** The values of a form, trimmed; empty fields are null. */
export function formValues(form) {
  const values = {};
  for (const [name, value] of new FormData(form).entries()) {
    const text = typeof value === 'string' ? value.trim() : value;
    values[name] = text === '' ? null : text;
  }
  return values;
}

/** The ids checked in a form's check boxes of the given name. */
export function checked(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((box) => box.value);
}
