// Soak: random user actions at high speed on the default page — clicks on
// controls and canvas, drags across it, keys, the time slider, lesson
// switches, share links and broken links arriving by hashchange. Nothing may
// log an error or panic, and memory must stay flat once warmed up.
// CI runs one minute; QS_SOAK_SECONDS=600 runs the ten-minute version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, suite, qs, ready } from './helpers.mjs';

const env = await suite();
const SECONDS = Number(process.env.QS_SOAK_SECONDS ?? 60);

/** A small seeded generator (mulberry32), so a failing soak can be rerun. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test(`soak: ${SECONDS} s of random user actions leave no error and flat memory`, { timeout: (SECONDS + 120) * 1000 }, async () => {
  const seed = Number(process.env.QS_SOAK_SEED ?? 20261126);
  const random = rng(seed);
  const pick = (xs) => xs[Math.floor(random() * xs.length)];
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lang=en`);
  const cdp = await context.newCDPSession(page);
  try {
    await ready(page);
    const lessons = await page.$$eval('#lesson option', (os) => os.map((o) => o.value));
    const box = await page.locator('#stage').boundingBox();
    const at = () => ({ x: box.x + 10 + random() * (box.width - 20), y: box.y + 10 + random() * (box.height - 20) });
    const actions = [
      () => page.click('#play'),
      () => page.click('#step'),
      () => page.click('#back'),
      () => page.click('#reset'),
      () => page.click('#heal'),
      () => page.locator('#speed').fill(String(Math.floor(60 + random() * 40))),
      async () => { const p = at(); await page.mouse.click(p.x, p.y); },
      async () => {
        const a = at(); const b = at();
        await page.mouse.move(a.x, a.y); await page.mouse.down();
        await page.mouse.move(b.x, b.y, { steps: 4 }); await page.mouse.up();
      },
      () => page.keyboard.press(pick([' ', 'ArrowRight', 'ArrowLeft'])),
      () => page.evaluate((f) => {
        const el = document.querySelector('#time');
        el.value = String(Math.floor(Number(el.max) * f));
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }, random()),
      () => page.selectOption('#lesson', pick(lessons)),
      () => page.click('#op-write'),
      () => page.click('#op-read'),
      // A share link of the current run, and a broken one, arriving later.
      async () => {
        const f = await qs(page, 'shareFragment');
        await page.evaluate((h) => { location.hash = h; }, f);
      },
      () => page.evaluate((h) => { location.hash = h; }, pick(['s=v1.@@@', 's=v1.' + 'A'.repeat(40), 'lesson=nope', 's=v9.x'])),
      async () => { if (await page.locator('#problem .dismiss').count()) await page.click('#problem .dismiss'); },
    ];
    const heap = async () => (await cdp.send('Runtime.getHeapUsage')).usedSize;
    const samples = [];
    const start = Date.now();
    let n = 0;
    while (Date.now() - start < SECONDS * 1000) {
      await pick(actions)();
      n++;
      if (n % 40 === 0) {
        samples.push({ t: (Date.now() - start) / 1000, heap: await heap(), wasm: await qs(page, 'wasmMemory') });
      }
    }
    await page.selectOption('#lesson', 'quorum-3-2-2');
    await cdp.send('HeapProfiler.collectGarbage');
    const end = { heap: await heap(), wasm: await qs(page, 'wasmMemory') };
    // Warm-up: the first fifth of the run.
    const warm = samples.filter((s) => s.t >= SECONDS / 5);
    const base = warm.length ? warm[0] : samples[0] ?? end;
    const mb = (x) => (x / 1048576).toFixed(1);
    console.log(`soak: ${n} actions in ${SECONDS} s (seed ${seed}); JS heap ${mb(base.heap)} → ${mb(end.heap)} MB, wasm ${mb(base.wasm)} → ${mb(end.wasm)} MB`);
    assert.deepEqual(errors, [], `seed ${seed}`);
    assert.ok(await page.locator('#boot-error').isHidden(), 'no panic message');
    assert.ok(n > SECONDS * 2, `actions: ${n}`);
    assert.ok(end.heap <= base.heap * 1.5 + 8 * 1048576, `JS heap grew: ${mb(base.heap)} → ${mb(end.heap)} MB`);
    assert.ok(end.wasm <= base.wasm * 2 + 32 * 1048576, `wasm memory grew: ${mb(base.wasm)} → ${mb(end.wasm)} MB`);
    assert.deepEqual(await qs(page, 'missingKeys'), []);
  } finally {
    await context.close();
  }
});
