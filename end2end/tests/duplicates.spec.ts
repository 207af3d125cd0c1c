// Duplicate persons (issue 4): a new record with the same birth date and a name one character apart from an
// existing resident's is shown with a link to that resident before it is saved, on the phone, offline; online,
// a name that sounds the same (same pinyin) in another village of the township is named too.
import { test, expect, type Page } from '@playwright/test';
import { addResident, idNumber, login, shot, unlock, waitHydrated, waitSynced } from './helpers';

/** Fills the new-record form short of saving. */
async function fillNew(page: Page, name: string, id: string) {
  await page.goto('/residents');
  await waitHydrated(page);
  await unlock(page);
  await page.getByTestId('add-resident').click();
  await page.locator('input[name=name]').fill(name);
  await page.locator('input[name=id_no]').fill(id);
  await page.locator('input[name=address]').fill('五组8号');
  await page.locator('select[name=education]').selectOption('7');
  await page.locator('select[name=occupation]').selectOption('4');
  await page.locator('select[name=marital]').selectOption('2');
}

test('doctor1 is warned about a likely duplicate before saving, offline, and can still save', async ({ context, page }) => {
  await login(page, 'doctor1');
  await context.setOffline(true);
  const n = Date.now() % 100000;
  const first = `周桂${n}`;
  const seq = 300 + (n % 600);
  await addResident(page, first, idNumber('1949-10-01', seq % 2 === 1 ? seq : seq + 1));

  // Same birth date, another ID number, one character changed in the name.
  await fillNew(page, `周贵${n}`, idNumber('1949-10-01', seq % 2 === 1 ? seq + 2 : seq + 3));
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

test('online, doctor1 is told of a same-sounding name in doctor2\'s village, named but not opened', async ({ browser, page }) => {
  const n = Date.now() % 100000;
  const seq = 100 + (n % 400) * 2;
  // doctor2 (the next village of the same township) records 柳桂兰… and it reaches the server.
  const other = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 360, height: 640 } });
  const p2 = await other.newPage();
  await login(p2, 'doctor2');
  await addResident(p2, `柳桂兰${n}`, idNumber('1951-03-08', seq));
  await waitSynced(p2);
  await other.close();

  // doctor1 writes the name as heard, 刘贵岚… (three characters differ, the same pinyin), same birth date.
  await login(page, 'doctor1');
  await fillNew(page, `刘贵岚${n}`, idNumber('1951-03-08', seq + 2));
  await page.getByTestId('save-resident').click();
  const warning = page.getByTestId('duplicate-warning');
  await expect(warning).toContainText('可能已建档');
  const candidate = warning.getByTestId('duplicate-candidate');
  await expect(candidate).toHaveCount(1);
  await expect(candidate).toContainText(`柳桂兰${n}`);
  await expect(candidate).toContainText('外村');
  await expect(warning.locator('a')).toHaveCount(0);

  await page.getByTestId('save-resident').click();
  await expect(page.getByTestId('resident-name')).toHaveText(`刘贵岚${n}`);
});
