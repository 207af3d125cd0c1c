// Budgets (issue 9), run by .ci/budgets against a release build: the first-load payload on the demo county's
// server, the interaction timings on a seeded village of 3,000 residents. Each failure names its budget and
// the figure; the figures are printed for docs/performance.md.
import base from './playwright.config';
import { defineConfig } from '@playwright/test';

export default defineConfig({ ...base, testDir: './budgets', testMatch: '**/*.budget.ts', timeout: 300_000, globalSetup: undefined });
