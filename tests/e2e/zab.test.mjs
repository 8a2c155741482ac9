// Zab in the browser. The default page's build leaves Zab out (it stays
// within the size budget); a Zab lesson or link loads the build that has
// every protocol, from a link or from the lesson menu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, suite, qs, ready, seek, settle, OUT } from './helpers.mjs';

const env = await suite();

/** Errors other than requests the switch to the full build's page cut short. */
const real = (errors) => errors.filter((e) => !/^requestfailed: .* net::ERR_ABORTED$/.test(e));

test('the default page loads only the default build', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lang=en`);
  try {
    await ready(page);
    const build = await page.evaluate(() => window.quorumscope.build);
    assert.equal(build, 'default');
    const files = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()));
    assert.ok(files.includes('quorumscope-web_bg.wasm'), files.join(' '));
    assert.ok(!files.some((f) => f.startsWith('quorumscope-web-full')), files.join(' '));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the lecture's election: Server3, with the largest zxid, leads epoch 3", async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-election&lang=en`);
  try {
    await ready(page);
    assert.equal(await page.evaluate(() => window.quorumscope.build), 'full');
    await seek(page, 4700);
    // Mid-election: the survivors are LOOKING.
    assert.equal((await qs(page, 'zab', 0)).state, 'LOOKING');
    await page.screenshot({ path: join(OUT, 'zab-election-voting.png') });
    await seek(page, 6000);
    const s3 = await qs(page, 'zab', 2);
    assert.equal(s3.state, 'LEADING');
    assert.equal(s3.currentEpoch, 3);
    for (const i of [0, 3, 4]) {
      const s = await qs(page, 'zab', i);
      assert.equal(s.state, 'FOLLOWING');
      assert.equal(s.committed, '2:2', `server ${i + 1} keeps the committed 2:2`);
    }
    assert.equal(await qs(page, 'zab', 1), null, 'Server2 is down');
    assert.equal(await qs(page, 'violations'), 0);
    assert.match(await page.locator('#checks').innerText(), /Every invariant holds/);
    await page.screenshot({ path: join(OUT, 'zab-election.png') });
    // The broken election: votes go to Server5, which lacks the committed 2:2.
    await page.selectOption('#zab-variant', 'myid');
    await page.waitForFunction(() => window.quorumscope.tick() === 6000, null, { timeout: 10_000 });
    assert.ok((await qs(page, 'violations')) >= 1);
    assert.match(await page.locator('#checks').innerText(), /voted for a server with an older history/);
    await page.screenshot({ path: join(OUT, 'zab-election-broken.png') });
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('choosing a Zab lesson in the menu switches to the full build and runs it (Chinese)', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lang=zh`);
  try {
    await ready(page);
    await Promise.all([
      page.waitForEvent('load'),
      page.selectOption('#lesson', 'zab-broadcast'),
    ]);
    await ready(page);
    assert.equal(await page.evaluate(() => window.quorumscope.build), 'full');
    assert.equal(await page.locator('#lesson').inputValue(), 'zab-broadcast');
    await seek(page, 2600);
    for (let i = 0; i < 5; i++) {
      const s = await qs(page, 'zab', i);
      assert.equal(s.committed, '1:1');
      assert.equal(s.value, 7);
    }
    assert.equal((await qs(page, 'zab', 4)).state, 'LEADING');
    assert.match(await page.locator('body').innerText(), /消息广播/);
    await page.screenshot({ path: join(OUT, 'zab-broadcast-zh.png') });
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    assert.deepEqual(real(errors), []);
  } finally {
    await context.close();
  }
});

test('a shared Zab run replays exactly, even when the link lacks the build hint', async () => {
  const first = await openApp(env.browser, `${env.server.url}#lesson=zab-epochs&lang=en`);
  let frag;
  let hash;
  try {
    await ready(first.page);
    await seek(first.page, 7000);
    hash = await qs(first.page, 'traceHash');
    frag = await qs(first.page, 'shareFragment');
    assert.match(frag, /engine=full/);
    const s5 = await qs(first.page, 'zab', 4);
    assert.equal(s5.last, '2:2', 'Server5 was truncated and synced');
    assert.deepEqual(first.errors, []);
  } finally {
    await first.context.close();
  }
  // Without `engine=full`, the default build recognises the Zab scenario and
  // reloads into the full build.
  const bare = frag.replace('&engine=full', '');
  const second = await openApp(env.browser, `${env.server.url}#${bare}`);
  try {
    await second.page.waitForFunction(() => window.quorumscope && window.quorumscope.build === 'full', null, { timeout: 20_000 });
    await ready(second.page);
    await second.page.waitForFunction(() => window.quorumscope.tick() === 7000, null, { timeout: 20_000 });
    await settle(second.page);
    assert.equal(await qs(second.page, 'traceHash'), hash);
    assert.deepEqual(real(second.errors), []);
  } finally {
    await second.context.close();
  }
});

test('the partition lesson: the minority refuses, the majority goes on', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-partition&lang=en`);
  try {
    await ready(page);
    await seek(page, 4200);
    assert.equal(await qs(page, 'sides'), 2);
    assert.equal((await qs(page, 'zab', 2)).state, 'LEADING');
    assert.equal((await qs(page, 'zab', 4)).serving, false);
    assert.match(await page.locator('#history').innerText(), /failed/);
    await page.screenshot({ path: join(OUT, 'zab-partition.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('every lesson, Zab ones included, has its narration in both languages in the full build', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-custom&lang=en`);
  try {
    await ready(page);
    const lessons = await page.$$eval('#lesson option', (os) => os.map((o) => o.value));
    assert.ok(lessons.filter((l) => l.startsWith('zab-')).length >= 8);
    for (const lang of ['zh', 'en']) {
      await page.selectOption('#lang', lang);
      for (const l of lessons) await page.selectOption('#lesson', l);
    }
    assert.equal(await page.evaluate(() => window.quorumscope.build), 'full', 'no reload within the full build');
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
