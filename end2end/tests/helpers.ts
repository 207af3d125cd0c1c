import { Browser, expect, Page, test } from '@playwright/test';

export const PASSWORD = 'cunyi-demo';
/** The PIN every test phone chooses for its store. */
export const PIN = '482913';

/** Opens the phone's store: chooses the PIN on first use, enters it afterwards (after a reload too). */
export async function unlock(page: Page) {
  const screen = page.getByTestId('pin-screen');
  // A cold start's page comes with the screen the cookie names; the browser then checks it (data-ready).
  await expect(screen).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  const state = await screen.getAttribute('data-state');
  await page.locator('input[name=pin]').fill(PIN);
  if (state === 'NeedsSetup') await page.locator('input[name=pin_again]').fill(PIN);
  await page.getByTestId('pin-submit').click();
  await expect(screen).toHaveCount(0, { timeout: 30_000 });
}

/**
 * Logs in through the form (landing on Today), waits for the first sync, then opens the resident list.
 * `serviceWorker: false` for a context that blocks service workers (nothing will be precached).
 */
export async function login(page: Page, username: string, { serviceWorker = true } = {}) {
  await page.goto('/login');
  await waitHydrated(page);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/today$/);
  // A village doctor works from the phone's copy of the village, opened with the PIN: wait for the first sync.
  if (username.startsWith('doctor')) {
    await unlock(page);
    await waitSynced(page);
    // Offline readiness: every page's WASM part is loaded, and the service worker has precached the app (the
    // tests go offline right after logging in; a part neither cached nor loaded cannot be opened offline).
    await waitPagesLoaded(page);
    if (serviceWorker) await waitShellCached(page);
  }
  await page.getByTestId('tab-residents').click();
  await expect(page.getByTestId('total')).toBeVisible();
}

/** Waits until the sync badge says everything is synced. */
export async function waitSynced(page: Page) {
  await expect(page.getByTestId('sync-badge')).toHaveText('已同步', { timeout: 30_000 });
}

/** Waits until the WASM has hydrated the page (so clicks reach Rust handlers). */
export async function waitHydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === 'true', null, { timeout: 30_000 });
}

/** Waits until the doctor's phone has loaded the WASM part of every page (`app::preload_pages`). */
export async function waitPagesLoaded(page: Page) {
  await page.waitForFunction(() => document.body.dataset.pagesLoaded === 'true', null, { timeout: 30_000 });
}

/** Waits until the service worker has the app shell of this build in its cache. */
export async function waitShellCached(page: Page) {
  await page.waitForFunction(async () => {
    await navigator.serviceWorker.ready;
    for (const k of await caches.keys()) {
      if (!k.startsWith('cunyi-shell-')) continue;
      const c = await caches.open(k);
      const wasm = (await c.keys()).some((r) => /\/pkg\/[^/]+\.wasm$/.test(new URL(r.url).pathname));
      if ((await c.match('/shell')) && wasm) return true;
    }
    return false;
  }, null, { timeout: 30_000, polling: 500 });
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

/** A valid synthetic ID number (GB 11643 check digit) for a birth date, unique per run. */
export function idNumber(birth: string, seq: number): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const c = '10X98765432';
  const body = '110101' + birth.replace(/-/g, '') + String(seq).padStart(3, '0');
  const s = [...body].reduce((acc, d, i) => acc + Number(d) * w[i], 0);
  return body + c[s % 11];
}

/** Fills the new-resident form with a valid record (key-population flags `flags`) and saves it. */
export async function addResident(page: Page, name: string, id: string, flags: string[] = ['HTN']) {
  await page.getByTestId('add-resident').click();
  await expect(page.getByRole('heading', { name: '新建健康档案' })).toBeVisible();
  await page.locator('input[name=name]').fill(name);
  await page.locator('input[name=id_no]').fill(id);
  await expect(page.locator('input[name=birth_date]')).not.toHaveValue('');
  await page.locator('input[name=address]').fill('五组3号');
  await page.locator('select[name=education]').selectOption('7');
  await page.locator('select[name=occupation]').selectOption('4');
  await page.locator('select[name=marital]').selectOption('2');
  for (const f of flags) await page.locator(`input[name=flags][value=${f}]`).check();
  await page.getByTestId('save-resident').click();
  await expect(page.getByTestId('resident-name')).toHaveText(name);
}

/** Records a controlled hypertension follow-up from the resident's page. */
export async function addVisit(page: Page, sbp: string) {
  await page.getByTestId('new-htn-visit').click();
  await fillHtnVisit(page, sbp);
  await expect(page.getByTestId('visit-history').locator('li').first()).toContainText(`${sbp}/82`);
}

/** Fills and saves the open hypertension follow-up form with a controlled reading. */
export async function fillHtnVisit(page: Page, sbp: string) {
  await expect(page.getByRole('heading', { name: '高血压患者随访' })).toBeVisible();
  await page.locator('input[name=symptoms][value="1"]').check();
  await page.locator('input[name=sbp]').fill(sbp);
  await page.locator('input[name=dbp]').fill('82');
  await page.locator('input[name=height_cm]').fill('160');
  await page.locator('input[name=weight]').fill('60');
  await page.locator('input[name=heart_rate]').fill('72');
  await page.locator('input[name=smoking]').fill('0');
  await page.locator('input[name=drinking]').fill('0');
  await page.locator('select[name=salt]').selectOption('2');
  await page.locator('select[name=adherence]').selectOption('1');
  await page.getByTestId('save-visit').click();
}

/** Opens, as township1 in a new browser at the phone's size, the record of the resident named `name`; the
 * caller closes the returned context. */
export async function openAsTownship(browser: Browser, name: string) {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await login(page, 'township1');
  await page.locator('input[name=q]').fill(name);
  await expect(page.getByTestId('total')).toHaveText('共 1 人');
  await page.locator('.resident-list a').first().click();
  await expect(page.getByTestId('resident-name')).toHaveText(name);
  return { context, page };
}
