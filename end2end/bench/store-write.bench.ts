// The browser side of issue 3's benchmark: a village doctor's first sync on a new phone, pulling the whole
// scope (3,000 residents and their follow-ups, ~20,000 records) and writing it to IndexedDB. The app logs
// each write ("cunyi: stored N records in X ms"); the figures are summed here and printed.
import { test, expect } from '@playwright/test';
import { login } from '../tests/helpers';

test('first sync of a 3,000-resident scope into IndexedDB', async ({ page }) => {
  const writes: { n: number; ms: number }[] = [];
  page.on('console', (m) => {
    const hit = /cunyi: stored (\d+) records in (\d+) ms/.exec(m.text());
    if (hit) writes.push({ n: Number(hit[1]), ms: Number(hit[2]) });
  });
  const started = Date.now();
  await login(page, 'doctor1');
  const wall = Date.now() - started;
  const records = writes.reduce((a, w) => a + w.n, 0);
  const ms = writes.reduce((a, w) => a + w.ms, 0);
  await page.goto('/sync');
  await expect(page.getByTestId('storage')).toContainText('MB', { timeout: 20_000 });
  const storage = await page.getByTestId('storage').textContent();
  console.log(`| browser store write (IndexedDB, headless Chromium) | ${records} records in ${writes.length} transactions, ${ms} ms = ${Math.round(records / (ms / 1000))} records/s |`);
  console.log(`| first sync on a new phone, login to synced | ${(wall / 1000).toFixed(1)} s |`);
  console.log(`| storage after the first sync | ${storage} |`);
  expect(records).toBeGreaterThan(18_000);
});
