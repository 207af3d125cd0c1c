// Duplicate persons (issue 4): a new record with the same birth date and a name one character apart from an
// existing resident's is shown with a link to that resident before it is saved, on the phone, offline.
import { test, expect } from '@playwright/test';
import { addResident, idNumber, login, shot } from './helpers';

test('doctor1 is warned about a likely duplicate before saving, offline, and can still save', async ({ context, page }) => {
  await login(page, 'doctor1');
  await context.setOffline(true);
  const n = Date.now() % 100000;
  const first = `周桂${n}`;
  const seq = 300 + (n % 600);
  await addResident(page, first, idNumber('1949-10-01', seq % 2 === 1 ? seq : seq + 1));

  // Same birth date, another ID number, one character changed in the name.
  await page.goto('/residents');
  await page.getByTestId('add-resident').click();
  await page.locator('input[name=name]').fill(`周贵${n}`);
  await page.locator('input[name=id_no]').fill(idNumber('1949-10-01', seq % 2 === 1 ? seq + 2 : seq + 3));
  await page.locator('input[name=address]').fill('五组8号');
  await page.locator('select[name=education]').selectOption('7');
  await page.locator('select[name=occupation]').selectOption('4');
  await page.locator('select[name=marital]').selectOption('2');
  await page.getByTestId('save-resident').click();
  const warning = page.getByTestId('duplicate-warning');
  await expect(warning).toContainText('可能已建档');
  await expect(warning.getByTestId('duplicate-candidate')).toHaveCount(1);
  await expect(warning.getByTestId('duplicate-candidate')).toContainText(first);
  await shot(page, '30-duplicate-warning');

  // Not the same person: saving again keeps the new record.
  await page.getByTestId('save-resident').click();
  await expect(page.getByTestId('resident-name')).toHaveText(`周贵${n}`);
  // Not flagged for a chronic disease: no follow-up form, and a hint how to get one.
  await expect(page.getByTestId('no-followup-hint')).toBeVisible();
  await expect(page.getByTestId('new-htn-visit')).toHaveCount(0);
});
