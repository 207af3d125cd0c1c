// Every chronic follow-up offline (issue 4): a type-2 diabetes follow-up with an urgent glucose, recorded with
// no network from the start, warned about before saving, synced when the network returns and seen by the
// township.
import { test, expect } from '@playwright/test';
import { addResident, idNumber, login, openAsTownship, shot, waitSynced } from './helpers';

test('doctor1 records an urgent diabetes follow-up offline and township1 sees it once synced', async ({ context, page, browser }) => {
  await login(page, 'doctor1');
  await context.setOffline(true);

  const name = `糖友${Date.now() % 100000}`;
  const seq = 200 + (Date.now() % 700);
  await addResident(page, name, idNumber('1958-04-12', seq % 2 === 1 ? seq : seq + 1), ['T2DM']);
  // Enrolled in diabetes management only: the diabetes form is offered, the hypertension one is not.
  await expect(page.getByTestId('new-htn-visit')).toHaveCount(0);
  await page.getByTestId('new-dm-visit').click();
  await expect(page.getByRole('heading', { name: '2型糖尿病患者随访' })).toBeVisible();
  // The diabetes form asks for its own fields and not the hypertension-only ones.
  await expect(page.locator('select[name=salt]')).toHaveCount(0);
  await expect(page.locator('input[name=heart_rate]')).toHaveCount(0);
  await page.locator('input[name=symptoms][value="2"]').check();
  await page.locator('input[name=sbp]').fill('134');
  await page.locator('input[name=dbp]').fill('80');
  await page.locator('input[name=height_cm]').fill('162');
  await page.locator('input[name=weight]').fill('70');
  await page.locator('input[name=smoking]').fill('0');
  await page.locator('input[name=drinking]').fill('0');
  await page.locator('input[name=staple]').fill('350');
  await page.locator('select[name=adherence]').selectOption('2');
  await page.locator('input[name=fbg]').fill('17.5');

  // Glucose ≥ 16.7: the urgent banner, the suggested classification and next step follow at once.
  await expect(page.getByTestId('urgent-banner')).toContainText('血糖 17.5 mmol/L ≥ 16.7');
  await expect(page.locator('select[name=classification]')).toHaveValue('2');
  await expect(page.locator('select[name=next_mgmt]')).toHaveValue('4');
  await page.locator('input[name=referral_reason]').fill('空腹血糖17.5');
  await page.locator('input[name=referral_institution]').fill('县人民医院内分泌科');
  await shot(page, '20-dm-urgent');
  await page.getByTestId('save-visit').click();
  await expect(page.getByTestId('urgent-confirm')).toBeVisible();
  await page.getByTestId('save-visit').click();

  const row = page.getByTestId('visit-history').locator('li').first();
  await expect(row).toContainText('糖尿病随访');
  await expect(row).toContainText('空腹血糖 17.5 mmol/L');
  await expect(page.getByTestId('visit-history').getByTestId('sync-pending')).toBeVisible();
  await shot(page, '21-dm-pending');

  await context.setOffline(false);
  await waitSynced(page);
  await expect(page.getByTestId('sync-pending')).toHaveCount(0);

  const { context: manager, page: m } = await openAsTownship(browser, name);
  const seen = m.getByTestId('visit-history').locator('li').first();
  await expect(seen).toContainText('糖尿病随访');
  await expect(seen).toContainText('空腹血糖 17.5 mmol/L');
  await shot(m, '22-township-sees-dm');
  await manager.close();
});
