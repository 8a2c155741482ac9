// Challenges: a goal per protocol, reached by hand with "you are the
// network" (the broken variant allows it, the faithful protocol refuses the
// same moves), or by asking the search; the properties panel judges it, and
// a solved run's share link opens solved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, suite, qs, ready, seek, settle, realErrors, OUT } from './helpers.mjs';

const env = await suite();

const card = (page, id) => page.locator(`#challenges li[data-challenge="${id}"]`);
const cardClass = (page, id) => card(page, id).getAttribute('class');

/// The held messages' labels ("P1 → A0 · Prepare(6…) · …").
const heldLabels = (page) => page.locator('#held li > button:first-child').allInnerTexts();

/// Deliver the first held message whose label matches `re`.
async function deliver(page, re) {
  const labels = await heldLabels(page);
  const i = labels.findIndex((l) => re.test(l));
  assert.ok(i >= 0, `no held message matches ${re}: ${labels.join(' | ')}`);
  await page.locator('#held li').nth(i).locator('.net-deliver').click();
  await settle(page);
}

async function open(page, id, which) {
  await card(page, id).locator(which).click();
  await page.locator('#network').waitFor();
  await settle(page);
}

/// P1's promises from A0 and A1, then A1 crashes and restarts: the promise
/// is what it must remember.
async function promiseThenRestart(page) {
  await deliver(page, /→ P1 ·/);
  await deliver(page, /^P1 → A0 · Prepare\(3=/);
  await deliver(page, /^P1 → A1 · Prepare\(3=/);
  await page.keyboard.press('2'); // crash A1
  await settle(page);
  await page.keyboard.press('2'); // restart it
  await settle(page);
  await deliver(page, /^A0 → P1 · Promise\(3=/);
  await deliver(page, /^A1 → P1 · Promise\(3=/);
  // P0 now asks A1 and A2 with the lower number 2.
  await deliver(page, /→ P0 ·/);
  await deliver(page, /^P0 → A1 · Prepare\(2=/);
  await deliver(page, /^P0 → A2 · Prepare\(2=/);
}

test('two values chosen, by hand: the broken variant allows it, faithful Paxos refuses the same moves', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=paxos-duel&lang=en`);
  try {
    await ready(page);
    const id = 'paxos-two-chosen';
    // As specified: the restarted acceptor still remembers its promise.
    await open(page, id, '.try-faithful');
    assert.match(await card(page, id).locator('.state').innerText(), /cannot be done/);
    assert.match(await page.locator('.narration').innerText(), /not from a lesson/);
    await promiseThenRestart(page);
    assert.ok((await heldLabels(page)).some((l) => /^A1 → P0 · Reject\(3\)/.test(l)), 'A1 refuses 2');
    assert.equal(await cardClass(page, id), 'open');
    // Broken: the same moves, and A1 promises 2 too.
    await open(page, id, '.try-broken');
    assert.match(await card(page, id).locator('.state').innerText(), /can be done/);
    await promiseThenRestart(page);
    await deliver(page, /^A1 → P0 · Promise\(2=/);
    await deliver(page, /^A2 → P0 · Promise\(2=/);
    await deliver(page, /^P0 → A1 · Accept\(2=[^,]*, 1\)/);
    await deliver(page, /^P0 → A2 · Accept\(2=[^,]*, 1\)/);
    assert.equal(await cardClass(page, id), 'open', 'one value chosen so far');
    await deliver(page, /^P1 → A0 · Accept\(3=[^,]*, 2\)/);
    await deliver(page, /^P1 → A1 · Accept\(3=[^,]*, 2\)/);
    assert.equal(await cardClass(page, id), 'solved');
    assert.match(await card(page, id).locator('.state').innerText(), /Solved: the property broke at tick \d+/);
    assert.equal(await page.locator('#props li[data-prop="two_values"]').getAttribute('class'), 'bad');
    await page.screenshot({ path: join(OUT, 'challenge-paxos-solved.png') });
    // The solution, shared, opens solved.
    await card(page, id).locator('.share-solution').click();
    const url = await page.locator('#share-link').inputValue();
    const other = await openApp(env.browser, url.replace('lang=en', 'lang=zh'));
    try {
      await ready(other.page);
      await other.page.waitForFunction((c) => document.querySelector(`#challenges li[data-challenge="${c}"]`)?.className === 'solved', id);
      assert.match(await card(other.page, id).locator('.state').innerText(), /已完成/);
      assert.deepEqual(await qs(other.page, 'missingKeys'), []);
      assert.deepEqual(realErrors(other.errors), []);
    } finally {
      await other.context.close();
    }
    assert.deepEqual(realErrors(errors), []);
  } finally {
    await context.close();
  }
});

test('a committed write lost: the search solves the challenge, and shows the moment', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-broadcast&lang=en`);
  try {
    await ready(page);
    const id = 'zab-lose-committed';
    await open(page, id, '.try-broken');
    assert.ok((await heldLabels(page)).length > 0, 'the second write waits on the wire');
    assert.equal(await cardClass(page, id), 'open');
    await page.click('#hunt-start');
    await page.waitForSelector('#hunt-result', { timeout: 240_000 });
    assert.match(await page.locator('#hunt-result').innerText(), /Counterexample/);
    await page.waitForFunction((c) => document.querySelector(`#challenges li[data-challenge="${c}"]`)?.className === 'later', id);
    await card(page, id).locator('button.seek').click();
    await page.waitForFunction((c) => document.querySelector(`#challenges li[data-challenge="${c}"]`)?.className === 'solved', id);
    await page.screenshot({ path: join(OUT, 'challenge-zab-solved.png') });
    assert.deepEqual(realErrors(errors), []);
  } finally {
    await context.close();
  }
});

/// Deliver every held message matching `re`, one by one, until none is left.
async function deliverAll(page, re) {
  for (let i = 0; i < 10 && (await heldLabels(page)).some((l) => re.test(l)); i++) await deliver(page, re);
}

test('a stale read by hand when W + R = N; as specified the search proves it cannot happen', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=quorum-3-2-2&lang=en`);
  try {
    await ready(page);
    const id = 'quorum-stale';
    await open(page, id, '.try-faithful');
    assert.match(await card(page, id).locator('.state').innerText(), /cannot be done/);
    await page.click('#hunt-start');
    await page.waitForSelector('#hunt-result', { timeout: 60_000 });
    const safe = await page.locator('#hunt-result').innerText();
    console.log(`quorum faithful: ${safe}`);
    assert.match(safe, /Complete: no schedule breaks a property \(\d+ states/);
    await open(page, id, '.try-broken');
    assert.match(await card(page, id).locator('.try-broken').innerText(), /W = 2, R = 1/);
    // The write reaches n0 and n1 and is acknowledged to its client ...
    await deliver(page, /^c0 → /);
    await deliver(page, /^n0 → n1 · write 1/);
    await deliver(page, /^n1 → n0 · ack/);
    await deliver(page, /→ c0 · /);
    // ... then, later, c2 reads at n2, which never heard of it.
    await seek(page, 2050);
    await deliver(page, /^c2 → n2/);
    await deliverAll(page, /^n2 → n[01] · write/);
    await deliverAll(page, /^n[01] → n2 · ack/);
    await deliver(page, /→ c2 · /);
    assert.equal(await cardClass(page, id), 'solved');
    assert.equal(await page.locator('#props li[data-prop="stale"]').getAttribute('class'), 'bad');
    await page.screenshot({ path: join(OUT, 'challenge-quorum-stale.png') });
    assert.deepEqual(realErrors(errors), []);
  } finally {
    await context.close();
  }
});

test('a new/old inversion without the write-back, found by the search in Chinese', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=quorum-3-2-2&lang=zh`);
  try {
    await ready(page);
    const id = 'quorum-inversion';
    await open(page, id, '.try-broken');
    assert.match(await card(page, id).locator('.try-broken').innerText(), /不写回/);
    await page.click('#hunt-start');
    await page.waitForSelector('#hunt-result', { timeout: 60_000 });
    await page.waitForFunction((c) => document.querySelector(`#challenges li[data-challenge="${c}"]`)?.className === 'later', id);
    await card(page, id).locator('button.seek').click();
    await page.waitForFunction((c) => document.querySelector(`#challenges li[data-challenge="${c}"]`)?.className === 'solved', id);
    assert.equal(await page.locator('#props li[data-prop="inversion"]').getAttribute('class'), 'bad');
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    assert.deepEqual(realErrors(errors), []);
  } finally {
    await context.close();
  }
});
