// Paxos lessons in the browser: the checker flags the broken variant on the
// canvas and in the checks panel; switching back to the faithful variant or
// turning on back-off changes the run as the narration says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, suite, qs, ready, seek, OUT, ROOT } from './helpers.mjs';

const env = await suite();

test('the broken variant chooses two values and the checker flags it; the faithful one does not', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=paxos-forget&lang=en`);
  try {
    await ready(page);
    await seek(page, 800);
    assert.ok((await qs(page, 'violations')) >= 2);
    const checks = await page.locator('#checks').innerText();
    assert.match(checks, /Max_N went down/);
    assert.match(checks, /Two different values chosen: 5 and 9/);
    await page.screenshot({ path: join(OUT, 'paxos-forget.png') });
    await page.selectOption('#variant', 'faithful');
    await page.waitForFunction(() => window.quorumscope.tick() === 800, null, { timeout: 10_000 });
    assert.equal(await qs(page, 'violations'), 0);
    assert.match(await page.locator('#checks').innerText(), /Every invariant holds/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('duelling proposers choose nothing until back-off is turned on', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=paxos-duel&lang=zh`);
  try {
    await ready(page);
    await seek(page, 3000);
    assert.equal(await qs(page, 'chosen'), null);
    await page.screenshot({ path: join(OUT, 'paxos-duel-zh.png') });
    await page.check('#backoff');
    await page.waitForFunction(() => window.quorumscope.tick() === 3000, null, { timeout: 10_000 });
    assert.notEqual(await qs(page, 'chosen'), null);
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the happy path shows promises, accepts and the chosen value', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=paxos-happy&lang=en`);
  try {
    await ready(page);
    await seek(page, 1500);
    assert.equal(await qs(page, 'chosen'), 5);
    await page.screenshot({ path: join(OUT, 'paxos-happy.png') });
    // A client asks an acceptor to propose: acceptors don't take proposals.
    await page.selectOption('#op-node', '0');
    await page.click('#op-write');
    await seek(page, 1700);
    assert.match(await page.locator('#history').innerText(), /failed/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the model checker's counterexample, as a link, replays in the app", async () => {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync('cargo', ['run', '-q', '--profile', 'ci', '-p', 'quorumscope-cli', '--', 'explore', 'forget'], { cwd: ROOT, encoding: 'utf8' });
  const fragment = out.split('\n').find((l) => l.startsWith('#s='));
  assert.ok(fragment, out);
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}${fragment}&lang=en`);
  try {
    await ready(page);
    // One step every 100 ticks, "you are the network" on: 15 steps end by 1 600.
    await seek(page, 3000);
    assert.ok((await qs(page, 'violations')) >= 1);
    // The search stops at damage: two values chosen (the early warning shows too).
    const checks = await page.locator('#checks').innerText();
    assert.match(checks, /Two different values chosen: 2 and 1/);
    assert.match(checks, /Max_N went down: 3 → 2/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('importing Jepsen histories: picker and drag-and-drop, verdicts and unreadable lines', async () => {
  const { readFileSync } = await import('node:fs');
  const fixtures = join(ROOT, 'tests', 'fixtures', 'jepsen');
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lang=en`);
  try {
    await ready(page);
    const result = page.locator('#import-result');
    await page.setInputFiles('#import', join(fixtures, 'etcd', 'etcd_000.log'));
    await result.waitFor();
    assert.match(await result.innerText(), /etcd_000\.log: \d+ operations, not linearizable\..*line 85 fits in no legal order/);
    await page.setInputFiles('#import', join(fixtures, 'kv', 'c10-ok.txt'));
    await page.waitForFunction(() => /c10-ok\.txt: 337 operations, linearizable/.test((document.querySelector('#import-result')?.innerText ?? '')));
    // Drag and drop a broken file: the bad line is named, and what comes before it judged.
    const text = readFileSync(join(fixtures, 'kv', 'c01-ok.txt'), 'utf8').split('\n').slice(0, 3).join('\n') + '\n{:process 1 :type ??? }\n';
    await page.evaluate((t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], 'broken.edn'));
      document.querySelector('#import-panel').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, text);
    await page.waitForFunction(() => /broken\.edn: line 4 cannot be read.*operations before it \(2\) are linearizable/.test((document.querySelector('#import-result')?.innerText ?? '')));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a learner reads the acceptors: five answers for L0, three for L1, and the L field adds learners', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=paxos-learner&lang=zh`);
  try {
    await ready(page);
    assert.equal(await page.locator('#pax-l').inputValue(), '2');
    await seek(page, 200);
    // Asked before anything was chosen, L1 read five "none" and said ∅.
    assert.match(await page.locator('#history').innerText(), /∅/);
    await seek(page, 700);
    await page.screenshot({ path: join(OUT, 'paxos-learner-zh.png') });
    await seek(page, 1100);
    assert.equal(await qs(page, 'chosen'), 5);
    assert.equal(await qs(page, 'violations'), 0);
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    // Too many learners: a readable refusal, and the run stays.
    const hash = await qs(page, 'traceHash');
    await page.fill('#pax-l', '9');
    await page.click('#pax-apply');
    await page.locator('#problem').waitFor();
    assert.match(await page.locator('#problem').innerText(), /学习者数量应在 0 到 3 之间/);
    assert.equal(await qs(page, 'traceHash'), hash);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('exporting an empty history says why nothing downloads', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=paxos-happy&lang=en`);
  try {
    await ready(page);
    await page.click('#export');
    await page.click('#export-edn');
    await page.locator('#problem').waitFor();
    assert.match(await page.locator('#problem').innerText(), /Nothing to export yet/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
