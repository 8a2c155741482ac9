// One app: one wasm module carries every protocol, lesson and view, and the
// checker's worker runs that same module. Switching lessons never reloads
// the page; old links that still carry `engine=full` (from when the app came
// in two builds) open and replay exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, suite, qs, ready, seek, settle, ROOT } from './helpers.mjs';

const env = await suite();

test('every lesson opens from the menu without a navigation, in both languages', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lang=en`);
  try {
    await ready(page);
    let navigations = 0;
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations += 1; });
    // A mark a reload would wipe.
    await page.evaluate(() => { window.__stillHere = true; });
    const lessons = await page.$$eval('#lesson option', (os) => os.map((o) => o.value));
    for (const prefix of ['quorum-', 'paxos-', 'zab-', 'cap-', 'ec-']) {
      assert.ok(lessons.some((l) => l.startsWith(prefix)), `the menu lists ${prefix} lessons`);
    }
    for (const lang of ['en', 'zh']) {
      await page.selectOption('#lang', lang);
      for (const l of lessons) {
        await page.selectOption('#lesson', l);
        await page.waitForFunction((id) => document.querySelector('#lesson').value === id, l);
      }
    }
    await settle(page);
    assert.equal(await page.evaluate(() => window.__stillHere), true, 'the page never reloaded');
    assert.equal(navigations, 0);
    // The diagram and the importer are on every lesson.
    assert.equal(await page.locator('#spacetime').count(), 1);
    assert.equal(await page.locator('#import').count(), 1);
    assert.deepEqual(await qs(page, 'missingKeys'), []);
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, /full build|完整版/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the page and the checker worker run one module, fetched once', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lang=en`);
  const wasm = [];
  context.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url()); });
  try {
    await ready(page);
    // The page's own fetch happened before the listener: read it from timing.
    const before = await page.evaluate(() => performance.getEntriesByType('resource')
      .map((e) => e.name).filter((n) => n.endsWith('.wasm')));
    assert.deepEqual(before.map((u) => u.split('/').pop()), ['quorumscope-web_bg.wasm']);
    // Importing a history starts the worker and has it judge the file.
    await page.setInputFiles('#import', join(ROOT, 'tests', 'fixtures', 'jepsen', 'kv', 'c01-ok.txt'));
    await page.waitForFunction(() => /c01-ok\.txt: \d+ operations, linearizable/.test(document.querySelector('#import-result')?.innerText ?? ''), null, { timeout: 30_000 });
    assert.deepEqual(wasm, [], 'the worker fetched no wasm: the page handed it the compiled module');
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()));
    assert.ok(!scripts.some((f) => /full|worker_loader|quorumscope-worker/.test(f)), scripts.join(' '));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

for (const [lesson, tick] of [['paxos-duel', 2500], ['ec-causal', 1100], ['zab-epochs', 7000]]) {
  test(`a shared ${lesson} run replays exactly, and its old-style link with engine=full too`, async () => {
    const first = await openApp(env.browser, `${env.server.url}#lesson=${lesson}&lang=en`);
    let frag;
    let hash;
    try {
      await ready(first.page);
      await seek(first.page, tick);
      hash = await qs(first.page, 'traceHash');
      frag = await qs(first.page, 'shareFragment');
      assert.doesNotMatch(frag, /engine=/);
      assert.deepEqual(first.errors, []);
    } finally {
      await first.context.close();
    }
    for (const link of [frag, frag.replace(/^s=([^&]*)/, 's=$1&engine=full')]) {
      const second = await openApp(env.browser, `${env.server.url}#${link}`);
      try {
        await ready(second.page);
        await second.page.waitForFunction((t) => window.quorumscope.tick() === t, tick, { timeout: 20_000 });
        await settle(second.page);
        assert.equal(await qs(second.page, 'traceHash'), hash, link.slice(-40));
        assert.deepEqual(second.errors, []);
      } finally {
        await second.context.close();
      }
    }
  });
}

test('a summary re-renders only the panels whose data changed; the still layer and the checks follow events, not frames', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=quorum-custom&lang=en`);
  try {
    await ready(page);
    const read = () => page.evaluate(() => ({
      r: window.quorumscope.renders(),
      draws: window.quorumscope.drawCount(),
      still: window.quorumscope.stillRepaints(),
      checks: window.quorumscope.checkRuns(),
    }));
    await page.click('#play');
    await page.waitForTimeout(500);
    const a = await read();
    await page.waitForTimeout(3000);
    const b = await read();
    // The last painted frames, all while playing: a frame between events
    // moves the last scene on in place and allocates nothing.
    const allocs = await page.evaluate(() => window.quorumscope.frameAllocs());
    await page.click('#play');
    const d = (k) => (b.r[k] ?? 0) - (a.r[k] ?? 0);
    const frames = b.draws - a.draws;
    assert.ok(frames > 20, `it played: ${frames} frames`);
    const none = allocs.filter((n) => n === 0).length;
    console.log(`allocations in the last ${allocs.length} frames: ${allocs.join(' ')}`);
    assert.ok(allocs.length >= 20 && none * 2 > allocs.length, `most frames allocate nothing: ${allocs.join(' ')}`);
    assert.ok(d('status') >= 5, `the status line follows the summaries: ${d('status')}`);
    // Panels whose data did not change while the run played did not render.
    for (const panel of ['header', 'lesson-menu', 'quorum', 'client', 'import', 'narration', 'shortcuts', 'embed', 'share']) {
      assert.equal(d(panel), 0, `${panel} rendered ${d(panel)} times`);
    }
    // The still layer is repainted on events, not on every frame.
    assert.ok(b.still - a.still < frames, `still layer: ${b.still - a.still} repaints in ${frames} frames`);
    // The checks ran only for summaries whose history had changed.
    assert.ok(b.checks - a.checks <= d('status'), `checks ran ${b.checks - a.checks} times for ${d('status')} summaries`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the run is drawn first; the other panels are built in a later frame', async () => {
  for (const fragment of ['#lang=en', '#lesson=paxos-duel&lang=zh']) {
    const { context, page, errors } = await openApp(env.browser, `${env.server.url}${fragment}`);
    try {
      await ready(page);
      const at = await page.evaluate(() =>
        Object.fromEntries(['qs-main', 'qs-mounted', 'qs-first-frame', 'qs-panels'].map((n) => [n, performance.getEntriesByName(n)[0]?.startTime ?? null])));
      for (const [name, t] of Object.entries(at)) assert.ok(t != null, `${fragment}: ${name} was marked`);
      assert.ok(at['qs-main'] <= at['qs-mounted'] && at['qs-mounted'] <= at['qs-first-frame'], `${fragment}: ${JSON.stringify(at)}`);
      assert.ok(at['qs-first-frame'] < at['qs-panels'], `${fragment}: the panels came after the first frame: ${JSON.stringify(at)}`);
      // Built once, and working: the controls drive the run and the diagram is attached.
      assert.equal(await page.locator('.app[data-unfolded=true]').count(), 1);
      const t0 = await qs(page, 'tick');
      await page.click('#step');
      await settle(page);
      assert.ok((await qs(page, 'tick')) > t0, `${fragment}: the step button works`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});
