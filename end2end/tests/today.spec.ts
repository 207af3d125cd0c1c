// Today (issue 5): the doctor's home lists overdue tasks from the demo history, offline, and recording the
// follow-up a task asks for takes it off the list at once.
import { test, expect } from '@playwright/test';
import { fillHtnVisit, login, shot, waitHydrated, unlock } from './helpers';

test('doctor1, offline, completes an overdue hypertension follow-up from Today and it leaves the list', async ({ context, page }) => {
  await login(page, 'doctor1');
  await context.setOffline(true);
  await page.getByTestId('tab-today').click();
  const overdue = page.getByTestId('today-overdue');
  await expect(overdue.getByTestId('task').first()).toBeVisible();
  await expect(overdue.getByTestId('task').first()).toContainText('逾期');
  await shot(page, '50-today');

  const htn = overdue.getByTestId('task').filter({ hasText: '高血压随访' });
  expect(await htn.count()).toBeGreaterThan(0);
  const name = (await htn.first().locator('.task-who').innerText()).trim();
  const theirs = overdue.getByTestId('task').filter({ hasText: '高血压随访' }).filter({ has: page.locator('.task-who', { hasText: name }) });
  const before = await theirs.count();
  await htn.first().locator('a').click();
  await expect(page).toHaveURL(/\/visits\/htn\/new$/);
  await fillHtnVisit(page, '128');
  await expect(page.getByTestId('resident-name')).toHaveText(name);
  // Their page by its address: another resident of the village may bear the same name.
  const theirPage = new URL(page.url()).pathname;

  await page.getByTestId('tab-today').click();
  await expect(overdue.getByTestId('task').first()).toBeVisible();
  await expect(theirs).toHaveCount(before - 1);
  // The next quarter's follow-up is a task of theirs for later, on their page.
  await page.goto(theirPage);
  await waitHydrated(page);
  await unlock(page);
  await expect(page.getByTestId('resident-name')).toHaveText(name);
  await expect(page.getByTestId('resident-tasks')).toContainText('高血压随访');
});

test('township1 gets the overdue lists of its villages from the server, grouped by village', async ({ page }) => {
  await login(page, 'township1');
  await page.getByTestId('tab-today').click();
  const overdue = page.getByTestId('today-overdue');
  await expect(overdue.getByTestId('task').first()).toBeVisible();
  await expect(overdue.getByTestId('task').first()).toContainText('逾期');
  // The township's villages head the groups.
  expect((await overdue.locator('h3.group').allInnerTexts()).length).toBeGreaterThan(1);
});
