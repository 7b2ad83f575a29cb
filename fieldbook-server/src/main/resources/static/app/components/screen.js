import { LitElement } from 'lit';
import * as store from '../store.js';

/**
 * A screen of the app: rendered into the page's own DOM (one style sheet, app.css, for all), and loaded
 * again whenever the device's data changes, in this tab or another.
 */
export class Screen extends LitElement {
  createRenderRoot() {
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = store.onChange(() => this.load());
    this.load();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  /** Reads what the screen shows from the device's store. */
  async load() {
  }
}

/** Moves the keyboard focus to the screen's heading after navigation, for keyboard and screen reader users. */
export function focusHeading(element) {
  // a screen that shows "Loading…" first gets its heading a little later: it is waited for (a few seconds at most),
  // and then focused only if the focus is still nowhere (the person has not moved it meanwhile)
  let frames = 0;
  const attempt = () => {
    const heading = element.isConnected ? element.querySelector('h1') : null;
    if (heading) {
      if (frames === 0 || !document.activeElement || document.activeElement === document.body) {
        heading.focus();
      }
    } else if (element.isConnected && ++frames < 300) {
      requestAnimationFrame(attempt);
    }
  };
  requestAnimationFrame(attempt);
}
