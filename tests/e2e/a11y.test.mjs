// Accessibility and touch: keyboard-only use, the shortcut list, the event
// log screen readers announce, reduced motion, and a phone (375 × 667, touch)
// that crashes a node with a tap, partitions with a swipe and pinches the
// space-time diagram.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, suite, ready, settle, seek, qs, OUT } from './helpers.mjs';

const env = await suite();

const PHONE = { viewport: { width: 375, height: 667 } };

/** A phone: small screen, touch, mobile layout. */
async function openPhone(url, locale = 'en-US') {
  const context = await env.browser.newContext({ ...PHONE, hasTouch: true, isMobile: true, deviceScaleFactor: 2, locale });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { context, page, errors };
}

/** A one-finger swipe across the page, as the touchscreen sends it. */
async function swipe(page, from, to, steps = 12) {
  const cdp = await page.context().newCDPSession(page);
  const at = (p) => [{ x: p.x, y: p.y, id: 1 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(from) });
  for (let i = 1; i <= steps; i++) {
    const p = { x: from.x + ((to.x - from.x) * i) / steps, y: from.y + ((to.y - from.y) * i) / steps };
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(p) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** Two fingers spreading apart (zoom in) around `c`. */
async function pinchOut(page, c, from = 20, to = 120, steps = 10) {
  const cdp = await page.context().newCDPSession(page);
  const pts = (d) => [{ x: c.x - d, y: c.y, id: 1 }, { x: c.x + d, y: c.y, id: 2 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: pts(from) });
  for (let i = 1; i <= steps; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: pts(from + ((to - from) * i) / steps) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

test('keyboard only: play, step, seek, crash and restart, heal, the shortcut list, the event log', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=quorum-3-2-2&lang=en`);
  try {
    await ready(page);
    await page.locator('body').focus();
    await page.keyboard.press(' ');
    await page.waitForFunction(() => window.quorumscope.playing());
    await page.keyboard.press(' ');
    await page.waitForFunction(() => !window.quorumscope.playing());
    await page.keyboard.press('Home');
    await page.waitForFunction(() => window.quorumscope.tick() === 0);
    const before = await qs(page, 'events');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((n) => window.quorumscope.events() > n, before);
    // Crash node 1 and bring it back with the digit key.
    await page.keyboard.press('1');
    await page.waitForFunction(() => window.quorumscope.nodeUp(0) === false);
    assert.match(await page.textContent('#event-log'), /Crash n0/);
    assert.equal(await page.getAttribute('#event-log', 'aria-live'), 'polite');
    await page.keyboard.press('1');
    await page.waitForFunction(() => window.quorumscope.nodeUp(0) === true);
    // Tab reaches the controls with a visible focus ring; Enter presses.
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement?.id === 'step');
    }
    assert.ok(found, 'Tab reaches the Step button');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'focus is visible');
    const e0 = await qs(page, 'events');
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => window.quorumscope.events() > n, e0);
    // The time slider by keyboard: Home goes to the start, End to the furthest moment reached.
    await seek(page, 300);
    await page.focus('#time');
    await page.keyboard.press('Home');
    await page.waitForFunction(() => window.quorumscope.tick() === 0);
    await page.keyboard.press('End');
    await page.waitForFunction(() => window.quorumscope.tick() === 300);
    // ? lists the shortcuts; Escape closes the list.
    await page.locator('body').focus();
    await page.keyboard.press('?');
    await page.waitForSelector('#shortcuts');
    assert.match(await page.textContent('#shortcuts'), /Crash or restart node 1 … 9/);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#shortcuts', { state: 'detached' });
    // Undo from the keyboard takes back the last crash or restart.
    await page.keyboard.press('2');
    await page.waitForFunction(() => window.quorumscope.nodeUp(1) === false);
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => window.quorumscope.nodeUp(1) === true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('reduced motion: no autoplay, and a playing run is redrawn in steps', async () => {
  const draws = async (reducedMotion) => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion });
    const page = await context.newPage();
    try {
      await page.goto(`${env.server.url}#lesson=quorum-custom&lang=en&autoplay=1`);
      await ready(page);
      await page.waitForTimeout(300);
      const autoplayed = await qs(page, 'playing');
      if (!autoplayed) await page.click('#play');
      const d0 = await qs(page, 'drawCount');
      await page.waitForTimeout(2_000);
      const n = (await qs(page, 'drawCount')) - d0;
      const moved = await qs(page, 'tick');
      return { autoplayed, n, moved };
    } finally {
      await context.close();
    }
  };
  const calm = await draws('reduce');
  const normal = await draws('no-preference');
  assert.equal(calm.autoplayed, false, 'nothing starts moving by itself');
  assert.equal(normal.autoplayed, true);
  assert.ok(calm.n <= 6, `reduced motion: ${calm.n} frames in 2 s`);
  // Otherwise 30 frames a second while messages fly, 10 while none do.
  assert.ok(normal.n >= 15, `otherwise: ${normal.n} frames in 2 s`);
  assert.ok(calm.moved > 0, 'time still runs');
});

test('a phone: tap crashes a node, a swipe partitions, the page fits 375 px', async () => {
  const { context, page, errors } = await openPhone(`${env.server.url}#lesson=quorum-3-2-2&lang=en`);
  try {
    await ready(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `no sideways scrolling: ${width} px`);
    const box = await page.locator('#stage').boundingBox();
    const n2 = await qs(page, 'nodePos', 2);
    await page.touchscreen.tap(box.x + n2.x, box.y + n2.y);
    await page.waitForFunction(() => window.quorumscope.nodeUp(2) === false);
    // Swipe between node 0 (top) and the other two.
    const a = await qs(page, 'nodePos', 0);
    const b = await qs(page, 'nodePos', 1);
    const y = box.y + (a.y + b.y) / 2;
    await swipe(page, { x: box.x + 8, y }, { x: box.x + box.width - 8, y });
    await page.waitForFunction(() => window.quorumscope.sides() === 2);
    await settle(page);
    await page.screenshot({ path: join(OUT, 'phone-default.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a phone: a Zab lesson, its space-time diagram pinched to zoom', async () => {
  const { context, page, errors } = await openPhone(`${env.server.url}#lesson=zab-election&lang=zh`, 'zh-CN');
  try {
    await ready(page);
    await seek(page, 4_000);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `no sideways scrolling: ${width} px`);
    await page.locator('#spacetime').scrollIntoViewIfNeeded();
    const box = await page.locator('#spacetime').boundingBox();
    const w0 = await qs(page, 'diagramWindow');
    await pinchOut(page, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
    await settle(page);
    const w1 = await qs(page, 'diagramWindow');
    assert.ok(w1.y - w1.x < (w0.y - w0.x) / 2, `pinched in: ${JSON.stringify([w0, w1])}`);
    await page.screenshot({ path: join(OUT, 'phone-full-zh.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('screenshots of every view at desktop size', async () => {
  const views = [
    ['desktop-default', '#lesson=quorum-3-2-2&lang=en&t=300'],
    ['desktop-full-paxos', '#lesson=paxos-duel&lang=en&t=1500'],
    ['desktop-full-cap', '#lesson=cap-registry&lang=zh&t=9000'],
    ['desktop-embed', '#lesson=quorum-stale&lang=en&embed=1&t=2000'],
  ];
  for (const [name, frag] of views) {
    const { context, page, errors } = await openApp(env.browser, `${env.server.url}${frag}`);
    try {
      await ready(page);
      await page.waitForFunction(() => window.quorumscope.tick() > 0);
      await settle(page);
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
      assert.deepEqual(errors, [], name);
    } finally {
      await context.close();
    }
  }
});
