// ICL Playground's service worker: keeps the page's own files (HTML, JS, wasm, CSS) so a
// second visit starts without a network. Network first, the cached copy when offline. Model
// files are not handled here: the model worker caches them itself, keyed by SHA-256.
// A response is cached only when its content type is what the file's name says (a captive
// portal's HTML served as `.wasm` is not); older versions of this cache are removed.
const PREFIX = 'icl-playground-shell-';
const SHELL = PREFIX + 'v2';

// What a file's extension must be served as; anything else ending in `/` is the page.
const TYPES = { js: 'javascript', wasm: 'application/wasm', css: 'text/css', json: 'json', webmanifest: 'json', svg: 'image/svg+xml', html: 'text/html' };

function expectedType(url) {
  const path = new URL(url, location.href).pathname;
  if (path.endsWith('/')) return 'text/html';
  const ext = path.split('.').pop();
  return TYPES[ext] || null;
}

function cacheable(url, resp) {
  const want = expectedType(url);
  const got = resp.headers.get('content-type') || '';
  return resp.ok && want !== null && got.includes(want);
}

async function keep(cache, url, resp) {
  if (!cacheable(url, resp)) return;
  // A full quota only costs the offline copy.
  try { await cache.put(url, resp); } catch (e) { console.warn('not cached:', url, e); }
}

async function precache() {
  const cache = await caches.open(SHELL);
  const page = await fetch('./', { cache: 'no-cache' });
  if (!cacheable('./', page)) return;
  const html = await page.clone().text();
  await keep(cache, './', page);
  // The trainer worker's files (the training code) are left out: a first visit downloads only
  // what it runs. They are kept below, when the visitor first trains or tunes.
  const assets = new Set(['worker.js', 'worker_bg.wasm', 'worker_loader.js', 'favicon.svg', 'manifest.webmanifest']);
  for (const m of html.matchAll(/["'](\/?[\w.\-\/]+\.(?:js|wasm|css))["']/g)) assets.add(m[1]);
  await Promise.all([...assets].map(async (url) => {
    const r = await fetch(url, { cache: 'no-cache' });
    await keep(cache, url, r);
  }));
}

async function evictOld() {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== SHELL) await caches.delete(name);
  }
}

async function cachedOr(req, url, fallback) {
  const page = url.pathname.endsWith('/') ? './' : req;
  return (await caches.match(req, { ignoreSearch: true })) || (await caches.match(page)) || fallback;
}

self.addEventListener('install', (e) => { e.waitUntil(precache().catch(() => {})); self.skipWaiting(); });
self.addEventListener('activate', (e) => e.waitUntil(evictOld().catch(() => {}).then(() => self.clients.claim())));
self.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== location.origin || url.pathname.includes('/models/')) return;
  e.respondWith(
    fetch(req)
      .then((resp) => {
        if (cacheable(req.url, resp)) {
          const copy = resp.clone();
          caches.open(SHELL).then((c) => keep(c, req.url, copy)).catch(() => {});
          return resp;
        }
        // A server error, or the wrong kind of file: the cached copy if there is one.
        return resp.status >= 500 || (resp.ok && expectedType(req.url) !== null) ? cachedOr(req, url, resp) : resp;
      })
      .catch(() => cachedOr(req, url, Response.error())),
  );
});
