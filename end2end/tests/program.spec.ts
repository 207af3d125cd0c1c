// Mothers, newborns and disease reports (issue 10), on a 360×640 phone offline from the start: a delivery puts
// the newborn's and the mother's visits on Today; the newborn visit with 38.0 ℃ shows the immediate-referral
// warning; the postpartum visit clears the mother's task; a boy's check is graded against the growth standard
// and drawn on his curve, and his 6-month TCM service taken from Today; a suspected infectious-disease report waits on the
// phone with a food-poisoning event card, both flagged as not received; back online it is sent first and township1 sees the alert with the report's
// timeliness.
import { test, expect } from '@playwright/test';
import { addResident, idNumber, login, shot, unlock, waitHydrated, waitSynced } from './helpers';

test.use({ viewport: { width: 360, height: 640 } });

/** An ID-number sequence whose sex digit is female (even). */
const femaleSeq = () => { const s = 200 + (Date.now() % 700); return s % 2 === 0 ? s : s + 1; };

test('a delivery, the newborn visit and a disease report offline; the township alerted online', async ({ page, context, browser }) => {
  await login(page, 'doctor1');
  await context.setOffline(true);

  // A mother registered offline, then her delivery today.
  const mother = `产妇${Date.now() % 100000}`;
  await addResident(page, mother, idNumber('1998-03-12', femaleSeq()), []);
  await page.getByTestId('new-childbirth').click();
  await expect(page.getByRole('heading', { name: '分娩登记' })).toBeVisible();
  await page.locator('input[name=place_name]').fill('县妇幼保健院');
  await page.locator('input[name=gestation_weeks]').fill('39');
  await page.locator('select[name=baby_sex]').selectOption({ label: '女' });
  await page.locator('input[name=birth_weight_kg]').fill('3.2');
  await shot(page, '40-childbirth');
  await page.getByTestId('save-childbirth').click();

  // Today: the postpartum visit (the mother) and the newborn visit (the baby, 母亲之女) are due now.
  await expect(page).toHaveURL(/\/today$/);
  const due = page.getByTestId('today-due');
  const postpartum = due.getByTestId('task').filter({ hasText: '产后访视' }).filter({ hasText: mother });
  const newborn = due.getByTestId('task').filter({ hasText: '新生儿家庭访视' }).filter({ hasText: `${mother}之女` });
  await expect(postpartum).toHaveCount(1);
  await expect(newborn).toHaveCount(1);
  await shot(page, '41-today-mother-baby');

  // The newborn visit from its task: 38.0 ℃ means immediate referral, shown as it is typed.
  await newborn.locator('a').first().click();
  await expect(page.getByRole('heading', { name: '新生儿家庭访视' })).toBeVisible();
  await page.locator('input[name=weight_kg]').fill('3.3');
  await page.locator('input[name=heart_rate]').fill('140');
  await page.locator('input[name=respiration]').fill('40');
  await page.locator('select[name=feeding]').selectOption({ label: '纯母乳' });
  await expect(page.getByTestId('newborn-referral')).toHaveCount(0);
  await page.locator('input[name=temperature]').fill('38.0');
  const warning = page.getByTestId('newborn-referral');
  await expect(warning).toContainText('须立即转诊');
  await expect(warning).toContainText('体温 38.0 ℃（≥37.5 ℃）');
  await shot(page, '42-newborn-referral');
  // Not saved without the referral (or the reason for none); saved with it.
  await page.getByTestId('save-newborn-visit').click();
  await expect(page.locator('[data-field=referral] .field-error')).toContainText('须立即转诊');
  await page.locator('input[name=referral]').check();
  await page.locator('input[name=referral_reason]').fill('发热38.0℃');
  await page.locator('input[name=referral_institution]').fill('县妇幼保健院新生儿科');
  await page.getByTestId('save-newborn-visit').click();
  await expect(page.getByTestId('service-log')).toContainText('新生儿家庭访视');
  await page.getByTestId('tab-today').click();
  await expect(page.getByTestId('today-due').getByTestId('task').filter({ hasText: `${mother}之女` }).filter({ hasText: '新生儿家庭访视' })).toHaveCount(0);

  // The mother's postpartum visit from her task: the delivery date comes from her delivery record.
  await page.getByTestId('today-due').getByTestId('task').filter({ hasText: '产后访视' }).filter({ hasText: mother }).locator('a').first().click();
  await expect(page.getByRole('heading', { name: '产后访视' })).toBeVisible();
  await expect(page.locator('input[name=delivery_date]')).not.toHaveValue('');
  await page.locator('input[name=temperature]').fill('36.8');
  await page.locator('input[name=sbp]').fill('112');
  await page.locator('input[name=dbp]').fill('72');
  await page.getByTestId('save-postpartum').click();
  await expect(page.getByTestId('service-log')).toContainText('产后访视');
  await page.getByTestId('tab-today').click();
  await expect(page.getByTestId('today-due').getByTestId('task').filter({ hasText: mother }).filter({ hasText: '产后访视' })).toHaveCount(0);

  // A boy of six months: his check graded against WS/T 423—2022 as the doctor types, then his weight curve.
  const b = new Date();
  b.setMonth(b.getMonth() - 6);
  b.setDate(b.getDate() - 3);
  const birth = `${b.getFullYear()}-${String(b.getMonth() + 1).padStart(2, '0')}-${String(b.getDate()).padStart(2, '0')}`;
  const maleSeq = femaleSeq() + 1;
  await page.getByTestId('tab-residents').click();
  const boy = `婴儿${Date.now() % 100000}`;
  await addResident(page, boy, idNumber(birth, maleSeq), []);
  await page.getByTestId('new-child-check').click();
  await expect(page.getByRole('heading', { name: '儿童健康检查' })).toBeVisible();
  await expect(page.locator('select[name=point]')).toHaveValue('2');
  await page.locator('input[name=weight_kg]').fill('8.0');
  await page.locator('input[name=height_cm]').fill('68');
  await expect(page.getByTestId('growth-assessment')).toContainText('体重 中');
  await expect(page.getByTestId('growth-assessment')).toContainText('正常');
  await page.locator('input[name=weight_kg]').fill('6.5');
  await expect(page.getByTestId('growth-assessment')).toContainText('低体重');
  await page.locator('input[name=weight_kg]').fill('8.0');
  await page.locator('input[name=hb]').fill('120');
  await page.locator('select[name=hearing]').selectOption({ label: '通过' });
  await shot(page, '43-child-check');
  await page.getByTestId('save-child-check').click();
  await expect(page.getByTestId('growth-chart')).toBeVisible();
  await shot(page, '44-growth-chart');

  // Followed here now: his 6-month TCM service (TCM_CH_6) is on Today; the form opens at that age with its
  // massage method, and saving it takes the task off.
  await page.getByTestId('tab-today').click();
  const tcm = page.getByTestId('today-due').getByTestId('task').filter({ hasText: '儿童中医药健康管理（6月龄）' }).filter({ hasText: boy });
  await expect(tcm).toHaveCount(1);
  await tcm.locator('a').first().click();
  await expect(page.getByRole('heading', { name: '儿童中医药健康管理' })).toBeVisible();
  await expect(page.locator('select[name=age_months]')).toHaveValue('6');
  await expect(page.locator('form')).toContainText('传授摩腹、捏脊方法');
  await page.getByTestId('save-tcm-child').click();
  await expect(page.getByTestId('service-log')).toContainText('儿童中医药健康管理');
  await page.getByTestId('tab-today').click();
  await expect(page.getByTestId('today-due').getByTestId('task').filter({ hasText: boy }).filter({ hasText: '中医药' })).toHaveCount(0);

  // A suspected case of bacillary dysentery, reported from the phone while offline.
  await page.getByTestId('tab-reports').click();
  await page.getByRole('link', { name: '填写报告卡' }).click();
  await expect(page.getByRole('heading', { name: '传染病报告卡' })).toBeVisible();
  const patient = `疑似病例${Date.now() % 100000}`;
  await page.locator('select[name=disease]').selectOption('dysentery_bacillary');
  await page.locator('input[name=patient_name]').fill(patient);
  await page.locator('select[name=sex]').selectOption('1');
  await page.locator('input[name=birth_date]').fill('1980-05-06');
  await page.locator('select[name=occupation]').selectOption({ label: '农民' });
  await page.locator('input[name=address]').fill('一村三组8号');
  await shot(page, '45-disease-report');
  await page.getByTestId('save-disease-report').click();
  await expect(page).toHaveURL(/\/reports$/);
  const mine = page.getByTestId('disease-report').filter({ hasText: patient });
  await expect(mine).toContainText('细菌性痢疾');
  await expect(mine).toContainText('未送达服务器');

  // A public-health event card: saved empty it names what is missing and stores nothing; filled, it waits
  // on the phone like the case report.
  await page.getByRole('link', { name: '突发事件' }).click();
  await expect(page.getByRole('heading', { name: '突发公共卫生事件信息报告' })).toBeVisible();
  await page.getByTestId('save-event-report').click();
  await expect(page.locator('[data-field=category] .field-error')).toBeVisible();
  await expect(page.locator('[data-field=title] .field-error')).toBeVisible();
  await expect(page).toHaveURL(/\/reports\/event\/new$/);
  const event = `婚宴后腹泻${Date.now() % 100000}`;
  await page.locator('select[name=category]').selectOption({ label: '食物中毒' });
  await page.locator('input[name=title]').fill(event);
  await page.locator('input[name=place]').fill('二组王家');
  await page.locator('input[name=cases]').fill('12');
  await page.locator('textarea[name=symptoms]').fill('腹泻、呕吐');
  await shot(page, '45b-event-report');
  await page.getByTestId('save-event-report').click();
  await expect(page).toHaveURL(/\/reports$/);
  await expect(page.getByTestId('event-report').filter({ hasText: event })).toContainText('未送达服务器');

  await page.getByTestId('tab-today').click();
  await expect(page.getByTestId('unsent-reports')).toContainText('2份报告尚未送达');
  await shot(page, '46-unsent-report');

  // Online: everything goes, the report first; the doctor's list then shows it received, on time.
  await context.setOffline(false);
  await waitSynced(page);
  await expect(page.getByTestId('unsent-reports')).toHaveCount(0);
  await page.getByTestId('tab-reports').click();
  await expect(page.getByTestId('disease-report').filter({ hasText: patient })).toContainText('已送达');
  await expect(page.getByTestId('event-report').filter({ hasText: event })).toContainText('已送达');

  // township1 sees the alert on Today with the report's timeliness.
  const township = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 360, height: 640 } });
  const t = await township.newPage();
  await login(t, 'township1');
  await t.getByTestId('tab-today').click();
  const alert = t.getByTestId('report-alert');
  await expect(alert).toContainText('新传染病/突发事件报告');
  await expect(alert.getByTestId('disease-report').filter({ hasText: '突发事件：食物中毒' }).first()).toContainText('发病12人');
  // The alert names the disease and the village, not the patient (the card is on 疫情报告).
  const row = alert.getByTestId('disease-report').filter({ hasText: '细菌性痢疾' }).first();
  await expect(alert).not.toContainText(patient);
  await expect(row.getByTestId('timeliness')).toContainText('及时');
  await shot(t, '47-township-alert');
  await township.close();
});

// 五色管理: the village screens at registration, the township grades. township1 opens the register from the
// review page, grades a woman of doctor1's village orange with its reason, and the grade stays after a reload;
// doctor1's phone pulls it and her page shows the current pregnancy with that colour.
test('township1 grades a pregnancy of its villages on the risk register; doctor1 sees the grade on her page', async ({ page, browser }) => {
  await login(page, 'township1');
  await page.getByTestId('tab-review').click();
  await page.getByTestId('to-pregnancies').click();
  await expect(page.getByRole('heading', { name: '妊娠风险评估分级' })).toBeVisible();
  // A woman of 张庄村, doctor1's village.
  const first = page.getByTestId('pregnancy').filter({ hasText: '张庄村' }).first();
  await expect(first.getByTestId('screen')).toBeVisible();
  const name = (await first.locator('strong').innerText()).trim();
  const herPage = await first.getByTestId('pregnancy-woman').getAttribute('href');
  // Orange without a reason is refused on the spot; with one it is saved.
  await first.getByRole('radio', { name: '橙色' }).check();
  await first.locator('input[name=reasons]').fill('');
  await first.getByTestId('save-grade').click();
  await expect(first.locator('[data-field=reasons] .field-error')).toBeVisible();
  await first.locator('input[name=reasons]').fill('年龄≥40岁');
  await first.getByTestId('save-grade').click();
  await expect(first.getByTestId('grade')).toContainText('当前分级：橙色');
  await shot(page, '48-risk-grade');
  await page.reload();
  const again = page.getByTestId('pregnancy').filter({ has: page.locator('strong', { hasText: name }) }).first();
  await expect(again.getByTestId('grade')).toContainText('橙色');

  // doctor1's phone pulls the grade: her page shows the current pregnancy with the township's colour.
  const phone = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 360, height: 640 } });
  const d = await phone.newPage();
  await login(d, 'doctor1', { serviceWorker: false });
  await d.goto(herPage!);
  await waitHydrated(d);
  await unlock(d);
  await expect(d.getByTestId('resident-name')).toHaveText(name);
  const card = d.getByTestId('pregnancy-card');
  await expect(card).toContainText('预产期');
  await expect(card.getByTestId('pregnancy-grade')).toHaveText('妊娠风险分级：橙色（年龄≥40岁）');
  await shot(d, '49-pregnancy-card');
  await phone.close();
});
