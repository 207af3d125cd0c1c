// Offline first (issue 3): after one online login the app starts with no network, keeps what the doctor
// records across reloads, and syncs it by itself when the network returns.
import { test, expect } from '@playwright/test';
import { addResident, addVisit, idNumber, login, openAsTownship, shot, waitHydrated, waitShellCached, waitSynced, unlock } from './helpers';

test('doctor1 starts offline, records a resident and a follow-up, and they sync when the network returns', async ({ context, page, browser }) => {
  await login(page, 'doctor1');
  await waitShellCached(page);

  // No network: close the app and open it again.
  await context.setOffline(true);
  await page.close();
  const app = await context.newPage();
  await app.goto('/');
  await waitHydrated(app);
  await unlock(app);
  await expect(app).toHaveURL(/\/today$/);
  await expect(app.getByTestId('today-overdue')).toBeVisible();
  await app.getByTestId('tab-residents').click();
  await expect(app.getByTestId('total')).toHaveText(/共 \d+ 人/);
  await expect(app.getByTestId('sync-badge')).toHaveText('离线');
  await shot(app, '10-offline-cold-start');

  const name = `离线${Date.now() % 100000}`;
  const seq = 100 + (Date.now() % 800);
  await addResident(app, name, idNumber('1962-07-09', seq % 2 === 1 ? seq : seq + 1));
  await expect(app.getByTestId('sync-pending')).toBeVisible();
  await addVisit(app, '136');
  await expect(app.getByTestId('visit-history').getByTestId('sync-pending')).toBeVisible();
  await expect(app.getByTestId('sync-badge')).toHaveText('离线 · 2 条待同步');

  // Reload, still offline: both are still there, still pending.
  await app.reload();
  await waitHydrated(app);
  await unlock(app);
  await expect(app.getByTestId('resident-name')).toHaveText(name);
  await expect(app.getByTestId('visit-history').locator('li').first()).toContainText('136/82');
  await expect(app.getByTestId('sync-pending')).toHaveCount(2);
  await shot(app, '11-offline-pending');

  // The network returns: they sync without a click.
  await context.setOffline(false);
  await waitSynced(app);
  await expect(app.getByTestId('sync-pending')).toHaveCount(0);
  await expect(app.getByText('同步后生成')).toHaveCount(0);
  await shot(app, '12-synced');

  // The township manager sees them on the server.
  const { context: manager, page: m } = await openAsTownship(browser, name);
  await expect(m.getByTestId('visit-history').locator('li')).toHaveCount(1);
  await expect(m.getByTestId('visit-history').locator('li').first()).toContainText('136/82');
  await shot(m, '13-township-sees-synced');
  await manager.close();
});
