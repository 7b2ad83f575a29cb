// The web app's entry: the components, the sync engine, and the Service Worker that keeps the app offline.
import './components/fb-app.js';
