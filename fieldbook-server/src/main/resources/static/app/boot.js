// Runs before the app's modules, as a plain script: when the app has not come up some seconds after the page
// loaded (one of its files did not arrive, as on a poor signal without the Service Worker's copy), the page
// says so and offers to load it again, instead of staying blank. Its text is in index.html: the message
// catalogue is a module of the app, which may be the very file that did not arrive.
window.addEventListener('load', () => {
  setTimeout(() => {
    if (customElements.get('fb-app')) {
      return;
    }
    const notLoaded = document.getElementById('not-loaded');
    notLoaded.hidden = false;
    notLoaded.querySelector('button').addEventListener('click', () => location.reload());
  }, 8000);
});
