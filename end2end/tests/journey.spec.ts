// The first journey of a village doctor, online: log in, add a resident (an invalid ID is caught first),
// record a hypertension follow-up, see it in the history; another village's doctor cannot open the record.
import { test, expect } from '@playwright/test';
import { idNumber, login, shot, waitHydrated, waitSynced, unlock } from './helpers';

test('doctor1 adds a resident and records a hypertension follow-up; doctor3 cannot open it', async ({ page }) => {
  await login(page, 'doctor1');
  await shot(page, '01-resident-list');
  // The list pages through the village and searches by the ID number's last digits.
  await expect(page.locator('.pager span')).toHaveText(/^1 \/ \d+$/);
  await page.getByRole('button', { name: '下一页' }).click();
  await expect(page.locator('.pager span')).toHaveText(/^2 \/ \d+$/);
  await expect(page.locator('.resident-list .mono').filter({ hasText: '*' }).first()).toHaveText(/^410999\*{8}\d{3}[\dX]$/);

  // Add a resident; a wrong check digit is refused on the field.
  await page.getByTestId('add-resident').click();
  await expect(page.getByRole('heading', { name: '新建健康档案' })).toBeVisible();
  await waitHydrated(page);
  const name = `测试${Date.now() % 100000}`;
  await page.locator('input[name=name]').fill(name);
  await page.locator('input[name=id_no]').fill('110101198001010011');
  await page.getByTestId('save-resident').click();
  const idError = page.locator('[data-field=id_no] .field-error');
  await expect(idError).toContainText('校验位');
  await shot(page, '02-id-check-digit-error');

  // A valid ID fills in birth date and sex.
  const seq = 100 + (Date.now() % 800);
  const id = idNumber('1958-03-14', seq % 2 === 1 ? seq : seq + 1);
  await page.locator('input[name=id_no]').fill(id);
  await expect(page.locator('[data-field=id_no] .hint')).toContainText('1958-03-14');
  await expect(page.locator('input[name=birth_date]')).toHaveValue('1958-03-14');
  await page.locator('input[name=address]').fill('三组8号');
  await page.locator('select[name=education]').selectOption('7');
  await page.locator('select[name=occupation]').selectOption('4');
  await page.locator('select[name=marital]').selectOption('2');
  await page.locator('input[name=flags][value=HTN]').check();
  await shot(page, '03-resident-form');
  await page.getByTestId('save-resident').click();

  await expect(page.getByTestId('resident-name')).toHaveText(name);
  await expect(page.getByText(id)).toBeVisible();
  await expect(page.getByTestId('no-visits')).toBeVisible();
  const residentUrl = page.url();
  await shot(page, '04-resident-page');

  // Record a hypertension follow-up.
  await page.getByTestId('new-htn-visit').click();
  await expect(page.getByRole('heading', { name: '高血压患者随访' })).toBeVisible();
  await waitHydrated(page);
  await page.locator('input[name=symptoms][value="1"]').check();
  await page.locator('input[name=sbp]').fill('185');
  await page.locator('input[name=dbp]').fill('95');
  await expect(page.getByTestId('urgent-banner')).toContainText('需紧急转诊');
  await page.locator('input[name=sbp]').fill('152');
  await expect(page.getByTestId('urgent-banner')).toBeHidden();
  await page.locator('input[name=height_cm]').fill('165');
  await page.locator('input[name=weight]').fill('70');
  await expect(page.getByTestId('bmi')).toContainText('25.7');
  await page.locator('input[name=heart_rate]').fill('78');
  await page.locator('input[name=smoking]').fill('0');
  await page.locator('input[name=drinking]').fill('0');
  await page.locator('select[name=salt]').selectOption('2');
  await page.locator('select[name=adherence]').selectOption('1');
  // The rules suggest "not controlled" and a two-week revisit.
  await expect(page.locator('select[name=classification]')).toHaveValue('2');
  await expect(page.locator('select[name=next_mgmt]')).toHaveValue('2');
  await shot(page, '05-htn-form');
  await page.getByTestId('save-visit').click();

  // Back on the resident page, the visit heads the history.
  await expect(page.getByTestId('visit-history')).toBeVisible();
  const first = page.getByTestId('visit-history').locator('li').first();
  await expect(first).toContainText('152/95');
  await expect(first).toContainText('控制不满意');
  await shot(page, '06-visit-history');
  // Saved to the phone first, then synced on its own while online.
  await waitSynced(page);
  await expect(first.getByTestId('sync-pending')).toHaveCount(0);

  // Correct the visit: a new revision replaces it in the history.
  await first.getByTestId('correct-visit').click();
  await expect(page.getByRole('heading', { name: '更正高血压随访' })).toBeVisible();
  await waitHydrated(page);
  await expect(page.locator('input[name=sbp]')).toHaveValue('152');
  await page.locator('input[name=sbp]').fill('148');
  await page.getByTestId('save-visit').click();
  const corrected = page.getByTestId('visit-history').locator('li');
  await expect(corrected).toHaveCount(1);
  await expect(corrected.first()).toContainText('148/95');
  await expect(corrected.first()).toContainText('已更正');

  // Log out; doctor3 (another township) cannot open the record: the server never sends it to that phone,
  // and asking the server for it directly is refused.
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await login(page, 'doctor3');
  await page.goto(residentUrl);
  await unlock(page);
  await expect(page.getByTestId('error')).toHaveText('记录不存在');
  await expect(page.getByText(name)).toHaveCount(0);
  const residentId = residentUrl.split('/').pop();
  const direct = await page.request.post('/api/get_resident', { data: { id: residentId } });
  expect(direct.status()).toBe(403);
  await shot(page, '07-doctor3-forbidden');
});

test('the interface switches to English and back', async ({ page }) => {
  await login(page, 'doctor2');
  await page.getByRole('button', { name: /切换语言/ }).click();
  await expect(page.getByRole('heading', { name: 'Residents' })).toBeVisible();
  await page.reload();
  await unlock(page);
  await expect(page.getByRole('heading', { name: 'Residents' })).toBeVisible();
  await page.getByRole('button', { name: /切换语言/ }).click();
  await expect(page.getByRole('heading', { name: '居民健康档案' })).toBeVisible();
});

test('the app is an installable PWA with a service worker', async ({ page, request }) => {
  const manifest = await (await request.get('/manifest.webmanifest')).json();
  expect(manifest.lang).toBe('zh-CN');
  expect(manifest.icons.length).toBeGreaterThan(0);
  expect((await request.get(manifest.icons[0].src)).ok()).toBeTruthy();
  await page.goto('/login');
  const registered = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return reg.active !== null;
  });
  expect(registered).toBeTruthy();
});

test('a township manager reaches the conflict review page', async ({ page }) => {
  await login(page, 'township1');
  await page.getByTestId('conflicts-link').click();
  await expect(page.getByRole('heading', { name: '档案修改冲突' })).toBeVisible();
  await expect(page.getByTestId('no-conflicts').or(page.getByTestId('conflicts'))).toBeVisible();
  await shot(page, '08-conflicts');
});
