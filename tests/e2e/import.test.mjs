// The checker's worker as a student meets it: a long check of a dropped
// Jepsen file shows its progress and can be cancelled; a worker that cannot
// start says so at once instead of leaving the import waiting; a long run's
// verdict from the worker marks the offending operation on the history lanes;
// the run's faults are drawn across the lanes, each kind switchable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, suite, qs, ready, seek, settle, cutOffNodeZero, ROOT, OUT } from './helpers.mjs';

const env = await suite();
const fixture = (...p) => join(ROOT, 'tests', 'fixtures', ...p);
const resultText = (page) => page.evaluate(() => document.querySelector('#import-result')?.innerText ?? '');

test('a long check shows its progress and can be cancelled', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lang=en`);
  try {
    await ready(page);
    await page.setInputFiles('#import', fixture('generated', 'register-c5-5k-crash-stale-late.edn'));
    // Progress arrives while the search runs, and grows.
    const states = async () => {
      const t = await page.locator('#import-progress').innerText();
      assert.match(t, /Checking register-c5-5k-crash-stale-late\.edn: \d+ of 1 keys done, \d+ states explored/);
      return Number(t.match(/(\d+) states/)[1]);
    };
    await page.waitForFunction(() => /[1-9]\d* states explored/.test(document.querySelector('#import-progress')?.innerText ?? ''), null, { timeout: 30_000 });
    const first = await states();
    await page.waitForFunction((n) => {
      const m = (document.querySelector('#import-progress')?.innerText ?? '').match(/(\d+) states/);
      return m && Number(m[1]) > n;
    }, first, { timeout: 30_000 });
    assert.ok(await states() > first);
    await page.locator('#import-panel').screenshot({ path: join(OUT, 'import-progress.png') });
    await page.click('#import-cancel');
    await page.waitForFunction(() => /check cancelled/.test(document.querySelector('#import-result')?.innerText ?? ''), null, { timeout: 5_000 });
    assert.equal(await page.locator('#import-progress').count(), 0);
    // A fresh worker judges the next file.
    await page.setInputFiles('#import', fixture('jepsen', 'kv', 'c01-ok.txt'));
    await page.waitForFunction(() => /c01-ok\.txt: \d+ operations, linearizable/.test(document.querySelector('#import-result')?.innerText ?? ''), null, { timeout: 30_000 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a history cut by an unreadable line is judged up to it, where that is sound', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lang=en`);
  const log = (lines) => Buffer.from(lines.map((l) => `INFO  jepsen.util - ${l.replaceAll(' ', '\t')}`).join('\n') + '\n');
  const good = ['1 :invoke :write 1', '1 :ok :write 1'];
  const mangled = 'INFO jepsen.util - 3 :teleport';
  try {
    await ready(page);
    // A stale read before the bad line: the whole history is not linearizable.
    const bad = Buffer.concat([log([...good, '2 :invoke :read nil', '2 :ok :read 5']), Buffer.from(`${mangled}\n`), log(['4 :invoke :read nil'])]);
    await page.setInputFiles('#import', { name: 'cut-bad.log', mimeType: 'text/plain', buffer: bad });
    await page.waitForFunction(() => /^cut-bad\.log: 2 operations, not linearizable\..*before line 5, which cannot be read/.test(document.querySelector('#import-result')?.innerText ?? ''), null, { timeout: 10_000 });
    // A clean prefix says nothing of the rest.
    const ok = Buffer.concat([log(good), Buffer.from(`${mangled}\n`)]);
    await page.setInputFiles('#import', { name: 'cut-ok.log', mimeType: 'text/plain', buffer: ok });
    await page.waitForFunction(() => /^cut-ok\.log: line 3 cannot be read \(.+\)\. The operations before it \(1\) are linearizable.*no verdict on the whole history/.test(document.querySelector('#import-result')?.innerText ?? ''), null, { timeout: 10_000 });
    await page.locator('#import-panel').screenshot({ path: join(OUT, 'import-cut.png') });
    // The worker gets the file's bytes: a value that is not UTF-8 (Latin-1
    // é) is read as the browser reads text, and the history is judged.
    const edn = (l) => Buffer.concat([Buffer.from(l[0]), Buffer.from([0xe9]), Buffer.from(l[1])]);
    const latin1 = Buffer.concat([
      edn(['{:process 0, :type :invoke, :f :put, :key "k", :value "caf', '"}\n']),
      edn(['{:process 0, :type :ok, :f :put, :key "k", :value "caf', '"}\n']),
      Buffer.from('{:process 1, :type :invoke, :f :get, :key "k", :value nil}\n'),
      edn(['{:process 1, :type :ok, :f :get, :key "k", :value "caf', '"}\n']),
    ]);
    await page.setInputFiles('#import', { name: 'latin1.edn', mimeType: 'text/plain', buffer: latin1 });
    await page.waitForFunction(() => /^latin1\.edn: 2 operations, linearizable/.test(document.querySelector('#import-result')?.innerText ?? ''), null, { timeout: 10_000 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

for (const [how, body, status] of [
  ['its script fails to load', 'not found', 404],
  ['its module fails to start', "self.postMessage('\\u0001failed|instantiation refused');", 200],
]) {
  test(`a worker that cannot start answers at once: ${how}`, async () => {
    const { context, page, errors } = await openApp(env.browser, 'about:blank');
    await context.route('**/worker.js', (r) => r.fulfill({ status, contentType: 'text/javascript', body }));
    try {
      await page.goto(`${env.server.url}#lang=en`);
      await ready(page);
      for (const file of ['c01-ok.txt', 'c10-ok.txt']) {
        await page.setInputFiles('#import', fixture('jepsen', 'kv', file));
        await page.waitForFunction((f) => (document.querySelector('#import-result')?.innerText ?? '').startsWith(`${f}: the checker could not start`), file, { timeout: 10_000 });
      }
      const text = await resultText(page);
      if (status === 200) assert.match(text, /instantiation refused/);
      assert.equal(await page.locator('#import-progress').count(), 0);
      // The run goes on, untouched.
      await page.click('#play');
      await page.waitForFunction(() => window.quorumscope.tick() > 0);
      const real = errors.filter((e) => !/worker\.js/.test(e));
      assert.deepEqual(real, []);
    } finally {
      await context.close();
    }
  });
}

test('the worker\'s verdict on a long run marks its offending operation on the lanes', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=quorum-custom&lang=en`);
  try {
    await ready(page);
    // W + R <= N, and node 0 cut off from the others: reads miss writes.
    await page.fill('#nwr-w', '1');
    await page.fill('#nwr-r', '1');
    await page.click('#nwr-apply');
    await seek(page, 100);
    await cutOffNodeZero(page);
    assert.equal(await qs(page, 'sides'), 2);
    await seek(page, 150_000);
    await page.waitForFunction(() => /Not linearizable: c\d+ \S+.* @\d+ fits in no legal order.*checked in the background: \d+ operations/.test(document.querySelector('#check-live')?.innerText ?? ''), null, { timeout: 90_000 });
    const text = await page.locator('#check-live').innerText();
    const offender = await page.locator('#history-canvas').getAttribute('data-offender');
    assert.match(offender ?? '', /^\d+$/, text);
    await page.locator('#history-canvas').screenshot({ path: join(OUT, 'history-offender.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('faults are drawn across the history lanes, each kind switchable', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-election&lang=en`);
  try {
    await ready(page);
    await seek(page, 4_000);
    const switches = await page.$$eval('#fault-switches input', (xs) => xs.map((x) => [x.id, x.checked]));
    const ids = switches.map(([id]) => id);
    for (const id of ['fault-crash', 'fault-leader']) assert.ok(ids.includes(id), ids.join(' '));
    assert.ok(switches.every(([, on]) => on), 'every kind shown at first');
    // Count the pixels of a kind's colour on the lanes.
    const count = (rgb) => page.evaluate((c) => {
      const cv = document.querySelector('#history-canvas');
      const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (Math.abs(d[i] - c[0]) < 12 && Math.abs(d[i + 1] - c[1]) < 12 && Math.abs(d[i + 2] - c[2]) < 12) n += 1;
      }
      return n;
    }, rgb);
    const leader = [0x8e, 0x6b, 0xbf];
    const before = await count(leader);
    assert.ok(before > 20, `leader lines drawn (${before} px)`);
    await page.screenshot({ path: join(OUT, 'history-faults.png'), clip: await page.locator('#history-canvas').boundingBox() });
    await page.uncheck('#fault-leader');
    await settle(page);
    const after = await count(leader);
    assert.ok(after < before / 4, `leader lines hidden (${before} -> ${after} px)`);
    await page.check('#fault-leader');
    await settle(page);
    assert.equal(await count(leader), before);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
