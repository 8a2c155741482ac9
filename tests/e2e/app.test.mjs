// The app end to end, driven like a user in headless Chromium under the
// strict CSP: play, scrub, keys, crash, partition, cut, drop, bad input,
// languages, and a share link that replays to the same trace hash as the
// native engine computes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { openApp, suite, qs, ready, seek, settle, cutOffNodeZero, OUT, ROOT } from './helpers.mjs';

const env = await suite();

const pixels = (page) => page.evaluate(() => document.querySelector('#stage').toDataURL());

async function canvasPoint(page, p) {
  const box = await page.locator('#stage').boundingBox();
  return { x: box.x + 1 + p.x, y: box.y + 1 + p.y };
}

async function clickCanvas(page, p) {
  const at = await canvasPoint(page, p);
  await page.mouse.click(at.x, at.y);
  await settle(page);
}

async function play(page, ms) {
  await page.click('#play');
  await page.waitForTimeout(ms);
  await page.click('#play');
  await settle(page);
}

test('the page loads clean, draws the canvas, and has every translation', async () => {
  const { context, page, errors } = await openApp(env.browser, env.server.url);
  try {
    await ready(page);
    const nonBackground = await page.evaluate(() => {
      const c = document.querySelector('#stage');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 200) n++;
      return n;
    });
    assert.ok(nonBackground > 500, `the canvas shows something (${nonBackground} dark pixels)`);
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert.ok(!loaded.some((n) => n.includes('quorumscope-worker')), 'the import worker loads on demand only');
    await page.screenshot({ path: join(OUT, 'default-en.png') });
    await seek(page, 330);
    await page.screenshot({ path: join(OUT, 'lesson-mid.png') });
    await seek(page, 700);
    await page.screenshot({ path: join(OUT, 'lesson-end.png') });
    // The checkers: the new/old inversion is not linearizable; no session is broken.
    const checks = await page.locator('#checks').innerText();
    assert.match(checks, /Not linearizable: c2 get @520 fits in no legal order/);
    assert.match(checks, /New\/old inversions .*: 1/);
    assert.match(checks, /Session guarantees hold/);
    // The history view: clicking c0's write (invoked at tick 10) jumps the canvas there.
    const hist = await page.locator('#history-canvas').boundingBox();
    await page.mouse.click(hist.x + 34 + (hist.width - 42) * (60 / 700), hist.y + 11);
    await page.waitForFunction(() => window.quorumscope.tick() === 10, null, { timeout: 10_000 });
    await seek(page, 700);
    await page.screenshot({ path: join(OUT, 'history-view.png'), fullPage: true });
    await page.check('#write-back');
    await page.waitForFunction(() => window.quorumscope.tick() === 700, null, { timeout: 10_000 });
    await settle(page);
    await page.waitForFunction(() => /Linearizable: a legal total order exists/.test(document.querySelector('#checks').innerText));
    await page.selectOption('#lang', 'zh');
    await settle(page);
    await page.waitForFunction(() => document.querySelector('#play').textContent === '播放');
    await page.screenshot({ path: join(OUT, 'default-zh.png') });
    // Visit every lesson in both languages so every narration key is looked up.
    const lessons = await page.$$eval('#lesson option', (os) => os.map((o) => o.value));
    for (const lang of ['zh', 'en']) {
      await page.selectOption('#lang', lang);
      for (const l of lessons) await page.selectOption('#lesson', l);
    }
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('play advances time, scrubbing back returns to the earlier picture, paused draws nothing', async () => {
  const { context, page, errors } = await openApp(env.browser, env.server.url);
  try {
    await ready(page);
    await seek(page, 120);
    const at120 = await pixels(page);
    await play(page, 800);
    const later = await qs(page, 'tick');
    assert.ok(later > 120, `time advanced (${later})`);
    assert.notEqual(await pixels(page), at120);
    await seek(page, 120);
    assert.equal(await pixels(page), at120, 'the same tick draws the same picture');
    const draws = await qs(page, 'drawCount');
    await page.waitForTimeout(500);
    assert.equal(await qs(page, 'drawCount'), draws, 'no drawing while paused');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('keyboard: space plays and pauses, arrows step forwards and back', async () => {
  const { context, page, errors } = await openApp(env.browser, env.server.url);
  try {
    await ready(page);
    await page.locator('#stage').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press(' ');
    await page.waitForFunction(() => window.quorumscope.playing());
    await page.waitForTimeout(500);
    await page.keyboard.press(' ');
    await page.waitForFunction(() => !window.quorumscope.playing());
    const t = await qs(page, 'tick');
    assert.ok(t > 0);
    const e0 = await qs(page, 'events');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.ok((await qs(page, 'events')) > e0, 'stepping processes events');
    const t1 = await qs(page, 'tick');
    await page.keyboard.press('ArrowLeft');
    assert.ok((await qs(page, 'tick')) < t1, 'stepping back goes back in time');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('clicking a node crashes it and clicking again restarts it', async () => {
  const { context, page, errors } = await openApp(env.browser, env.server.url);
  try {
    await ready(page);
    const p = await qs(page, 'nodePos', 1);
    const colourAt = () =>
      page.evaluate(({ x, y }) => {
        const c = document.querySelector('#stage');
        const k = c.width / c.clientWidth;
        return Array.from(c.getContext('2d').getImageData(Math.round((x + 8) * k), Math.round((y + 8) * k), 1, 1).data);
      }, p);
    const before = await colourAt();
    await clickCanvas(page, p);
    assert.equal(await qs(page, 'nodeUp', 1), false);
    assert.notDeepEqual(await colourAt(), before, 'a crashed node looks different');
    await page.screenshot({ path: join(OUT, 'crashed.png') });
    await clickCanvas(page, p);
    assert.equal(await qs(page, 'nodeUp', 1), true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('dragging a line across the ring partitions the network; heal joins it', async () => {
  const { context, page, errors } = await openApp(env.browser, env.server.url + '#lesson=quorum-custom');
  try {
    await ready(page);
    const n0 = await qs(page, 'nodePos', 0);
    const n2 = await qs(page, 'nodePos', 2);
    const n3 = await qs(page, 'nodePos', 3);
    // A vertical stroke between node 0 (top) and nodes 2/3 (bottom) … crossing the ring sideways.
    const midY = (n0.y + (n2.y + n3.y) / 2) / 2;
    const a = await canvasPoint(page, { x: 10, y: midY });
    const b = await canvasPoint(page, { x: 2000, y: midY });
    const box = await page.locator('#stage').boundingBox();
    await page.mouse.move(box.x + box.width * 0.2, a.y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, a.y, { steps: 8 });
    await page.mouse.move(box.x + box.width - 5, b.y, { steps: 8 });
    await page.mouse.up();
    await settle(page);
    assert.equal(await qs(page, 'sides'), 2);
    await page.screenshot({ path: join(OUT, 'partition.png') });
    await page.click('#heal');
    await settle(page);
    assert.equal(await qs(page, 'sides'), 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('clicking a link cuts it one way, then both ways, then heals it', async () => {
  const { context, page, errors } = await openApp(env.browser, env.server.url);
  try {
    await ready(page);
    const a = await qs(page, 'nodePos', 1);
    const b = await qs(page, 'nodePos', 2);
    const near = { x: a.x + (b.x - a.x) * 0.3, y: a.y + (b.y - a.y) * 0.3 };
    await clickCanvas(page, near);
    assert.equal(await qs(page, 'linkState', { from: 1, to: 2 }), 'Partitioned');
    assert.equal(await qs(page, 'linkState', { from: 2, to: 1 }), 'Healthy');
    await clickCanvas(page, near);
    assert.equal(await qs(page, 'linkState', { from: 2, to: 1 }), 'Partitioned');
    await clickCanvas(page, near);
    assert.equal(await qs(page, 'linkState', { from: 1, to: 2 }), 'Healthy');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('clicking a message in flight drops it', async () => {
  const { context, page, errors } = await openApp(env.browser, env.server.url);
  try {
    await ready(page);
    await seek(page, 60);
    const msgs = await qs(page, 'messages');
    assert.ok(msgs.length > 0, 'something is in flight at tick 60');
    const m = msgs[0];
    await clickCanvas(page, m);
    const after = await qs(page, 'messages');
    assert.ok(!after.some((x) => x.id === m.id), 'the message is gone');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an impossible N/W/R shows a readable message and keeps the run', async () => {
  const { context, page, errors } = await openApp(env.browser, env.server.url);
  try {
    await ready(page);
    const hash = await qs(page, 'traceHash');
    await page.fill('#nwr-w', '9');
    await page.click('#nwr-apply');
    const problem = page.locator('#problem');
    await problem.waitFor({ state: 'visible' });
    assert.match(await problem.innerText(), /W = 9 is larger than N = 3/);
    assert.equal(await qs(page, 'traceHash'), hash);
    await page.fill('#nwr-w', '');
    await page.click('#nwr-apply');
    assert.match(await problem.innerText(), /whole numbers/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a share link replays the exact run, in a new page and in the native engine', async () => {
  const { context, page, errors } = await openApp(env.browser, env.server.url);
  let fragment;
  let tick;
  let hash;
  let qr;
  let qrLink;
  try {
    await ready(page);
    await seek(page, 60);
    const m = (await qs(page, 'messages'))[0];
    await clickCanvas(page, m); // drop
    await clickCanvas(page, await qs(page, 'nodePos', 2)); // crash
    const a = await qs(page, 'nodePos', 0);
    const b = await qs(page, 'nodePos', 1);
    await clickCanvas(page, { x: a.x + (b.x - a.x) * 0.3, y: a.y + (b.y - a.y) * 0.3 }); // cut one way
    await play(page, 300);
    // Partition by dragging a line between node 0 (top) and the two others.
    await cutOffNodeZero(page);
    assert.equal(await qs(page, 'sides'), 2, 'the drag split the network');
    await play(page, 400);
    await page.click('#share');
    const link = await page.locator('#share-link').inputValue();
    fragment = link.split('#')[1];
    // The QR code beside it is the link's: read its modules off the canvas
    // and compare them with the native encoder's (a native test scans that
    // one back to the link with a QR reader).
    await page.waitForFunction(() => document.getElementById('share-qr').width > 0, null, { timeout: 15_000 });
    qr = await page.evaluate(() => {
      const c = document.getElementById('share-qr');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      // Modules are whole pixels: find the module size from the first dark
      // run (the finder pattern's top edge is 7 modules wide).
      const quietPx = (() => { for (let i = 0; i < c.width; i++) if (d[4 * (i * c.width + i)] < 128) return i; return -1; })();
      let run = 0;
      while (d[4 * (quietPx * c.width + quietPx + run)] < 128) run++;
      const scale = run / 7;
      const width = c.width / scale - 8;
      let bits = '';
      for (let y = 0; y < width; y++)
        for (let x = 0; x < width; x++) {
          const px = Math.floor((x + 4) * scale + scale / 2), py = Math.floor((y + 4) * scale + scale / 2);
          bits += d[4 * (py * c.width + px)] < 128 ? '1' : '0';
        }
      return `${width}|${bits}`;
    });
    qrLink = link;
    tick = await qs(page, 'tick');
    hash = await qs(page, 'traceHash');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  const other = await openApp(env.browser, `${env.server.url}#${fragment}`);
  try {
    await ready(other.page);
    await other.page.waitForFunction((t) => window.quorumscope.tick() === t, tick, { timeout: 20_000 });
    assert.equal(await qs(other.page, 'traceHash'), hash, 'the browser replays the same trace');
    assert.deepEqual(other.errors, []);
  } finally {
    await other.context.close();
  }
  const native = execFileSync('cargo', ['run', '-q', '--profile', 'ci', '-p', 'quorumscope-cli', '--', 'hash', `#${fragment}`, '--until', String(tick)], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim();
  assert.equal(native, hash, 'the native engine computes the same trace hash');
  const nativeQr = execFileSync('cargo', ['run', '-q', '--profile', 'ci', '-p', 'quorumscope-cli', '--', 'qr', qrLink], { cwd: ROOT, encoding: 'utf8' }).trim();
  assert.equal(qr, nativeQr, 'the page shows the QR code of its link');
});

test('a malformed link shows the error and the default lesson; a bad link later keeps the run', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#s=v1.@@not-a-link`);
  try {
    await ready(page);
    const problem = page.locator('#problem');
    await problem.waitFor({ state: 'visible' });
    assert.match(await problem.innerText(), /cannot be opened/);
    assert.equal(await page.locator('#lesson').inputValue(), 'quorum-3-2-2');
    await page.screenshot({ path: join(OUT, 'bad-link.png') });
    await page.click('#problem .dismiss');
    await play(page, 400);
    const hash = await qs(page, 'traceHash');
    const tick = await qs(page, 'tick');
    await page.evaluate(() => { location.hash = 's=v1.' + 'A'.repeat(20000); });
    await problem.waitFor({ state: 'visible' });
    assert.match(await problem.innerText(), /too long/);
    assert.equal(await qs(page, 'traceHash'), hash);
    assert.equal(await qs(page, 'tick'), tick);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the client history exports as Jepsen EDN that the native checker judges the same way', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lang=en`);
  try {
    await ready(page);
    await seek(page, 700);
    assert.match(await page.locator('#checks').innerText(), /Not linearizable/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export').then(() => page.click('#export-edn'))]);
    assert.equal(download.suggestedFilename(), 'quorumscope-history.edn');
    const file = await download.path();
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(file, 'utf8');
    assert.match(text, /:type :invoke/);
    // The native checker reads the file and agrees: not linearizable (exit 1).
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('cargo', ['run', '-q', '--profile', 'ci', '-p', 'quorumscope-cli', '--', 'check', file], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
