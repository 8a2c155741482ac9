// "You are the network": a Paxos run made entirely of messages the user
// delivers by hand (mouse and keyboard), undo taking one back, and the
// shared link replaying to the same trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, suite, qs, ready, seek, settle, OUT } from './helpers.mjs';

const env = await suite();

const held = (page) => page.locator('#held li').count();

test('a run delivered by hand chooses its value, undoes a step, and replays from its link', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=paxos-happy&lang=en`);
  try {
    await ready(page);
    await page.check('#manual');
    await page.locator('#network').waitFor();
    await seek(page, 100);
    // The client's request waits on the wire.
    assert.equal(await held(page), 1);
    await page.locator('#held li .net-deliver').first().click();
    await settle(page);
    assert.equal(await held(page), 3, 'three Prepares wait');
    assert.ok((await page.locator('#timers li').count()) >= 1, "P0's phase timer waits too");
    // The keyboard: ↓ selects the first waiting message, D delivers it.
    await page.keyboard.press('ArrowDown');
    await settle(page);
    assert.equal(await page.locator('#held li.selected').count(), 1);
    const before = await qs(page, 'traceHash');
    await page.keyboard.press('d');
    await settle(page);
    assert.notEqual(await qs(page, 'traceHash'), before);
    // Undo takes the delivery back.
    await page.click('#undo');
    await settle(page);
    assert.equal(await qs(page, 'traceHash'), before);
    assert.equal(await held(page), 3);
    // U duplicates the selected message: one more waits.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('u');
    await settle(page);
    assert.equal(await held(page), 4);
    // Deliver everything, round after round, until the value is chosen.
    for (let i = 0; i < 20 && (await qs(page, 'chosen')) === null; i++) {
      await page.click('#net-all');
      await settle(page);
    }
    assert.equal(await qs(page, 'chosen'), 5);
    assert.equal(await qs(page, 'violations'), 0);
    await page.screenshot({ path: join(OUT, 'network-manual.png') });
    const [tick, hash, frag] = [await qs(page, 'tick'), await qs(page, 'traceHash'), await qs(page, 'shareFragment')];
    const other = await openApp(env.browser, `${env.server.url}#${frag}&lang=zh`);
    try {
      await ready(other.page);
      await seek(other.page, tick);
      assert.equal(await qs(other.page, 'traceHash'), hash, 'the link replays the same run');
      assert.ok(await other.page.locator('#network').isVisible(), 'and the user is still the network');
      assert.deepEqual(await qs(other.page, 'missingKeys'), []);
      assert.deepEqual(other.errors, []);
    } finally {
      await other.context.close();
    }
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('on a Zab connection, dropping a message drops what waits behind it, and undo brings both back', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-broadcast&lang=en`);
  try {
    await ready(page);
    // Settled under Server5; the client's write comes at 1 400.
    await seek(page, 1300);
    await page.check('#manual');
    await page.locator('#network').waitFor();
    await seek(page, 1500);
    assert.equal(await held(page), 1, "the client's write waits");
    await page.locator('#held li .net-deliver').first().click();
    await settle(page);
    assert.equal(await held(page), 1, 'Server2 forwards it to the leader');
    // A copy travels behind it on the same TCP connection.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('u');
    await settle(page);
    assert.equal(await held(page), 2);
    assert.equal(await page.locator('#held li .net-deliver:disabled').count(), 1, 'the copy waits its turn');
    const before = await qs(page, 'traceHash');
    await page.locator('#held li .net-drop').first().click();
    await settle(page);
    assert.equal(await held(page), 0, 'the connection reset takes the copy too');
    await page.screenshot({ path: join(OUT, 'network-zab-reset.png') });
    await page.click('#undo');
    await settle(page);
    assert.equal(await held(page), 2);
    assert.equal(await qs(page, 'traceHash'), before);
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
