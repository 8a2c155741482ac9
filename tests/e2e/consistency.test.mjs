// Lectures 01 and 02 in the browser (the full build): the CAP proof in AP
// and CP, the causal example, read-your-writes with and without a session,
// the inconsistency window and the SLA calculator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, suite, qs, ready, seek, settle, OUT } from './helpers.mjs';

const env = await suite();

/** The checks panel's text, once it has caught up with the run. */
async function checks(page, want = /./) {
  await page
    .waitForFunction((w) => new RegExp(w).test(document.querySelector('#checks')?.innerText ?? ''), want.source, { timeout: 10_000 })
    .catch(() => {});
  return page.locator('#checks').innerText();
}

test('CAP: AP answers with a stale read the checker flags; CP refuses instead', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=cap-proof&lang=en`);
  try {
    await ready(page);
    await seek(page, 1500);
    let text = await checks(page, /Availability/);
    await page.screenshot({ path: join(OUT, 'cap-ap.png'), fullPage: true });
    assert.match(text, /Not linearizable/i, text);
    assert.match(text, /Availability: 6 of 6 requests answered \(100%/, text);
    // The flagged read is the one on Server 2 during the partition.
    assert.ok(await page.locator('#history li.flagged').count() >= 1);
    await page.selectOption('#cap-mode', 'cp');
    await page.waitForFunction(() => window.quorumscope.tick() === 1500, null, { timeout: 10_000 });
    await settle(page);
    text = await checks(page, /Linearizable/);
    await page.screenshot({ path: join(OUT, 'cap-cp.png'), fullPage: true });
    assert.match(text, /Linearizable: a legal total order exists/, text);
    // The write during the partition failed: availability is below 100%.
    assert.match(text, /Availability: \d of \d requests answered \(\d\d%/, text);
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('causal: eventual delivery shows the reply without the comment; causal delivery never does', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=ec-causal&lang=zh`);
  try {
    await ready(page);
    await seek(page, 1100);
    await page.screenshot({ path: join(OUT, 'ec-causal-eventual-zh.png'), fullPage: true });
    let text = await checks(page, /违反因果一致/);
    assert.match(text, /违反因果一致/, text);
    await page.selectOption('#ev-delivery', 'causal');
    await page.waitForFunction(() => window.quorumscope.tick() === 1100, null, { timeout: 10_000 });
    await settle(page);
    await page.screenshot({ path: join(OUT, 'ec-causal-causal-zh.png'), fullPage: true });
    text = await checks(page, /因果一致：没有读漏掉/);
    assert.match(text, /因果一致：没有读漏掉/, text);
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('session: read-your-writes breaks without a session and holds with a token', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=ec-session&lang=en`);
  try {
    await ready(page);
    await seek(page, 1000);
    let text = await checks(page, /read your writes/);
    assert.match(text, /read your writes/i, text);
    await page.selectOption('#ev-session', 'token');
    await page.waitForFunction(() => window.quorumscope.tick() === 1000, null, { timeout: 10_000 });
    await settle(page);
    await page.screenshot({ path: join(OUT, 'ec-session-token.png'), fullPage: true });
    text = await checks(page);
    assert.doesNotMatch(text, /violat/i, text);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('eventual consistency: the window is measured; the SLA calculator gives 21.6 minutes for 99.95%', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=ec-window&lang=en`);
  try {
    await ready(page);
    await seek(page, 3000);
    await page.screenshot({ path: join(OUT, 'ec-window.png'), fullPage: true });
    const text = await checks(page, /Inconsistency window/);
    assert.match(text, /Inconsistency window: mean \d+, longest \d+ ticks/, text);
    // The three factors: charted by running the lesson at five settings each.
    await page.click('#window-measure');
    await page.waitForSelector('#window-charts figure');
    assert.equal(await page.locator('#window-charts figure').count(), 3);
    const latency = (await page.locator('#window-charts figcaption').first().innerText()).split('→')[1].split('/').map(Number);
    assert.ok(latency[4] > latency[0], `the window grows with latency: ${latency}`);
    await page.screenshot({ path: join(OUT, 'ec-window-charts.png'), fullPage: true });
    // A slider rebuilds the run with the new setting.
    await page.locator('#factor-replicas').fill('5');
    await page.waitForFunction(() => document.querySelectorAll('#stage').length && window.quorumscope.tick() === 3000);
    await page.waitForFunction(() => /5 replicas/.test(document.querySelector('.eventual')?.innerText ?? ''));
    await page.selectOption('#lesson', 'cap-sla');
    await page.waitForSelector('#sla-input');
    assert.match(await page.locator('#sla-result').innerText(), /3 nines: at most 21\.6 minutes/);
    await page.fill('#sla-input', '99.99');
    assert.match(await page.locator('#sla-result').innerText(), /4 nines: at most 4\.3 minutes/);
    await page.fill('#sla-input', 'lots');
    assert.match(await page.locator('#sla-result').innerText(), /Enter a percentage/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('BASE: an unbounded queue collapses in a flash sale; a bounded one refuses the excess and serves the rest', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=ec-base&lang=en`);
  try {
    await ready(page);
    await seek(page, 9000);
    const counts = async () => {
      const t = await page.locator('#base-counts').innerText();
      const [ok, refused, late] = t.match(/(\d+) served, (\d+) refused, (\d+) timed out/).slice(1).map(Number);
      return { ok, refused, late };
    };
    const unbounded = await counts();
    assert.equal(unbounded.refused, 0);
    assert.ok(unbounded.late > 2 * unbounded.ok, JSON.stringify(unbounded));
    await page.screenshot({ path: join(OUT, 'ec-base-collapse.png'), fullPage: true });
    await page.selectOption('#base-queue', '3');
    await page.waitForFunction(() => window.quorumscope.tick() === 9000, null, { timeout: 10_000 });
    await page.waitForFunction(() => /\b0 timed out/.test(document.querySelector('#base-counts').innerText));
    const bounded = await counts();
    assert.ok(bounded.refused > 0 && bounded.ok > unbounded.ok, JSON.stringify(bounded));
    assert.ok(await page.locator('#base-chart circle').count() > 50);
    await page.screenshot({ path: join(OUT, 'ec-base-bounded.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('ZooKeeper beside Eureka: one timeline, two canvases; CP refuses, AP answers with stale entries', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=cap-registry&lang=en`);
  try {
    await ready(page);
    assert.ok(await page.locator('#twin-stage').isVisible());
    await seek(page, 9000);
    await page.waitForFunction(() => /\/40/.test(document.querySelector('#compare-table')?.innerText ?? ''), null, { timeout: 10_000 });
    const rows = await page.$$eval('#compare-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.innerText)));
    const [zk, eu] = rows;
    assert.equal(eu[1], '40/40 (100%)', rows);
    assert.ok(Number(eu[2]) > 0, `Eureka served stale entries: ${rows}`);
    assert.equal(eu[3], 'no');
    assert.notEqual(zk[1], '40/40 (100%)', `ZooKeeper refused some: ${rows}`);
    // The twin canvas is drawn, and follows the time slider.
    const painted = await page.evaluate(() => {
      const c = document.querySelector('#twin-stage');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 100) n++;
      return n;
    });
    assert.ok(painted > 500, `dark pixels on the twin canvas: ${painted}`);
    await page.screenshot({ path: join(OUT, 'cap-registry.png'), fullPage: true });
    // Another lesson drops the twin.
    await page.selectOption('#lesson', 'cap-proof');
    await page.waitForFunction(() => document.querySelector('#twin-stage').classList.contains('hidden'));
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
