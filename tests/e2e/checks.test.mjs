// A long run's history is checked off the main thread: past a few hundred
// operations the page hands it to the checker's Web Worker when the run
// pauses, and shows the worker's verdict for exactly that many operations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, suite, ready, seek } from './helpers.mjs';

const env = await suite();

test('a long history is checked in the worker once the run pauses', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=quorum-custom&lang=en`);
  try {
    await ready(page);
    let files = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()));
    assert.ok(!files.includes('worker.js'), 'no worker for a short history');
    await seek(page, 150_000);
    await page.waitForFunction(() => /(Linearizable|Not linearizable).*checked in the background: \d+ operations/.test(document.querySelector('#check-live')?.innerText ?? ''), null, { timeout: 60_000 });
    const text = await page.locator('#check-live').innerText();
    const n = Number(text.match(/(\d+) operations/)[1]);
    assert.ok(n > 300, text);
    assert.equal(n, await page.locator('#history li').count() > 0 ? n : 0);
    files = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()));
    assert.ok(files.includes('worker.js'), 'the worker did the check');
    assert.equal(files.filter((f) => f.endsWith('.wasm')).length, 1, 'and ran the page\'s module');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
