// Residents' own record (issue 7): doctor1 issues an activation code for a demo resident; in a fresh browser
// the resident activates with their ID number and the code, sees their record with the blood-pressure chart,
// confirms the doctor's visit, and opens the record again offline; township1 sees the confirmation in the
// review queue. The resident's pages pass axe-core with no serious or critical violation.
import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { addVisit, login, shot, waitHydrated, waitShellCached, waitSynced, unlock } from './helpers';

/** axe-core on the page as it stands: the serious and critical violations, with where they are. */
async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('a resident activates with the doctor\'s code, sees their record and confirms a visit the township then sees', async ({ browser, page }) => {
  test.setTimeout(180_000);
  // doctor1 opens a demo hypertension patient, records today's follow-up and issues a code.
  await login(page, 'doctor1');
  await page.locator('select[name=flag]').selectOption('HTN');
  await page.locator('.resident-list a').first().click();
  const name = (await page.getByTestId('resident-name').innerText()).trim();
  const idNo = (await page.locator('.resident-card .kv', { hasText: '身份证号' }).locator('dd').innerText()).trim();
  expect(idNo).toMatch(/^\d{17}[\dX]$/);
  await addVisit(page, '138');
  await waitSynced(page);
  await page.getByTestId('issue-activation').click();
  const shown = page.getByTestId('activation-code');
  await expect(shown).toHaveText(/^\d{4} \d{4}$/);
  const code = (await shown.getAttribute('data-code'))!;
  await expect(page.getByTestId('activation').locator('svg')).toBeVisible();
  await shot(page, '70-activation-code');

  // The resident, on their own phone: the QR code's address fills the code in.
  const phoneContext = await browser.newContext({
    baseURL: test.info().project.use.baseURL, viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, locale: 'zh-CN',
  });
  const phone = await phoneContext.newPage();
  // The pages' content security policy must not block anything the app itself loads.
  const refused: string[] = [];
  phone.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text()); });
  await phone.goto(`/activate?code=${code}`);
  await waitHydrated(phone);
  await expect(phone.locator('input[name=code]')).toHaveValue(code);
  expect(await seriousViolations(phone)).toEqual([]);
  await phone.locator('input[name=id_no]').fill(idNo);
  await phone.locator('input[name=password]').fill('jiankang-2026');
  await phone.locator('input[name=password2]').fill('jiankang-2026');
  await phone.getByTestId('activate').click();
  await expect(phone).toHaveURL(/\/me$/);
  await unlock(phone);

  const mine = phone.getByTestId('my-record');
  await expect(mine.getByTestId('my-name')).toHaveText(name);
  await expect(mine.getByTestId('masked-id')).toHaveText(`${idNo.slice(0, 6)}********${idNo.slice(14)}`);
  await expect(phone.getByTestId('bp-chart')).toBeVisible();
  await expect(phone.getByTestId('bp-chart').locator('circle').first()).toBeAttached();
  await expect(phone.getByTestId('care-team').getByTestId('call-doctor').first()).toHaveAttribute('href', /^tel:\d+/);
  const visit = phone.getByTestId('my-service').filter({ hasText: '138/82' });
  await expect(visit).toHaveCount(1);
  await expect(visit).toContainText('血压 138/82 mmHg');
  await visit.getByTestId('confirm-visit').click();
  await expect(visit.getByTestId('my-answer')).toHaveAttribute('data-answer', 'confirmed');
  await expect(visit.getByTestId('my-answer')).toHaveText('居民已确认');
  await shot(phone, '71-my-record');
  expect(await seriousViolations(phone)).toEqual([]);

  // Offline, the record opens from the phone's store.
  await waitShellCached(phone);
  await phoneContext.setOffline(true);
  await phone.reload();
  await waitHydrated(phone);
  await unlock(phone);
  await expect(phone.getByTestId('my-record').getByTestId('my-name')).toHaveText(name);
  await expect(phone.getByTestId('bp-chart')).toBeVisible();
  await shot(phone, '72-my-record-offline');
  expect(refused).toEqual([]);
  await phoneContext.setOffline(false);
  await phoneContext.close();

  // township1 sees the resident's confirmation beside the visit in the review queue.
  const townshipContext = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 360, height: 640 } });
  const t = await townshipContext.newPage();
  await login(t, 'township1');
  await t.getByTestId('tab-review').click();
  await waitHydrated(t);
  const item = t.getByTestId('review-item').filter({ hasText: name }).filter({ has: t.getByTestId('resident-answer') });
  await expect(item.first()).toBeVisible();
  await expect(item.first().getByTestId('resident-answer')).toHaveAttribute('data-answer', 'confirmed');
  await shot(t, '73-township-sees-confirmation');
  await townshipContext.close();
});
