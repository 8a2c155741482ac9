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

test('a trap in the wasm (a panic, in the page\'s build) is shown in Chinese and English, not a silent dead page', async () => {
  const { context, page } = await openApp(env.browser, env.server.url);
  try {
    await page.waitForSelector('canvas', { state: 'attached', timeout: 15_000 });
    // A real trap: a module whose only function is `unreachable`, called
    // from a timer as the app's handlers are called.
    await page.evaluate(() => {
      const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 5, 1, 3, 0, 0, 11]);
      const trap = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f;
      setTimeout(trap, 0);
    });
    const box = page.locator('#boot-error');
    await box.waitFor({ state: 'visible', timeout: 5_000 });
    const text = await box.textContent();
    assert.match(text, /内部出错/);
    assert.match(text, /internal error/);
  } finally {
    await context.close();
  }
});

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
