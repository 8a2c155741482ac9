// Zab in the browser: its lessons from a link or from the lesson menu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, suite, qs, ready, seek, settle, OUT } from './helpers.mjs';

const env = await suite();

test("the lecture's election: Server3, with the largest zxid, leads epoch 3", async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-election&lang=en`);
  try {
    await ready(page);
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

test('choosing a Zab lesson in the menu runs it (Chinese)', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lang=zh`);
  try {
    await ready(page);
    await page.selectOption('#lesson', 'zab-broadcast');
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
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
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

test('a follower too far behind gets a SNAP and then reads the newest value', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-snap&lang=en`);
  try {
    await ready(page);
    await seek(page, 3830);
    await page.screenshot({ path: join(OUT, 'zab-snap.png') });
    await seek(page, 4900);
    assert.match(await page.locator('#history').innerText(), /17/);
    assert.equal(await qs(page, 'violations'), 0);
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
