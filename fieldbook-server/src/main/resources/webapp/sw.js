// Fieldbook's Service Worker: keeps the app shell so that the app opens with no network.
// The server writes in the version and the list of the shell's files (see AppShell.java).
const VERSION = '__VERSION__';
const SHELL = ['__SHELL__'];
const CACHE = 'fieldbook-shell-' + VERSION;

// A phone in the field installs over whatever signal it has: each file of the shell is tried a few times,
// and the files kept by a failed install of this version are not fetched again by the next one (the page
// registers the worker again each time it opens). The install succeeds only with every file.
self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(SHELL.map(async (path) => {
      if (!(await cache.match(path))) {
        await cache.put(path, await fetchWithRetries(path));
      }
    }));
    const first = !(await self.registration.active);
    if (first) {
      await self.skipWaiting();
    }
  })());
});

// A file of the shell, read to its end (an answer cut in its body is tried again too); a refusal (4xx) is not.
async function fetchWithRetries(path) {
  for (let attempt = 1; ; attempt++) {
    let status;
    try {
      const response = await fetch(new Request(path, { cache: 'no-cache' }));
      status = response.status;
      if (response.ok) {
        return new Response(await response.blob(), { status, headers: response.headers });
      }
    } catch (failure) {
      if (attempt === 4) {
        throw failure;
      }
    }
    if (status && (status < 500 || attempt === 4)) {
      throw new Error(`${path}: ${status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
  }
}

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('fieldbook-shell-') && name !== CACHE) {
        await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

// A page with nothing waiting asks the new version to take over (the outbox lives in IndexedDB either way).
self.addEventListener('message', (event) => {
  if (event.data === 'activate-new-version') {
    self.skipWaiting();
  }
});

// Background Sync: the outbox lives in the page's sync engine, so the worker asks the open pages to sync
// and waits for their answer; with no page open, the app syncs when it is next opened. A failed sync makes
// the browser fire the event again later.
self.addEventListener('sync', (event) => {
  if (event.tag === 'fieldbook-outbox') {
    event.waitUntil(syncOpenPages());
  }
});

async function syncOpenPages() {
  const pages = await self.clients.matchAll({ type: 'window' });
  const answers = await Promise.all(pages.map(answerOf));
  if (pages.length && !answers.includes('synced')) {
    throw new Error('The pages could not sync: ' + answers.join(', '));
  }
}

/**
 * What {@code page} answers when asked to sync ('synced' or 'failed'); 'gone' as soon as it is closed, and
 * 'no answer' after a minute: the event, and the worker with it, does not outlive the pages it waits for.
 */
function answerOf(page) {
  return new Promise((resolve) => {
    const asked = Date.now();
    const watch = setInterval(async () => {
      if (!(await self.clients.get(page.id))) {
        done('gone');
      } else if (Date.now() - asked > 60_000) {
        done('no answer');
      }
    }, 1_000);
    const done = (answer) => {
      clearInterval(watch);
      resolve(answer);
    };
    const channel = new MessageChannel();
    channel.port1.onmessage = (message) => done(message.data);
    page.postMessage('sync', [channel.port2]);
  });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) {
    return;
  }
  // The app has one page (its screens are #/... addresses); other pages (Swagger UI, the API) pass.
  if (request.mode === 'navigate' && (url.pathname === '/' || url.pathname === '/index.html')) {
    event.respondWith(fromCacheFirst('/', request));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(fromCacheFirst(url.pathname, request));
  }
});

async function fromCacheFirst(path, request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(path);
  return cached || fetch(request);
}
