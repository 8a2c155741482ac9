// Shared helpers for the browser end-to-end tests (run by `cargo xtask test`,
// which builds dist/ first and sets QS_DIST to it).
//
// playwright-core comes from the project-local tools folder (.tools/, installed
// by `cargo xtask setup`) and drives the system Chromium: it never downloads a
// browser of its own.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serve } from './serve.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = resolve(ROOT, process.env.QS_DIST ?? 'dist');
export const CHROMIUM = process.env.QS_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const { chromium } = await import(
  pathToFileURL(join(ROOT, '.tools', 'node_modules', 'playwright-core', 'index.mjs')).href
).catch((err) => {
  throw new Error(`playwright-core is missing from .tools/: run \`cargo xtask setup\` (${err.message})`);
});

/** A fresh headless Chromium (Playwright gives it a fresh temporary profile). */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Serves the built site (QS_DIST, default dist/) on a random port; see serve.mjs. */
export function serveDist(dir = DIST) {
  return serve(dir, 0);
}

/**
 * Opens `url` in a new page of a new context. Console errors, uncaught page
 * errors and failed or 4xx/5xx requests are collected in `errors`, so a test
 * can assert that the page ran cleanly (a CSP violation is a console error).
 * Returns { context, page, errors }.
 */
export async function openApp(browser, url, { viewport = { width: 1280, height: 800 }, locale = 'en-US' } = {}) {
  const context = await browser.newContext({ viewport, locale });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => errors.push(`requestfailed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`http ${res.status()}: ${res.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  return { context, page, errors };
}
