// Township and county views (issue 6): a follow-up recorded offline is reviewed by the township, returned with
// a comment, corrected on the phone and reviewed; the county sees the rates move and downloads the month's
// workbook, which is read back and matches the screen.
import { test, expect, Browser, Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { addResident, addVisit, idNumber, login, shot, waitHydrated, waitSynced } from './helpers';

async function as(browser: Browser, username: string): Promise<{ close: () => Promise<void>; page: Page }> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await login(page, username);
  return { close: () => context.close(), page };
}

/** The county's dashboard for this month with the charts on `ind`; returns the county total's numerator. */
async function countyFigure(page: Page, ind: string): Promise<number> {
  await page.goto(`/dashboard?ind=${ind}`);
  await waitHydrated(page);
  const row = page.getByTestId(`ind-${ind}`);
  await expect(row).toBeVisible();
  return Number((await row.locator('td.num').first().innerText()).trim());
}

async function syncNow(page: Page) {
  await page.locator('nav.tabs a[href="/sync"]').click();
  await page.getByTestId('sync-now').click();
  await waitSynced(page);
}

test('a visit goes from the phone through review and correction to the county report and its workbook', async ({ browser, context, page }) => {
  test.setTimeout(180_000);
  const county = await as(browser, 'county');
  const before = await countyFigure(county.page, 'htn_registry');
  await expect(county.page.getByTestId('ranking').locator('li')).toHaveCount(3);

  // doctor1 records a new patient and a follow-up offline, then syncs.
  await login(page, 'doctor1');
  await context.setOffline(true);
  const name = `审核测试${Date.now() % 100000}`;
  await addResident(page, name, idNumber('1962-03-04', Date.now() % 1000));
  await addVisit(page, '136');
  await context.setOffline(false);
  await waitSynced(page);

  // township1 finds it in the queue, opens it and returns it with a comment.
  const t = await as(browser, 'township1');
  await t.page.getByTestId('tab-review').click();
  await waitHydrated(t.page);
  const item = t.page.getByTestId('review-item').filter({ hasText: name });
  await expect(item).toHaveCount(1);
  await expect(item).toHaveAttribute('data-state', 'pending');
  await item.locator('button.row-button').click();
  const panel = t.page.getByTestId('review-entry');
  await expect(panel).toContainText('sbp');
  await expect(panel).toContainText('136');
  await panel.locator('textarea[name=comment]').fill('请复测血压，填写体重');
  await panel.getByTestId('review-return').click();
  await expect(item).toHaveCount(0);
  await shot(t.page, '60-review-returned');

  // The doctor's next sync brings the comment to Today; the doctor corrects the visit and syncs again.
  await syncNow(page);
  await page.getByTestId('tab-today').click();
  const returned = page.getByTestId('today-returned').getByTestId('returned-entry').filter({ hasText: name });
  await expect(returned).toHaveCount(1);
  await expect(returned.getByTestId('returned-comment')).toContainText('请复测血压，填写体重');
  await shot(page, '61-today-returned');
  await returned.locator('a').click();
  await expect(page.getByRole('heading', { name: '更正高血压随访' })).toBeVisible();
  await waitHydrated(page);
  await page.locator('input[name=sbp]').fill('130');
  await page.getByTestId('save-visit').click();
  await expect(page.getByTestId('visit-history').locator('li').first()).toContainText('130/82');
  await syncNow(page);
  await page.getByTestId('tab-today').click();
  await expect(page.getByTestId('returned-entry').filter({ hasText: name })).toHaveCount(0);

  // Back in township1's queue as corrected; marked reviewed.
  await t.page.locator('select[name=state]').selectOption('resubmitted');
  const again = t.page.getByTestId('review-item').filter({ hasText: name });
  await expect(again).toHaveCount(1);
  await again.locator('button.row-button').click();
  await expect(t.page.getByTestId('review-entry')).toContainText('130');
  await t.page.getByTestId('review-ok').click();
  await expect(again).toHaveCount(0);
  await t.page.locator('select[name=state]').selectOption('reviewed');
  await expect(t.page.getByTestId('review-item').filter({ hasText: name })).toHaveAttribute('data-state', 'reviewed');
  await t.close();

  // The county's figure moved by the new patient, managed this month.
  const after = await countyFigure(county.page, 'htn_registry');
  expect(after).toBe(before + 1);
  await expect(county.page.getByTestId('bar-chart')).toBeVisible();
  await shot(county.page, '62-county-dashboard');

  // The month's workbook, read back, says what the screen says.
  const [download] = await Promise.all([county.page.waitForEvent('download'), county.page.getByTestId('export-xlsx').click()]);
  const file = test.info().outputPath('report.xlsx');
  await download.saveAs(file);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.getWorksheet('汇总')!;
  const screen = new Map<string, string[]>();
  for (const tr of await county.page.locator('table.indicators tbody tr').all()) {
    const cells = (await tr.locator('td').allInnerTexts()).map((s) => s.trim());
    screen.set(cells[0], cells);
  }
  let compared = 0;
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const [label, num, den, rate] = [1, 2, 3, 4].map((c) => row.getCell(c).value);
    const shown = screen.get(String(label));
    expect(shown, String(label)).toBeDefined();
    expect(String(num)).toBe(shown![1]);
    expect(den === null ? '—' : String(den)).toBe(shown![2]);
    if (rate !== null) expect(`${Number(rate).toFixed(1)}%`).toBe(shown![3]);
    compared++;
  });
  expect(compared).toBe(screen.size);
  const htn = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === '在册高血压患者管理率')!;
  expect(Number(htn.getCell(2).value)).toBe(after);

  // The county sets this year's target for it; the row is judged against it.
  const targets = county.page.getByTestId('targets');
  await targets.locator('summary').click();
  await targets.locator('select[name=indicator]').selectOption('htn_registry');
  await targets.locator('input[name=target]').fill('50');
  await targets.getByRole('button', { name: '保存' }).click();
  await expect(county.page.getByTestId('ind-htn_registry').locator('td').nth(4)).toHaveText('≥50%');
  await county.close();
});
