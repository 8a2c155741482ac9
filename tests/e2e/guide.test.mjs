// Guided lessons: narration steps that follow the time slider, next and
// previous step, and predict mode, whose answers come from the run itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, suite, ready, seek, settle, qs, OUT } from './helpers.mjs';

const env = await suite();

/** Play fast until the run stops by itself. */
async function playUntilStopped(page) {
  await page.evaluate(() => {
    const el = document.querySelector('#speed');
    el.value = '100';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const start = await qs(page, 'tick');
  await page.click('#play');
  // (At top speed a stop close by is reached within a frame or two.)
  await page.waitForFunction((t) => !window.quorumscope.playing() && window.quorumscope.tick() > t, start, { timeout: 20_000 });
  await settle(page);
}

test('the narration follows the slider; next and previous step move the run', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=quorum-3-2-2&lang=en`);
  try {
    await ready(page);
    assert.match(await page.textContent('.guide'), /Step 1 of 5/);
    assert.match(await page.textContent('#guide-text'), /Client 0 writes 1 through n0/);
    await page.click('#guide-next');
    await page.waitForFunction(() => window.quorumscope.tick() === 140);
    await page.waitForFunction(() => /Both write messages are lost/.test(document.getElementById('guide-text').textContent));
    await seek(page, 600);
    assert.match(await page.textContent('.guide'), /Step 4 of 5/);
    await page.click('#guide-prev');
    await page.waitForFunction(() => window.quorumscope.tick() === 200);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('predict mode stops before the moment, asks, and the run gives the answer', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=quorum-3-2-2&lang=en`);
  try {
    await ready(page);
    await page.check('#predict');
    await playUntilStopped(page);
    assert.equal(await qs(page, 'tick'), 515, 'stopped at the question');
    await page.waitForSelector('#question');
    assert.match(await page.textContent('#question'), /Client 2 now reads through n1/);
    await page.click('#choice-0');
    await page.waitForSelector('#answer');
    assert.match(await page.textContent('#answer'), /Not quite\. The run says: The old value ∅/);
    assert.equal(await qs(page, 'tick'), 515, 'answering does not move the run');
    await page.screenshot({ path: join(OUT, 'predict-en.png') });
    // With read write-back the same question has the other answer.
    await page.check('#write-back');
    await page.waitForFunction(() => !document.getElementById('answer'));
    // The step's text follows the switch: write-back stored 1 on n1 and n2.
    await page.waitForFunction(() => /Thanks to the write-back/.test(document.getElementById('guide-text').textContent));
    await page.click('#choice-0');
    await page.waitForSelector('#answer');
    assert.match(await page.textContent('#answer'), /Right! The run agrees: The new value 1/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the election question: whoever the run elects is the answer', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-election&lang=zh`);
  try {
    await ready(page);
    await seek(page, 4_500);
    await page.check('#predict');
    await playUntilStopped(page);
    assert.equal(await qs(page, 'tick'), 4_600);
    await page.waitForSelector('#question');
    assert.match(await page.textContent('#question'), /谁会成为下一个 Leader/);
    assert.equal(await page.textContent('#choice-2'), 'S3');
    await page.click('#choice-2');
    await page.waitForSelector('#answer');
    assert.match(await page.textContent('#answer'), /猜对了！这次运行的结果正是：S3/);
    await page.screenshot({ path: join(OUT, 'predict-zh.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a link can start at a step; the Quorum lessons of the default page have their steps', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=quorum-stale&lang=zh&step=2`);
  try {
    await ready(page);
    await page.waitForFunction(() => window.quorumscope.tick() === 350);
    await settle(page);
    assert.match(await page.textContent('.guide'), /第 3 步，共 4 步/);
    assert.match(await page.textContent('#guide-text'), /只在少数派一侧就凑齐了/);
    await page.check('#predict');
    await playUntilStopped(page);
    assert.equal(await qs(page, 'tick'), 690);
    await page.click('#choice-0');
    await page.waitForSelector('#answer');
    assert.match(await page.textContent('#answer'), /不对。这次运行的结果是：更旧的值/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a quiet stretch plays faster, and the status line says so', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-broadcast&lang=en`);
  try {
    await ready(page);
    await seek(page, 500);
    await page.click('#play');
    await page.waitForFunction(() => /quiet stretch: playing ×6/.test(document.getElementById('pace')?.textContent ?? ''));
    const [t0, w0] = await page.evaluate(() => [window.quorumscope.tick(), performance.now()]);
    await page.waitForTimeout(1_000);
    const [t1, w1] = await page.evaluate(() => [window.quorumscope.tick(), performance.now()]);
    await page.click('#play');
    // About six times the default 60 ticks a second (frames may be late, never early).
    const rate = ((t1 - t0) * 1000) / (w1 - w0);
    assert.ok(rate > 150 && rate < 420, `played ${rate.toFixed(0)} ticks a second`);
    await settle(page);
    assert.equal(await page.$('#pace'), null, 'no note while paused');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
