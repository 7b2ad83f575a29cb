import { html } from 'lit';
import { t } from '../messages.js';

const ICONS = { DRAFT: '✎', SUBMITTED: '➜', RETURNED: '↩', APPROVED: '✓' };

/** A report's status in word and symbol as well as colour; "waiting to sync" when the device has changes of it. */
export function statusBadge(status, waiting) {
  return html`<span class="badge badge-${status.toLowerCase()}"><span aria-hidden="true">${ICONS[status]}</span>
    ${t('status.' + status)}</span>${waiting
    ? html` <span class="badge badge-waiting"><span aria-hidden="true">⟳</span> ${t('status.waiting')}</span>` : ''}`;
}
