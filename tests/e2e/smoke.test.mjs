// Smoke test: the built site loads under the strict CSP, from the root and from
// a subpath, and draws its canvas without a single console error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, suite } from './helpers.mjs';

const env = await suite();

for (const where of ['url', 'subUrl']) {
  test(`the app mounts a canvas with no console errors (served at ${where === 'url' ? '/' : '/sub/path/'})`, async () => {
    const { context, page, errors } = await openApp(env.browser, env.server[where]);
    try {
      await page.waitForSelector('canvas', { state: 'attached', timeout: 15_000 });
      // Give late errors (a panic after mount, a blocked resource) a moment to surface.
      await page.waitForTimeout(300);
      assert.equal(await page.locator('#boot-error').isHidden(), true, 'the boot error message is shown');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('the page asks for its wasm and glue once, as it is read (preloads that loader.js uses)', async () => {
  const context = await env.browser.newContext();
  try {
    const page = await context.newPage();
    const asked = [];
    const warnings = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname.split('/').pop()));
    page.on('console', (m) => {
      if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
    });
    await page.goto(env.server.url, { waitUntil: 'load' });
    await page.waitForSelector('canvas', { state: 'attached', timeout: 15_000 });
    // Chromium warns of a preload left unused a few seconds after the load.
    await page.waitForTimeout(3_500);
    const count = (f) => asked.filter((a) => a === f).length;
    assert.equal(count('quorumscope-web_bg.wasm'), 1, `wasm requests: ${asked.join(', ')}`);
    assert.equal(count('quorumscope-web.js'), 1, `glue requests: ${asked.join(', ')}`);
    // Both are asked for before loader.js has run, right after the page.
    for (const f of ['quorumscope-web_bg.wasm', 'quorumscope-web.js']) {
      assert.ok(asked.indexOf(f) < asked.indexOf('loader.js'), `${f} before loader.js: ${asked.join(', ')}`);
    }
    assert.deepEqual(warnings.filter((w) => /preload/i.test(w)), []);
  } finally {
    await context.close();
  }
});

test('without WebAssembly the page explains why, in Chinese and English', async () => {
  const context = await env.browser.newContext();
  try {
    await context.addInitScript(() => {
      delete window.WebAssembly;
    });
    const page = await context.newPage();
    await page.goto(env.server.url, { waitUntil: 'load' });
    const box = page.locator('#boot-error');
    await box.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await box.innerText();
    assert.match(text, /WebAssembly/);
    assert.match(text, /浏览器/);
    assert.match(text, /browser/);
  } finally {
    await context.close();
  }
});
