// Budget: Lighthouse (mobile preset, its default simulated throttling: slow 4G, 4x CPU) on the login page and
// on a doctor's Today page, median of three runs each: performance >= 90, accessibility >= 95, best practices
// >= 95. Drives Debian's chromium through puppeteer-core (no browser download).
//
// Today is opened as a doctor opens the app each morning: logged in, the phone's store already synced, the
// HTTP cache and the service worker's caches emptied first (a cold load from the network), then the PIN is
// entered. The navigation step scores the load; a snapshot after the PIN scores the Today list itself
// (accessibility and best practices: a snapshot has no performance score).
//
// Usage: node budgets/lighthouse.mjs <base URL>   (prints a Markdown table; exit 1 if a budget fails)
import lighthouse, { startFlow } from 'lighthouse';
import puppeteer from 'puppeteer-core';

const BASE = process.argv[2] ?? process.env.CUNYI_BASE_URL ?? 'http://127.0.0.1:3000';
const RUNS = Number(process.env.CUNYI_LIGHTHOUSE_RUNS ?? 3);
const PIN = '482913';
const BUDGET = { performance: 90, accessibility: 95, 'best-practices': 95 };
const CATEGORIES = Object.keys(BUDGET);

const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
});

const scores = (lhr) => Object.fromEntries(CATEGORIES.filter((c) => lhr.categories[c]?.score != null)
  .map((c) => [c, Math.round(lhr.categories[c].score * 100)]));
const metrics = (lhr) => ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time',
  'cumulative-layout-shift', 'speed-index'].map((a) => lhr.audits[a]?.displayValue ?? '-').join(' / ');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const failedAudits = (lhr, category) => lhr.categories[category].auditRefs
  .filter((r) => r.weight > 0 && lhr.audits[r.id].score !== null && lhr.audits[r.id].score < 1)
  .map((r) => r.id);

async function loginPageRun() {
  const page = await browser.newPage();
  const result = await lighthouse(`${BASE}/login`, { output: 'json', onlyCategories: CATEGORIES, logLevel: 'error' }, undefined, page);
  await page.close();
  return result.lhr;
}

async function doctorPhone() {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  await page.waitForSelector('body[data-hydrated=true]');
  await page.type('input[name=username]', 'doctor1');
  await page.type('input[name=password]', 'cunyi-demo');
  await page.click('form button[type=submit]');
  await unlock(page, true);
  await page.waitForFunction(() => document.querySelector('[data-testid=sync-badge]')?.textContent === '已同步', { timeout: 60_000 });
  return page;
}

async function unlock(page, first) {
  await page.waitForSelector('[data-testid=pin-screen][data-ready=true]', { timeout: 60_000 });
  await page.type('input[name=pin]', PIN);
  if (first) await page.type('input[name=pin_again]', PIN);
  await page.click('[data-testid=pin-submit]');
  await page.waitForSelector('[data-testid=pin-screen]', { hidden: true, timeout: 60_000 });
}

async function todayRun(page) {
  const cdp = await page.createCDPSession();
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Storage.clearDataForOrigin', { origin: new URL(BASE).origin, storageTypes: 'service_workers,cache_storage' });
  await cdp.detach();
  // Keeps the phone's store (IndexedDB, the PIN record) and the session: a reset would make it a new phone.
  const flow = await startFlow(page, { flags: { disableStorageReset: true, onlyCategories: CATEGORIES, logLevel: 'error' } });
  await flow.navigate(`${BASE}/today`);
  await flow.startTimespan({ name: 'PIN' });
  await unlock(page, false);
  await page.waitForSelector('[data-testid=today-overdue]', { timeout: 60_000 });
  await flow.endTimespan();
  await flow.snapshot({ name: 'Today list' });
  const { steps } = await flow.createFlowResult();
  return { load: steps[0].lhr, list: steps[2].lhr };
}

const rows = [];
const failures = [];
function judge(label, lhrs, categories = CATEGORIES) {
  const each = lhrs.map(scores);
  for (const c of categories) {
    const values = each.map((s) => s[c]).filter((v) => v !== undefined);
    if (!values.length) continue;
    const m = median(values);
    rows.push(`| ${label} | ${c} | ${m} (${values.join(', ')}) | ≥ ${BUDGET[c]} |`);
    if (m < BUDGET[c]) {
      const worst = lhrs[each.findIndex((s) => s[c] === m)] ?? lhrs[0];
      failures.push(`budget "Lighthouse ${c} ≥ ${BUDGET[c]}" on ${label}: median ${m} (failing audits: ${failedAudits(worst, c).join(', ')})`);
    }
  }
}

try {
  const login = [];
  for (let i = 0; i < RUNS; i++) login.push(await loginPageRun());
  judge('login page', login);
  const page = await doctorPhone();
  const loads = [];
  const lists = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await todayRun(page);
    loads.push(r.load);
    lists.push(r.list);
  }
  judge('Today, cold load (PIN screen)', loads);
  // A snapshot's performance score covers a handful of audits of a still page: not the load budget.
  judge('Today list after the PIN (snapshot)', lists, ['accessibility', 'best-practices']);
  console.log('| page | category | median (runs) | budget |\n|---|---|---|---|\n' + rows.join('\n'));
  console.log(`\nmetrics (FCP / LCP / TBT / CLS / SI), first run: login ${metrics(login[0])}; Today ${metrics(loads[0])}`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
