import { expect, Page } from '@playwright/test';

export const PASSWORD = 'cunyi-demo';

/** Logs in through the form and waits for the resident list. */
export async function login(page: Page, username: string) {
  await page.goto('/login');
  await waitHydrated(page);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/residents$/);
  await expect(page.getByTestId('total')).toBeVisible();
}

/** Waits until the WASM has hydrated the page (so clicks reach Rust handlers). */
export async function waitHydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === 'true', null, { timeout: 30_000 });
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
