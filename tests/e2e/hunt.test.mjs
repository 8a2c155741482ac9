// "Find a counterexample": the search runs in its worker on the run's
// protocol, variant and settings, shows its progress, can be cancelled; a
// violation opens as a run stopped just before the breaking step, with the
// property marked; a complete search with none says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, suite, ready, realErrors, qs, pixel, OUT } from './helpers.mjs';

const env = await suite();
const SEARCH_MS = 240_000;

const row = (page, slug) => page.locator(`#props li[data-prop="${slug}"]`);

/// Open `lesson`, pick `variant` in the protocol's select, and search.
async function search(page, lesson, select, variant) {
  // A fresh page: the panel shows no earlier result.
  await page.goto(`${env.server.url}#lesson=${lesson}&lang=en`);
  await page.reload();
  await ready(page);
  if (variant) {
    await page.selectOption(select, variant);
    await page.waitForFunction(
      ([sel, v]) => document.querySelector(sel)?.value === v,
      [select, variant],
    );
  }
  const t0 = Date.now();
  await page.click('#hunt-start');
  await page.waitForSelector('#hunt-result', { timeout: SEARCH_MS });
  return { ms: Date.now() - t0, text: await page.locator('#hunt-result').innerText() };
}

/// The counterexample is open, stopped just before the step that breaks
/// `slug`; its button plays the breaking step.
async function opensBeforeTheBreak(page, slug) {
  await page.waitForFunction(
    (s) => document.querySelector(`#props li[data-prop="${s}"]`)?.className === 'later',
    slug,
  );
  const text = await row(page, slug).innerText();
  const t = Number(/breaks at tick (\d+)/.exec(text)?.[1]);
  assert.equal(await page.evaluate(() => window.quorumscope.tick()), t - 1, text);
  // The message the breaking step delivers is marked where it waits.
  const marked = await page.locator('#held li.selected').allInnerTexts();
  assert.equal(marked.length, 1, 'the breaking message is selected');
  console.log(`breaking step: ${marked[0].split('\n')[0]}`);
  // The client operations the broken rule involves are marked on the
  // history: on the lanes and in the list.
  const found = (await page.locator('#history-canvas').getAttribute('data-found') ?? '').split(' ').filter(Boolean);
  assert.ok(found.length > 0, 'operations involved are marked');
  const flagged = await page.locator('#history li.flagged .what').allInnerTexts();
  console.log(`operations involved: ${found.join(', ')}; flagged in the list: ${flagged.join(', ')}`);
  for (const id of found) {
    assert.ok(flagged.some((t) => t.startsWith(`#${id} `)), `#${id} is flagged in the list`);
  }
  // ...and ringed on the space-time diagram, where they were invoked.
  const ringed = (await qs(page, 'diagramMarks')).filter((m) => m.found);
  assert.ok(ringed.length > 0, 'operations involved are ringed on the diagram');
  for (const m of ringed) {
    assert.ok(found.some((id) => m.kind === `Invoke(${id})` || m.kind === `Return(${id})`), `${m.kind} is involved`);
  }
  for (const id of found) {
    assert.ok(ringed.some((m) => m.kind === `Invoke(${id})`), `#${id}'s invocation is ringed`);
  }
  const ring = await pixel(page, 'spacetime', ringed[0].x + 7, ringed[0].y);
  assert.ok(ring[0] > 140 && ring[1] < 110 && ring[2] < 110, `a red ring on the diagram: ${ring}`);
  await page.locator('#spacetime').screenshot({ path: join(OUT, `hunt-${slug}-diagram.png`) });
  await row(page, slug).locator('button.seek').click();
  await page.waitForFunction(
    (s) => document.querySelector(`#props li[data-prop="${s}"]`)?.className === 'bad',
    slug,
  );
  return t;
}

test('a promise kept only in memory: the search finds two values chosen and plays it', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=paxos-duel&lang=en`);
  try {
    const { ms, text } = await search(page, 'paxos-duel', '#variant', 'forget');
    console.log(`paxos forget: ${text} (${ms} ms in the page)`);
    assert.match(text, /Counterexample: "[^"]+" breaks after \d+ steps/);
    assert.equal(await page.locator('#hunt-result').getAttribute('class'), 'bad');
    await page.screenshot({ path: join(OUT, 'hunt-paxos-forget-before.png') });
    await opensBeforeTheBreak(page, 'two_values');
    await page.screenshot({ path: join(OUT, 'hunt-paxos-forget-broken.png') });
    assert.deepEqual(realErrors(errors), []);
  } finally {
    await context.close();
  }
});

test('a Zab leader committing before a quorum acks: found, played, and the faithful search is complete', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-vs-paxos&lang=en`);
  try {
    const bug = await search(page, 'zab-vs-paxos', '#zab-variant', 'commit');
    console.log(`zab commit: ${bug.text} (${bug.ms} ms in the page)`);
    assert.match(bug.text, /Counterexample/);
    await opensBeforeTheBreak(page, 'zab_lost');
    const safe = await search(page, 'zab-vs-paxos', '#zab-variant', 'faithful');
    console.log(`zab faithful: ${safe.text} (${safe.ms} ms in the page)`);
    assert.match(safe.text, /Complete: no schedule breaks a property \(\d+ states/);
    assert.equal(await page.locator('#hunt-result').getAttribute('class'), 'ok');
    assert.deepEqual(realErrors(errors), []);
  } finally {
    await context.close();
  }
});

test('cancel stops a search; a configuration too big says what is too many, in Chinese too', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=paxos-duel&lang=en`);
  try {
    await ready(page);
    await page.click('#hunt-start');
    await page.waitForFunction(() => /\d+ states/.test(document.querySelector('#hunt-progress')?.innerText ?? ''), null, { timeout: 60_000 });
    const before = await page.evaluate(() => window.quorumscope.tick());
    await page.click('#hunt-cancel');
    await page.waitForSelector('#hunt-progress', { state: 'detached' });
    assert.equal(await page.locator('#hunt-result').count(), 0);
    assert.equal(await page.evaluate(() => window.quorumscope.tick()), before, 'the run is untouched');
    // A fresh search starts after a cancel (a new worker).
    await page.click('#hunt-start');
    await page.waitForSelector('#hunt-progress');
    await page.click('#hunt-cancel');
    await page.goto(`${env.server.url}#lesson=zab-broadcast&lang=zh`);
    await page.reload();
    await ready(page);
    await page.click('#hunt-start');
    await page.waitForSelector('#hunt-result');
    assert.match(await page.locator('#hunt-result').innerText(), /投票者最多 3 个，这次运行有 5 个/);
    assert.deepEqual(realErrors(errors), []);
  } finally {
    await context.close();
  }
});
