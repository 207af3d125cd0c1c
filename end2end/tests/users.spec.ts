// Accounts (issue 8): the county administrator switches doctor2 off — doctor2's open session is refused at
// once — and on again.
import { test, expect } from '@playwright/test';
import { login, shot, waitHydrated } from './helpers';

test('the county disables doctor2, whose session ends, and enables the account again', async ({ browser, page }) => {
  const doctorContext = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 360, height: 640 } });
  const doctor = await doctorContext.newPage();
  await login(doctor, 'doctor2');

  await login(page, 'county');
  await page.goto('/users');
  await waitHydrated(page);
  const row = page.getByTestId('user').filter({ has: page.locator('span', { hasText: /^doctor2$/ }) });
  await expect(row).toHaveCount(1);
  await expect(page.getByTestId('user').filter({ has: page.locator('span', { hasText: /^county$/ }) }).getByTestId('toggle-user')).toHaveCount(0);
  await row.getByTestId('toggle-user').click();
  await expect(row.getByTestId('toggle-user')).toHaveText('启用');

  // doctor2's session no longer answers.
  const me = await doctor.request.post('/api/me', { data: {}, headers: { Accept: 'application/json' } });
  expect(await me.json()).toBeNull();
  const pull = await doctor.request.post('/api/sync/v1/pull', { data: { protocol: 1, cursor: 0, limit: 1 } });
  expect(pull.status()).toBe(401);

  await row.getByTestId('toggle-user').click();
  await expect(row.getByTestId('toggle-user')).toHaveText('停用');
  await doctorContext.close();
});

test("the county administrator finds in the audit log the records a doctor's phone pulled", async ({ page }) => {
  await login(page, 'doctor2');
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await login(page, 'county');
  await page.getByTestId('tab-audit').click();
  await expect(page.getByRole('heading', { name: '审计日志' })).toBeVisible();
  await page.getByTestId('audit-user').fill('doctor2');
  await page.getByTestId('audit-action').selectOption('read');
  await page.getByTestId('audit-search').click();
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toContainText('查看 · 同步下载');
  await expect(rows.first()).toContainText('doctor2');
  await expect(rows).toHaveCount(50);
  await expect(page.getByTestId('audit-more')).toBeVisible();
  await shot(page, '82-audit-log');
});
