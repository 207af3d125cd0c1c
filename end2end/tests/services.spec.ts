// Every record a village doctor keeps, offline from the start (issue 4): an urgent diabetes follow-up, a
// health-education lecture with two photos, a child's past doses and a missed-dose contact, a signed
// family-doctor contract; then online, all of it synced and seen by the township.
import { test, expect, Page } from '@playwright/test';
import { addResident, idNumber, login, openAsTownship, shot, waitHydrated, waitSynced, unlock } from './helpers';

const unique = () => Date.now() % 100000;

/** A form fits the phone's width: nothing hidden behind horizontal scrolling. */
async function fitsThePhone(page: Page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(over, 'horizontal overflow in px').toBeLessThanOrEqual(0);
}
const seqFor = (male: boolean) => { const s = 200 + (Date.now() % 700); return (s % 2 === 1) === male ? s : s + 1; };

/** The resident signs on the screen (proof of service). */
async function sign(page: Page) {
  await page.getByTestId('signature-pad').scrollIntoViewIfNeeded();
  const pad = await page.getByTestId('signature-pad').boundingBox();
  if (!pad) throw new Error('no signature pad');
  await page.mouse.move(pad.x + 20, pad.y + 60);
  await page.mouse.down();
  await page.mouse.move(pad.x + 120, pad.y + 30, { steps: 5 });
  await page.mouse.move(pad.x + 220, pad.y + 80, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByText('已签名', { exact: true })).toBeVisible();
}

/** Records a diabetes follow-up with a fasting glucose of 17.5 from the resident's page. */
async function urgentDiabetesVisit(page: Page) {
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
  await sign(page);
  await shot(page, '20-dm-urgent');
  await fitsThePhone(page);
  await page.getByTestId('save-visit').click();
  await expect(page.getByTestId('urgent-confirm')).toBeVisible();
  await page.getByTestId('save-visit').click();
  const row = page.getByTestId('visit-history').locator('li').first();
  await expect(row).toContainText('糖尿病随访');
  await expect(row).toContainText('空腹血糖 17.5 mmol/L');
  await expect(page.getByTestId('visit-history').getByTestId('sync-pending')).toBeVisible();
  await expect(row.getByTestId('proof')).toHaveText('居民已签名');
  // The urgent visit offers its referral as a record of its own, started from the visit's referral.
  await row.getByTestId('make-referral').click();
  await expect(page.locator('input[name=institution]')).toHaveValue('县人民医院内分泌科');
  await page.getByTestId('save-referral').click();
  await expect(page.getByTestId('service-referral')).toContainText('紧急 · 县人民医院内分泌科 · 空腹血糖17.5');
}

/** Enters one dose from the paper card and stays on the form for the next. */
async function dose(page: Page, vaccine: string, n: string, date: string) {
  await page.locator('select[name=vaccine]').selectOption(vaccine);
  await page.locator('select[name=dose_no]').selectOption(n);
  await page.locator('input[name=date]').fill(date);
  await page.getByTestId('save-dose-more').click();
  await expect(page.getByTestId('doses-saved')).toContainText(n);
  await expect(page.locator('select[name=vaccine]')).toHaveValue('');
}

test('doctor1 keeps every kind of record offline and township1 sees them once synced', async ({ context, page, browser }) => {
  test.setTimeout(240_000);
  await login(page, 'doctor1');
  await context.setOffline(true);

  // 1. An urgent diabetes follow-up.
  const adult = `糖友${unique()}`;
  await addResident(page, adult, idNumber('1958-04-12', seqFor(true)), ['T2DM']);
  await urgentDiabetesVisit(page);

  // 2. A lecture with two photos (compressed on the phone), its theme picked from the health-day calendar.
  await page.goto('/education');
  await unlock(page);
  await page.getByTestId('new-education').click();
  await expect(page.getByRole('heading', { name: '健康教育活动记录' })).toBeVisible();
  const theme = `合理膳食${unique()}`;
  await page.locator('input[name=date]').fill('2026-11-14');
  await expect(page.getByTestId('health-days')).toContainText('联合国糖尿病日');
  await page.getByTestId('health-days').getByText('联合国糖尿病日').click();
  await expect(page.locator('input[name=theme]')).toHaveValue('联合国糖尿病日');
  await page.locator('input[name=theme]').fill(theme);
  await page.locator('input[name=audience][value="8"]').check();
  // One of the audience linked to their record.
  await page.locator('input[name=participant_search]').fill(adult);
  await page.getByTestId('participant-option').first().click();
  await expect(page.getByTestId('participants')).toContainText(adult);
  await page.locator('input[name=audience_count]').fill('28');
  await page.locator('input[name=material_kind]').fill('糖尿病防治折页');
  await page.locator('input[name=material_count]').fill('30');
  await page.getByRole('button', { name: '添加资料' }).click();
  await page.locator('textarea[name=content]').fill('糖尿病饮食、运动与足部护理');
  await page.locator('select[name=photo_kind]').selectOption('2');
  await page.getByTestId('photo-input').setInputFiles(['tests/fixtures/banner.png', 'tests/fixtures/interaction.png']);
  await expect(page.getByTestId('taken-photos').locator('figure')).toHaveCount(2);
  await shot(page, '30-education-form');
  await fitsThePhone(page);
  await page.getByTestId('save-education').click();
  await expect(page.getByTestId('session-theme')).toHaveText(theme);
  await expect(page.getByTestId('photos').locator('figure')).toHaveCount(2);
  await expect(page.getByTestId('participants')).toContainText(adult);
  await expect(page.getByTestId('sync-pending')).toBeVisible();

  // 3. A child's past doses from the paper card (one given too early) and a missed-dose contact.
  await page.goto('/residents');
  await unlock(page);
  const child = `小宝${unique()}`;
  await addResident(page, child, idNumber('2024-03-10', seqFor(true)), []);
  await page.getByTestId('new-dose').click();
  await expect(page.getByRole('heading', { name: '录入接种记录' })).toBeVisible();
  await fitsThePhone(page);
  await dose(page, 'HepB', '1', '2024-03-10');
  await dose(page, 'BCG', '1', '2024-03-10');
  await dose(page, 'HepB', '2', '2024-04-10');
  // IPV before the minimum age of 2 months: saved, and shown as invalid.
  await dose(page, 'IPV', '1', '2024-04-20');
  await page.goBack();
  await expect(page.getByTestId('vaccination-card').getByTestId('dose')).toHaveCount(4);
  await expect(page.getByTestId('dose-invalid')).toHaveCount(1);
  await expect(page.getByTestId('dose-invalid')).toContainText('未到最小接种月龄');
  // The plan: three doses count, the third HepB is late, the early IPV is to be given again; both are tasks.
  const plan = page.getByTestId('vaccination-plan');
  await expect(plan.locator('tr[data-status=given]')).toHaveCount(3);
  await expect(plan.locator('tr', { hasText: '乙肝疫苗 3' })).toContainText('逾期需补种');
  await expect(plan.locator('tr', { hasText: '脊灰灭活疫苗 1' })).toContainText('逾期需补种');
  await expect(page.getByTestId('resident-tasks')).toContainText('乙肝疫苗 第3剂');
  await page.getByTestId('new-contact').click();
  await page.locator('select[name=outcome]').selectOption('1');
  await fitsThePhone(page);
  await page.locator('input[name=attend_date]').fill('2026-12-01');
  await page.getByTestId('save-contact').click();
  await expect(page.getByTestId('contact-log').getByTestId('contact')).toContainText('同意按约接种 2026-12-01');

  // 4. A family-doctor contract, signed on the screen.
  await page.getByTestId('new-contract').click();
  await expect(page.locator('input[name=packages][value="5"]')).toBeChecked();
  await fitsThePhone(page);
  await sign(page);
  await page.getByTestId('save-contract').click();
  await expect(page.getByTestId('contract')).toContainText('儿童服务包');
  await expect(page.getByTestId('contract').getByTestId('proof')).toHaveText('居民已签名');
  await shot(page, '31-child-offline');

  // Online: everything syncs.
  await context.setOffline(false);
  await waitSynced(page);
  await expect(page.getByTestId('sync-pending')).toHaveCount(0);

  // The township sees the follow-up, the child's card, contact and contract, and the lecture with its photos.
  const { context: manager, page: m } = await openAsTownship(browser, adult);
  await expect(m.getByTestId('visit-history').locator('li').first()).toContainText('空腹血糖 17.5 mmol/L');
  await expect(m.getByTestId('visit-history').locator('li').first().getByTestId('proof')).toHaveText('居民已签名');
  await expect(m.getByTestId('service-referral')).toContainText('县人民医院内分泌科');
  await m.goto('/residents');
  await waitHydrated(m);
  await m.locator('input[name=q]').fill(child);
  await expect(m.getByTestId('total')).toHaveText('共 1 人');
  await m.locator('.resident-list a').first().click();
  await expect(m.getByTestId('vaccination-card').getByTestId('dose')).toHaveCount(4);
  await expect(m.getByTestId('dose-invalid')).toHaveCount(1);
  await expect(m.getByTestId('contact-log')).toContainText('同意按约接种');
  await expect(m.getByTestId('contract').getByTestId('proof')).toHaveText('居民已签名');
  await shot(m, '32-township-child');
  await m.goto('/education');
  await waitHydrated(m);
  await m.getByTestId('education-list').getByText(theme).click();
  await expect(m.getByTestId('session-theme')).toHaveText(theme);
  const photos = m.getByTestId('photos').locator('img');
  await expect(photos).toHaveCount(2);
  for (const img of await photos.all()) {
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
  }
  await shot(m, '33-township-education');
  await manager.close();
});

test('doctor1 records a mental-health follow-up, a referral and an elderly check offline; township1 sees them', async ({ context, page, browser }) => {
  test.setTimeout(180_000);
  await login(page, 'doctor1');
  await context.setOffline(true);
  const name = `关怀${unique()}`;
  await addResident(page, name, idNumber('1950-06-01', seqFor(false)), ['SMI']);

  // Risk 4: the class turns 不稳定, the next visit comes within two weeks, and a referral is asked for.
  await page.getByTestId('new-smi-visit').click();
  await expect(page.getByRole('heading', { name: '严重精神障碍患者随访' })).toBeVisible();
  await page.locator('select[name=risk]').selectOption('4');
  await page.locator('select[name=insight]').selectOption('2');
  await expect(page.getByTestId('urgent-banner')).toBeVisible();
  await expect(page.locator('select[name=class]')).toHaveValue('1');
  await fitsThePhone(page);
  const inTwoWeeks = await page.evaluate(() => { const d = new Date(); d.setDate(d.getDate() + 14); return d.toLocaleDateString('sv'); });
  await expect(page.locator('input[name=next_visit_date]')).toHaveValue(inTwoWeeks);
  await page.getByTestId('save-smi').click();
  await expect(page.locator('[data-field=referral] .field-error')).toBeVisible();
  await page.locator('input[name=referral_reason]').fill('危险性4级，持续打砸');
  await page.locator('input[name=referral_institution]').fill('县精神卫生中心');
  await page.getByTestId('save-smi').click();
  await expect(page.getByTestId('service-smi_visit')).toContainText('危险性4级 · 不稳定');
  await expect(page.getByTestId('service-smi_visit').getByTestId('proof')).toHaveText('无居民确认');

  // The referral, as its own record.
  await page.getByTestId('new-referral').click();
  await page.locator('input[name=reason]').fill('危险性4级，持续打砸');
  await page.locator('input[name=institution]').fill('县精神卫生中心');
  await page.getByTestId('save-referral').click();
  await expect(page.getByTestId('service-referral')).toContainText('县精神卫生中心');

  // The annual check from 65: the self-care score and band follow the items.
  await page.getByTestId('new-elderly-check').click();
  for (const [f, v] of [['temperature', '36.6'], ['pulse', '76'], ['respiration', '18'], ['sbp', '142'], ['dbp', '84'],
    ['height_cm', '158'], ['weight', '55'], ['waist_cm', '80']]) {
    await page.locator(`input[name=${f}]`).fill(v);
  }
  await page.locator('select[name=mobility]').selectOption('Moderate');
  await page.locator('select[name=grooming]').selectOption('Mild');
  await expect(page.getByTestId('self-care-score')).toHaveText('总分 6：轻度依赖');
  await fitsThePhone(page);
  await page.getByTestId('save-elderly').click();
  await expect(page.getByTestId('service-elderly_check')).toContainText('轻度依赖 (6) · 142/84 mmHg');
  await shot(page, '34-other-services');

  await context.setOffline(false);
  await waitSynced(page);
  const { context: manager, page: m } = await openAsTownship(browser, name);
  await expect(m.getByTestId('service-smi_visit')).toContainText('危险性4级 · 不稳定');
  await expect(m.getByTestId('service-referral')).toContainText('县精神卫生中心');
  await expect(m.getByTestId('service-elderly_check')).toContainText('轻度依赖 (6)');
  await manager.close();
});
