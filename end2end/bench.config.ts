// Benchmarks in the browser (not tests: they print figures and fail only if the app breaks).
// Run by .ci/bench-browser, which starts a server on a seeded scope.
import base from './playwright.config';
import { defineConfig } from '@playwright/test';

export default defineConfig({ ...base, testDir: './bench', testMatch: '**/*.bench.ts', timeout: 300_000, globalSetup: undefined });
