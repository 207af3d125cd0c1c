// The phone's store is encrypted with a key sealed under the doctor's PIN (issue 8): nothing readable in
// IndexedDB, the PIN opens the app offline, wrong PINs are counted and the fifth locks the data until an
// online login with the password, without losing what was entered offline; data stored before the PIN
// existed (an older build) is encrypted in place, not lost.
import { test, expect, Page } from '@playwright/test';
import { addResident, idNumber, login, PASSWORD, PIN, shot, waitHydrated, waitShellCached, waitSynced } from './helpers';

/** Every record of one IndexedDB store of the signed-in user, as the browser holds it. */
async function rawRecords(page: Page, store: string) {
  return page.evaluate(async (store) => {
    const user = JSON.parse(localStorage.getItem('cunyi.user')!);
    const db: IDBDatabase = await new Promise((ok, fail) => {
      const r = indexedDB.open(`cunyi-${user.id}`);
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const all: any[] = await new Promise((ok, fail) => {
      const r = db.transaction(store).objectStore(store).getAll();
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    db.close();
    return all.map((v) => (typeof v === 'string' ? { text: v } : { bytes: new TextDecoder().decode(v) }));
  }, store);
}

async function enterPin(page: Page, pin: string) {
  await page.locator('input[name=pin]').fill(pin);
  await page.getByTestId('pin-submit').click();
}

test('the store is encrypted, opens offline with the PIN, locks after five wrong PINs and opens again online', async ({ context, page }) => {
  await login(page, 'doctor1');
  await waitShellCached(page);
  const first = (await page.locator('.resident-list a').first().innerText()).split('\n')[0].trim();
  const residents = await rawRecords(page, 'residents');
  expect(residents.length).toBeGreaterThan(50);
  expect(residents.every((r) => r.bytes !== undefined), 'no record stored as text').toBeTruthy();
  expect(residents.some((r) => r.bytes!.includes(first)), `"${first}" readable in storage`).toBeFalsy();
  const pinRecord = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('cunyi.pin.')).map((k) => localStorage.getItem(k)!));
  expect(pinRecord).toHaveLength(1);
  expect(pinRecord[0]).not.toContain(PIN);

  // Offline, a cold start asks for the PIN; wrong ones are counted.
  await context.setOffline(true);
  await page.reload();
  await waitHydrated(page);
  const screen = page.getByTestId('pin-screen');
  await expect(screen).toHaveAttribute('data-state', /NeedsPin/);
  await enterPin(page, '111222');
  await expect(page.locator('[data-field=pin] .field-error')).toHaveText('PIN不正确，还可尝试 4 次');
  await shot(page, '80-pin-wrong');
  await enterPin(page, PIN);
  await expect(screen).toHaveCount(0);
  await page.getByTestId('tab-residents').click();
  await expect(page.getByTestId('total')).toHaveText(/共 \d+ 人/);

  // Something entered offline, then the PIN forgotten: five wrong PINs lock the data.
  const name = `锁定${Date.now() % 100000}`;
  const seq = 100 + (Date.now() % 800);
  await addResident(page, name, idNumber('1966-02-03', seq % 2 === 1 ? seq : seq + 1));
  await expect(page.getByTestId('sync-pending')).toBeVisible();
  await page.reload();
  await waitHydrated(page);
  for (const left of [4, 3, 2, 1]) {
    await enterPin(page, '909192');
    await expect(page.locator('[data-field=pin] .field-error')).toHaveText(`PIN不正确，还可尝试 ${left} 次`);
  }
  await enterPin(page, '909192');
  await expect(page.getByTestId('pin-locked')).toBeVisible();
  await expect(screen).toHaveAttribute('data-state', 'Locked');
  await shot(page, '81-pin-locked');
  // Even the right PIN does not open it now, and a reload does not reset the count.
  await page.reload();
  await waitHydrated(page);
  await expect(page.getByTestId('pin-locked')).toBeVisible();
  const sealed = await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('cunyi.pin.'))!)!));
  expect(sealed.sealed_key).toBeNull();

  // Offline the password cannot be checked: still locked.
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('input[name=pin]').fill('730518');
  await page.locator('input[name=pin_again]').fill('730518');
  await page.getByTestId('pin-submit').click();
  await expect(page.locator('div.form-error')).toContainText('网络不可用');
  await expect(screen).toHaveAttribute('data-state', 'Locked');

  // Online, the password brings the key back; a new PIN seals it; nothing entered offline is lost.
  await context.setOffline(false);
  await page.getByTestId('pin-submit').click();
  await expect(screen).toHaveCount(0, { timeout: 30_000 });
  await waitSynced(page);
  await page.getByTestId('tab-residents').click();
  await page.locator('input[name=q]').fill(name);
  await expect(page.getByTestId('total')).toHaveText('共 1 人');
  await page.reload();
  await waitHydrated(page);
  await enterPin(page, '730518');
  await expect(screen).toHaveCount(0);
});

test('data an older build stored unencrypted is encrypted in place when the PIN is chosen', async ({ page }) => {
  await page.goto('/login');
  await waitHydrated(page);
  await page.locator('input[name=username]').fill('doctor2');
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('pin-screen')).toHaveAttribute('data-state', 'NeedsSetup');

  // What the phone held before this build: a resident record as plain JSON text.
  const legacyName = `旧版${Date.now() % 100000}`;
  const list = await (await page.request.post('/api/list_residents', { data: { query: { q: '', flag: null, village_id: null, page: 0 } } })).json();
  const resident = await (await page.request.post('/api/get_resident', { data: { id: list.rows[0].id } })).json();
  const legacy = { ...resident, id: crypto.randomUUID(), name: legacyName, id_no: null, record_no: '000000000' };
  await page.evaluate(async (legacy) => {
    const user = JSON.parse(localStorage.getItem('cunyi.user')!);
    const db: IDBDatabase = await new Promise((ok, fail) => {
      const r = indexedDB.open(`cunyi-${user.id}`, 2);
      r.onupgradeneeded = () => {
        for (const s of ['residents', 'visits', 'records', 'outbox', 'meta']) r.result.createObjectStore(s);
      };
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    await new Promise((ok, fail) => {
      const tx = db.transaction('residents', 'readwrite');
      tx.objectStore('residents').put(JSON.stringify(legacy), legacy.id);
      tx.oncomplete = ok;
      tx.onerror = () => fail(tx.error);
    });
    db.close();
  }, legacy);

  await page.locator('input[name=pin]').fill(PIN);
  await page.locator('input[name=pin_again]').fill(PIN);
  await page.getByTestId('pin-submit').click();
  await waitSynced(page);
  await page.getByTestId('tab-residents').click();
  await page.locator('input[name=q]').fill(legacyName);
  await expect(page.getByTestId('total')).toHaveText('共 1 人');
  const stored = await rawRecords(page, 'residents');
  expect(stored.every((r) => r.bytes !== undefined), 'every record rewritten encrypted').toBeTruthy();
  expect(stored.some((r) => r.bytes!.includes(legacyName))).toBeFalsy();
});
