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

/** Where tests write screenshots (ignored by git). */
export const OUT = join(ROOT, 'tests', 'e2e', 'out');

/**
 * One server and one browser for a test file: registers node:test's
 * before/after hooks and returns a getter for both.
 */
export async function suite() {
  const { before, after } = await import('node:test');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(OUT, { recursive: true });
  const env = {};
  before(async () => {
    env.server = await serveDist();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** Call a read-only hook of `window.quorumscope`. */
export const qs = (page, expr, arg) => page.evaluate(([e, a]) => window.quorumscope[e](a), [expr, arg]);

/** Wait until the app has drawn its first frame and built its panels (the frame after). */
export async function ready(page) {
  await page.waitForFunction(
    () => window.quorumscope && window.quorumscope.drawCount() > 0 && document.querySelector('.app[data-unfolded=true]'),
    null,
    { timeout: 20_000 },
  );
}

/** Wait until the canvas stops redrawing (paused, nothing dirty). */
export async function settle(page) {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const n = await qs(page, 'drawCount');
    if (n === last) return;
    last = n;
    await page.waitForTimeout(60);
  }
}

/** Move the time slider to `tick`, as a user dragging it would. */
export async function seek(page, tick) {
  await page.evaluate((t) => {
    const el = document.querySelector('#time');
    el.max = String(Math.max(Number(el.max), t));
    el.value = String(t);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, tick);
  await page.waitForFunction((t) => window.quorumscope.tick() === t, tick, { timeout: 10_000 });
  await settle(page);
}

/**
 * Partition node 0 (at the top of the ring) from the others, as a user
 * does: drag a line across the canvas between node 0 and node 1.
 */
export async function cutOffNodeZero(page) {
  const a = await qs(page, 'nodePos', 0);
  const b = await qs(page, 'nodePos', 1);
  const box = await page.locator('#stage').boundingBox();
  const y = box.y + 1 + (a.y + b.y) / 2;
  await page.mouse.move(box.x + 20, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 20, y, { steps: 10 });
  await page.mouse.up();
  await settle(page);
}

/**
 * Errors that are real problems: a reload into the other build (or a lesson
 * switch) may abort requests still in flight, which is not one.
 */
export const realErrors = (errors) => errors.filter((e) => !/^requestfailed: .* net::ERR_ABORTED$/.test(e));

/** Pixel colour of a canvas at CSS (x, y). */
export function pixel(page, id, x, y) {
  return page.evaluate(
    ([id, x, y]) => {
      const c = document.getElementById(id);
      const r = c.width / c.clientWidth;
      const d = c.getContext('2d').getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data;
      return [d[0], d[1], d[2]];
    },
    [id, x, y],
  );
}
