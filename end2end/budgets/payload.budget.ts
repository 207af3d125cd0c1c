// Budget: the first-load payload of the release build, Brotli-compressed, at most 400 KB — on the login page
// (a new phone) and on Today (a doctor's phone opening the app). The first load is what the page fetches
// until it is hydrated: the HTML, JS, WASM, CSS and the web manifest. The parts of the app the page does not
// need (other pages' WASM) are fetched afterwards, when the phone is idle, and by the service worker for
// offline use; they are reported beside the budget, not counted in it.
import { test, expect, Page } from '@playwright/test';
import * as http from 'node:http';
import { login, waitHydrated } from '../tests/helpers';

const BUDGET_KB = 400;

/** The body's size as sent to a browser that accepts Brotli (the server picks the encoding). */
function brotliBytes(url: string, cookie: string): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': 'br', cookie } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ bytes, encoding: String(res.headers['content-encoding'] ?? 'identity') }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Paths the page fetched before it was hydrated (the document first), and those fetched after. */
async function firstLoad(page: Page): Promise<{ before: string[]; after: string[] }> {
  await waitHydrated(page);
  await page.waitForLoadState('networkidle');
  return page.evaluate(() => {
    const at = (window as any).__cunyiHydratedAt as number;
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const path = (u: string) => new URL(u).pathname;
    const own = entries.filter((e) => new URL(e.name).origin === location.origin && !path(e.name).startsWith('/api/'));
    return {
      before: [location.pathname, ...own.filter((e) => e.startTime < at).map((e) => path(e.name)), '/manifest.webmanifest'],
      after: own.filter((e) => e.startTime >= at).map((e) => path(e.name)),
    };
  });
}

async function measure(page: Page, base: string, label: string) {
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const { before, after } = await firstLoad(page);
  const rows: string[] = [];
  let total = 0;
  for (const p of [...new Set(before)]) {
    const { bytes, encoding } = await brotliBytes(base + p, cookie);
    // Anything that can be compressed must come compressed: the budget is on the wire, not on the disk.
    if (!p.endsWith('.png')) expect(encoding, `${p} sent without Brotli`).toBe('br');
    total += bytes;
    rows.push(`${p} ${(bytes / 1024).toFixed(1)} KB`);
  }
  let later = 0;
  for (const p of [...new Set(after)]) later += (await brotliBytes(base + p, cookie)).bytes;
  const kb = total / 1024;
  console.log(`| first-load payload, ${label} (Brotli) | ${kb.toFixed(1)} KB: ${rows.join(', ')} | then ${(later / 1024).toFixed(1)} KB more when idle |`);
  expect(kb, `budget "first-load payload ≤ ${BUDGET_KB} KB (Brotli)" on ${label}: measured ${kb.toFixed(1)} KB`).toBeLessThanOrEqual(BUDGET_KB);
}

test.beforeEach(async ({ page }) => {
  // The moment the app marks itself hydrated, on the page's own clock (resource start times use it too).
  await page.addInitScript(() => {
    new MutationObserver((_, o) => {
      if (document.body?.dataset.hydrated === 'true') {
        (window as any).__cunyiHydratedAt = performance.now();
        o.disconnect();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  });
});

test('the login page loads within the payload budget', async ({ page, baseURL }) => {
  await page.goto('/login');
  await measure(page, baseURL!, 'login page');
});

test("a doctor's Today page loads within the payload budget", async ({ page, baseURL }) => {
  await login(page, 'doctor1');
  // A cold open of the app: nothing in the HTTP cache or the service worker's caches.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await page.evaluate(async () => {
    for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
    for (const k of await caches.keys()) await caches.delete(k);
  });
  await page.goto('/today');
  await measure(page, baseURL!, 'Today (doctor)');
});
