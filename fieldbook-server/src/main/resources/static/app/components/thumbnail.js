import { html } from 'lit';
import { t } from '../messages.js';

/**
 * A photo's thumbnail from {@code source}, named {@code name}. One the browser cannot load (offline, on a device that
 * never showed it) gives way to a note that it shows when online, in place of a broken image with its name in large
 * type; it is asked for again when the network is back.
 */
export function thumbnail(source, name) {
  // the note does not repeat the name: the caption beside it says it (and a second copy of it is a second match)
  return html`<img src=${source} alt=${name} @error=${unavailable}><span class="thumbnail-offline">
    <span aria-hidden="true">▣</span>${t('photos.whenOnline')}</span>`;
}

function unavailable(event) {
  const image = event.target;
  image.classList.add('failed');
  window.addEventListener('online', () => {
    image.classList.remove('failed');
    image.src = image.getAttribute('src');
  }, { once: true });
}
