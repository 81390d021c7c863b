// ICL Playground's service worker: keeps the page's own files (HTML, JS, wasm, CSS) so a
// second visit starts without a network. Network first, the cached copy when offline. Model
// files are not handled here: the model worker caches them itself, keyed by SHA-256.
const SHELL = 'icl-playground-shell-v1';

async function precache() {
  const cache = await caches.open(SHELL);
  const page = await fetch('./', { cache: 'no-cache' });
  if (!page.ok) return;
  const html = await page.clone().text();
  await cache.put('./', page);
  const assets = new Set(['worker.js', 'worker_bg.wasm']);
  for (const m of html.matchAll(/["'](\/?[\w.\-\/]+\.(?:js|wasm|css))["']/g)) assets.add(m[1]);
  await Promise.all([...assets].map(async (url) => {
    const r = await fetch(url, { cache: 'no-cache' });
    if (r.ok) await cache.put(url, r);
  }));
}

async function cachedOr(req, url, fallback) {
  const page = url.pathname.endsWith('/') ? './' : req;
  return (await caches.match(req, { ignoreSearch: true })) || (await caches.match(page)) || fallback;
}

self.addEventListener('install', (e) => { e.waitUntil(precache().catch(() => {})); self.skipWaiting(); });
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== location.origin || url.pathname.includes('/models/')) return;
  e.respondWith(
    fetch(req)
      .then((resp) => {
        if (resp.ok) { const copy = resp.clone(); caches.open(SHELL).then((c) => c.put(req, copy)); return resp; }
        // A server error: the cached copy if there is one.
        return resp.status >= 500 ? cachedOr(req, url, resp) : resp;
      })
      .catch(() => cachedOr(req, url, Response.error())),
  );
});
