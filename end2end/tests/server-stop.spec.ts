// A push cut by the server stopping mid-sync: the server has stored the entries but the phone never hears
// back. After the restart the next sync finishes the job and every entry is stored exactly once.
//
// This test runs its own server (the release binary .ci/test built, CUNYI_SERVER_BIN) on its own database,
// so it can kill it and start it again.
import { test, expect } from '@playwright/test';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addResident, addVisit, idNumber, login, waitSynced, unlock } from './helpers';

const bin = process.env.CUNYI_SERVER_BIN;
const port = Number(process.env.CUNYI_STOP_PORT ?? 3911);
const base = `http://127.0.0.1:${port}`;

function start(db: string): ChildProcess {
  return spawn(bin!, ['serve'], {
    env: { ...process.env, DATABASE_URL: `sqlite://${db}`, CUNYI_SEED_DEMO: '1', CUNYI_ADDR: `127.0.0.1:${port}`, RUST_LOG: 'warn' },
    stdio: 'ignore',
  });
}

async function up() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not start');
}

async function stopped(p: ChildProcess) {
  if (p.exitCode !== null) return;
  await new Promise((r) => { p.once('exit', r); p.kill('SIGKILL'); });
}

test('a push cut by a server stop is finished after the restart, each entry stored once', async ({ browser }) => {
  test.skip(!bin, 'CUNYI_SERVER_BIN is set by .ci/test');
  const db = join(mkdtempSync(join(tmpdir(), 'cunyi-stop-')), 'stop.db');
  let server = start(db);
  try {
    await up();
    // No service worker here: the test intercepts the page's own requests.
    const context = await browser.newContext({ baseURL: base, viewport: { width: 360, height: 640 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    await login(page, 'doctor2', { serviceWorker: false });

    // Two entries made offline.
    await context.setOffline(true);
    const name = `断点${Date.now() % 100000}`;
    const seq = 100 + (Date.now() % 800);
    await addResident(page, name, idNumber('1955-01-20', seq % 2 === 1 ? seq : seq + 1));
    await addVisit(page, '128');
    await expect(page.getByTestId('sync-pending')).toHaveCount(2);

    // Back online, the push reaches the server, which commits it; then the server dies before answering.
    let cut = 0;
    await context.route('**/api/sync/v1/push', async (route) => {
      await route.fetch();
      cut += 1;
      await stopped(server);
      await route.abort('connectionreset');
    });
    await context.setOffline(false);
    await expect.poll(() => cut, { timeout: 30_000 }).toBe(1);
    await context.unroute('**/api/sync/v1/push');
    // The phone did not hear back: the entries are still waiting.
    await expect(page.getByTestId('sync-pending')).toHaveCount(2);

    // Restart; the next sync (the button here, the timer otherwise) finishes: both come back as duplicates.
    server = start(db);
    await up();
    await page.goto('/sync');
    await unlock(page);
    await page.getByTestId('sync-now').click();
    await waitSynced(page);
    await expect(page.getByTestId('pending-count')).toHaveText('0');

    // Stored once: one record with that name, one follow-up, as the server sends them to a fresh phone.
    const fresh = await browser.newContext({ baseURL: base, viewport: { width: 360, height: 640 }, serviceWorkers: 'block' });
    const p2 = await fresh.newPage();
    await login(p2, 'doctor2', { serviceWorker: false });
    await p2.locator('input[name=q]').fill(name);
    await expect(p2.getByTestId('total')).toHaveText('共 1 人');
    await p2.locator('.resident-list a').first().click();
    await expect(p2.getByTestId('visit-history').locator('li')).toHaveCount(1);
    await fresh.close();
    await context.close();
  } finally {
    await stopped(server);
  }
});
