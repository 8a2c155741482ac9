// An hour at top speed, reached by seeking: the trace's front is let go to
// bound memory, and the run is still exactly the native engine's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openApp, suite, ready, qs, settle, ROOT } from './helpers.mjs';

const env = await suite();
// The longest run there is (ticks stop at 10 000 000): 53 minutes at the
// top speed of 3 162 ticks per second.
const HOUR = 10_000_000;

test('a run of an hour at top speed keeps its memory bounded and its trace exact', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-custom&lang=en`);
  try {
    await ready(page);
    const before = await qs(page, 'wasmMemory');
    await page.evaluate((t) => {
      const el = document.querySelector('#time');
      el.max = String(t);
      el.value = String(t);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, HOUR);
    await page.waitForFunction((t) => window.quorumscope.tick() === t, HOUR, { timeout: 60_000 });
    await settle(page);
    await page.waitForSelector('#forgotten');
    const after = await qs(page, 'wasmMemory');
    console.log(`wasm memory: ${(before / 2 ** 20).toFixed(1)} MB at start, ${(after / 2 ** 20).toFixed(1)} MB after 53 minutes' worth of run`);
    assert.ok(after < 160 * 2 ** 20, `memory bounded: ${after} B`);
    const hash = await qs(page, 'traceHash');
    const native = execFileSync('cargo', ['run', '-q', '--profile', 'ci', '-p', 'quorumscope-cli', '--', 'hash', 'zab-custom', '--until', String(HOUR)], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    assert.equal(hash, native, 'the same run as the native engine');
    // The slider starts where the kept trace does; the diagram shows the present.
    const min = Number(await page.getAttribute('#time', 'min'));
    assert.ok(min > 0 && min < HOUR);
    assert.ok((await qs(page, 'diagramArrows')).length > 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
