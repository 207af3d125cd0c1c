// Playwright in Debian's headless Chromium at a cheap phone's viewport (360x640).
// The server is started by .ci/test; CUNYI_BASE_URL points at it.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  globalSetup: './global-setup.ts',
  outputDir: 'test-results/output',
  use: {
    baseURL: process.env.CUNYI_BASE_URL ?? 'http://127.0.0.1:3000',
    viewport: { width: 360, height: 640 },
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
