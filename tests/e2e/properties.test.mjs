// The properties list: each safety rule and each verdict on what clients
// were told, with its state at the moment on show and the moment it first
// broke; seeking back before the break says when it will break, and the
// button seeks there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, suite, qs, ready, seek, OUT } from './helpers.mjs';

const env = await suite();

const row = (page, slug) => page.locator(`#props li[data-prop="${slug}"]`);
const cls = async (page, slug) => (await row(page, slug).getAttribute('class')) ?? '';

test('a forgotten promise: the rules and the clients both say when it broke, and a click seeks there', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=paxos-forget&lang=en`);
  try {
    await ready(page);
    await seek(page, 1500);
    for (const slug of ['two_values', 'max_n', 'told']) {
      assert.equal(await cls(page, slug), 'bad', slug);
    }
    assert.equal(await cls(page, 'not_proposed'), 'ok');
    const text = await row(page, 'two_values').innerText();
    const t = Number(/broke at tick (\d+)/.exec(text)?.[1]);
    assert.ok(t > 0 && t <= 1500, text);
    await page.screenshot({ path: join(OUT, 'properties-paxos-forget.png') });
    // Just before the break it holds, and the list says when it will break.
    await seek(page, t - 1);
    await page.waitForFunction(() => document.querySelector('#props li[data-prop="two_values"]')?.className === 'later');
    assert.match(await row(page, 'two_values').innerText(), new RegExp(`holds.*breaks at tick ${t}`, 's'));
    await row(page, 'two_values').locator('button.seek').click();
    await page.waitForFunction((t) => window.quorumscope.tick() === t, t, { timeout: 10_000 });
    assert.equal(await cls(page, 'two_values'), 'bad');
    // The client-visible verdict breaks no earlier than the rule: a node
    // may learn the second value before its client is told.
    await seek(page, 1500);
    const told = Number(/broke at tick (\d+)/.exec(await row(page, 'told').innerText())?.[1]);
    assert.ok(told >= t, `told at ${told}, chosen at ${t}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the faithful protocol keeps every property, in Chinese', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=paxos-happy&lang=zh`);
  try {
    await ready(page);
    await seek(page, 1500);
    const rows = await page.locator('#props li').evaluateAll((ls) => ls.map((l) => [l.dataset.prop, l.className]));
    assert.ok(rows.length >= 8, JSON.stringify(rows));
    assert.deepEqual(rows.filter(([, c]) => c !== 'ok'), []);
    assert.match(await page.locator('#props').innerText(), /只选定一个值\s*成立/);
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a quorum read that misses a finished write breaks "no stale read"', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=quorum-stale&lang=en`);
  try {
    await ready(page);
    await seek(page, 3000);
    assert.equal(await cls(page, 'stale'), 'bad');
    assert.equal(await cls(page, 'linear'), 'bad');
    await page.screenshot({ path: join(OUT, 'properties-quorum-stale.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
