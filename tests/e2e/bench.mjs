// Browser benchmark of the built site (run by `cargo xtask bench`):
//   - first drawn frame: `performance.mark('qs-first-frame')` set by the app when
//     it first draws the canvas, read in a fresh browser per run (median of runs);
//   - CPU while animating: CPU time of every Chromium process (from /proc) per
//     wall-clock second, for the app and for a blank page in the same harness
//     (the harness alone costs tens of ms/s, so compare app − blank);
//   - draws per second while paused (should be 0: nothing changes, nothing drawn);
//   - per-frame work on a crowded canvas (7 replicas and ~200 messages in flight,
//     15 and ~1 000): the app's own timing of each frame's work, and tasks and
//     animation frames of 50 ms or more while playing (QS_FRAME_SECONDS, default 60, per run).
// The app's test hooks are optional; a missing one prints "n/a":
//   window.quorumscope.tick()       simulation tick, proves the animation advances
//   window.quorumscope.drawCount()  canvas draws so far
//   window.quorumscope.play() / .pause(), or else .playing() and a #play button
//
//   - side by side with RaftScope (when --baselines names a folder holding
//     anchors/raftscope): CPU of all Chromium processes for RaftScope, three of
//     our lessons playing and a blank page, alternating, three rounds;
//   - first drawn frame on localhost and under an emulated slow network
//     (1.6 Mbit/s down, 150 ms round trip), the files served brotli-compressed;
//   - renders per second of each panel while a lesson plays;
//   - each challenge's counterexample search in the page's worker, against
//     the same search natively (`quorumscope bench-search`).
//
//   node tests/e2e/bench.mjs [--dist dist] [--json out.json] [--runs 3] [--warmup 2] [--measure 5]
//                            [--baselines DIR]

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, DIST, ROOT } from './helpers.mjs';
import { serve } from './serve.mjs';

const opt = { dist: DIST, json: null, runs: 3, warmup: 2, measure: 5, baselines: process.env.QS_BASELINES ?? '' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in opt) || i + 1 >= argv.length) {
    console.error('usage: node tests/e2e/bench.mjs [--dist DIR] [--json FILE] [--runs N] [--warmup S] [--measure S] [--baselines DIR]');
    process.exit(2);
  }
  opt[key] = typeof opt[key] === 'number' ? Number(argv[++i]) : argv[++i];
}

const PROBE = 'window.quorumscope && window.quorumscope.tick() > 0';
const DRAWS = 'window.quorumscope && window.quorumscope.drawCount ? window.quorumscope.drawCount() : null';
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const r1 = (x) => (x == null ? null : Math.round(x * 10) / 10);
const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
// A checker file's family: its folder for a fixture (etcd/, kv/), its
// generated family's name for the matrix (reg-c5-1k-stale-read-late.log → reg-c5-1k).
const checkFamily = (file) =>
  file.includes('/') ? file.split('/')[0] : file.replace(/-(ok|stale-read|lost-write|phantom-read|inversion)(-(early|middle|late))?\.\w+$/, '');
const show = (x, unit) => (x == null ? 'n/a' : `${x} ${unit}`);

// ---- CPU of this process's descendants (the browser's processes), Linux /proc ----
const CLK_TCK = 100; // sysconf(_SC_CLK_TCK) on Linux x86_64 and arm64
function procTicks(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
}
function browserCpuTicks() {
  const byPid = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try { byPid.set(Number(d), procTicks(d)); } catch { /* exited meanwhile */ }
  }
  const children = new Map();
  for (const [pid, { ppid }] of byPid) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const ticks = new Map();
  const stack = [process.pid];
  while (stack.length) {
    for (const c of children.get(stack.pop()) ?? []) {
      ticks.set(c, byPid.get(c).ticks);
      stack.push(c);
    }
  }
  return ticks;
}
/** ms of CPU per wall-clock second used by the browser's processes during `windowMs`. */
async function cpuMsPerS(windowMs) {
  const a = browserCpuTicks();
  const t0 = process.hrtime.bigint();
  await sleep(windowMs);
  const b = browserCpuTicks();
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  let d = 0;
  for (const [pid, ticks] of b) d += ticks - (a.get(pid) ?? 0); // new processes count from 0
  return (d * 1000) / CLK_TCK / wallS;
}

/**
 * Plays or pauses through `quorumscope.play()/pause()`, or else, when the app
 * reports `quorumscope.playing()`, by clicking its `#play` button. True when
 * the app is (as far as it tells) in the wanted state.
 */
async function setPlaying(page, want) {
  return page
    .evaluate(async (want) => {
      const qs = window.quorumscope;
      if (!qs) return false;
      const fn = want ? qs.play : qs.pause;
      if (typeof fn === 'function') {
        fn.call(qs);
        return true;
      }
      if (typeof qs.playing !== 'function') return false;
      if (qs.playing() !== want) document.getElementById('play')?.click();
      await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
      return qs.playing() === want;
    }, want)
    .catch(() => false);
}

async function hook(page, expr) {
  try {
    return await page.evaluate(expr);
  } catch {
    return null;
  }
}

/** CPU (ms/s, all Chromium processes) of `url` playing, in a fresh browser. */
async function playingCpu(url, { app, probe }) {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url, { waitUntil: 'load' });
    if (app) {
      await page.waitForFunction(() => window.quorumscope && window.quorumscope.drawCount() > 0, null, { timeout: 20_000 });
      await setPlaying(page, true);
    }
    await sleep(3000);
    const before = probe ? await hook(page, probe) : null;
    const cpu = await cpuMsPerS(10_000);
    const after = probe ? await hook(page, probe) : null;
    return { cpu: r1(cpu), advanced: probe ? after > before : null };
  } finally {
    await browser.close();
  }
}

/** RaftScope, our lessons and a blank page, alternating, three rounds. */
async function sideBySide(out) {
  const dir = opt.baselines ? join(opt.baselines, 'anchors', 'raftscope') : '';
  let present = false;
  try {
    present = dir !== '' && readdirSync(dir).includes('index.html');
  } catch {
    present = false;
  }
  if (!present) {
    out.sideBySide = { skipped: opt.baselines ? `no anchors/raftscope in ${opt.baselines}` : 'no --baselines folder given' };
    return;
  }
  const raft = await serve(dir, 0);
  const TICK = 'window.quorumscope.tick()';
  const subjects = [
    ['raftscope', raft.url, { app: false, probe: 'state.current.time' }],
    ['quorum-3-2-2 (default)', server.url, { app: true, probe: TICK }],
    ['paxos-duel', `${server.url}#lesson=paxos-duel`, { app: true, probe: TICK }],
    ['zab-election', `${server.url}#lesson=zab-election`, { app: true, probe: TICK }],
    ['blank page', 'about:blank', { app: false, probe: null }],
  ];
  const rows = Object.fromEntries(subjects.map(([name]) => [name, []]));
  try {
    for (let round = 0; round < 3; round++) {
      for (const [name, url, how] of subjects) {
        const r = await playingCpu(url, how);
        rows[name].push(r.cpu);
        if (r.advanced === false) console.error(`  side by side: ${name} did not advance in round ${round + 1}`);
      }
    }
  } finally {
    await raft.close();
  }
  const raftMedian = median(rows.raftscope);
  out.sideBySide = Object.fromEntries(Object.entries(rows).map(([name, xs]) => [name, {
    runs: xs, median: median(xs), ratioToRaftscope: Math.round((median(xs) / raftMedian) * 100) / 100,
  }]));
}

/** The first drawn frame with the network emulated at 1.6 Mbit/s and 150 ms. */
async function throttledFirstFrame(out) {
  out.firstFrame = {};
  for (const [name, hash] of [['default lesson', ''], ['paxos-duel', '#lesson=paxos-duel']]) {
    for (const [net, cond] of [['localhost', null], ['1.6 Mbit/s, 150 ms RTT', { latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 }]]) {
      const runs = [];
      let bytes = 0;
      for (let run = 0; run < opt.runs; run++) {
        const browser = await launch();
        try {
          const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
          const page = await context.newPage();
          const cdp = await context.newCDPSession(page);
          await cdp.send('Network.enable');
          if (cond) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...cond });
          let wire = 0;
          cdp.on('Network.loadingFinished', (e) => { wire += e.encodedDataLength; });
          await page.goto(`${server.url}${hash}`, { waitUntil: 'load', timeout: 60_000 });
          const mark = await page
            .waitForFunction(() => performance.getEntriesByName('qs-first-frame')[0]?.startTime, null, { timeout: 60_000 })
            .then((h) => h.jsonValue())
            .catch(() => null);
          runs.push(mark);
          bytes = wire;
        } finally {
          await browser.close();
        }
      }
      out.firstFrame[`${name}, ${net}`] = { medianMs: r1(median(runs)), runs: runs.map(r1), wireBytes: bytes };
    }
  }
}

/** How often each panel rendered per second while a lesson played. */
async function panelRenders(out) {
  out.renders = {};
  for (const lesson of ['quorum-3-2-2', 'paxos-duel', 'zab-election']) {
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${server.url}#lesson=${lesson}`, { waitUntil: 'load' });
      await page.waitForFunction(() => window.quorumscope && window.quorumscope.drawCount() > 0, null, { timeout: 20_000 });
      await setPlaying(page, true);
      await sleep(1000);
      const read = () => page.evaluate(() => ({ r: window.quorumscope.renders(), still: window.quorumscope.stillRepaints(), draws: window.quorumscope.drawCount(), checks: window.quorumscope.checkRuns() }));
      const a = await read();
      const t0 = Date.now();
      await sleep(5000);
      const b = await read();
      const s = (Date.now() - t0) / 1000;
      // The last painted frames, all of them while playing.
      const allocs = await page.evaluate(() => window.quorumscope.frameAllocs());
      const perS = Object.fromEntries(Object.keys(b.r).map((k) => [k, r1((b.r[k] - (a.r[k] ?? 0)) / s)]));
      out.renders[lesson] = { allocsPerFrame: median(allocs), perS, drawsPerS: r1((b.draws - a.draws) / s), stillRepaintsPerS: r1((b.still - a.still) / s), checkRunsPerS: r1((b.checks - a.checks) / s) };
    } finally {
      await browser.close();
    }
  }
}

// The lesson a challenge's card is shown on.
const CHALLENGE_LESSON = { paxos: 'paxos-duel', zab: 'zab-broadcast', quorum: 'quorum-3-2-2' };

/// Every challenge's search, broken and as specified: natively (the CLI,
/// same limit of states a stage) and in the page, started from its card as
/// a student starts it; the page's time is the worker's own.
async function searches(out) {
  const { execFileSync } = await import('node:child_process');
  const rows = JSON.parse(execFileSync('cargo', ['run', '-q', '--release', '-p', 'quorumscope-cli', '--', 'bench-search', '--json'], { cwd: ROOT, encoding: 'utf8' }));
  out.searches = [];
  for (const row of rows) {
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const lesson = CHALLENGE_LESSON[row.challenge.split('-')[0]];
      await page.goto(`${server.url}#lesson=${lesson}&lang=en`, { waitUntil: 'load' });
      await page.waitForFunction(() => window.quorumscope && window.quorumscope.drawCount() > 0, null, { timeout: 20_000 });
      const card = page.locator(`#challenges li[data-challenge="${row.challenge}"]`);
      await card.locator(row.broken ? '.try-broken' : '.try-faithful').click();
      await page.locator('#network').waitFor();
      await page.click('#hunt-start');
      const result = page.locator('#hunt-result');
      await result.waitFor({ timeout: 600_000 });
      const states = Number(await result.getAttribute('data-states'));
      const ms = Number(await result.getAttribute('data-ms'));
      out.searches.push({ ...row, nativeMs: row.ms, pageStates: states, pageMs: ms, text: await result.innerText() });
    } finally {
      await browser.close();
    }
  }
}

function reportSearches(out) {
  if (!out.searches) return;
  console.log('  counterexample searches, native vs the page\'s worker (states/s; the page\'s time is the worker\'s):');
  const rate = (states, ms) => Math.round((states * 1000) / Math.max(ms, 1));
  for (const r of out.searches) {
    const how = r.broken ? 'broken' : 'as specified';
    const same = r.states === r.pageStates ? '' : `  (page: ${r.pageStates} states)`;
    const native = rate(r.states, r.nativeMs);
    const page = rate(r.pageStates, r.pageMs);
    console.log(`    ${r.challenge.padEnd(20)} ${how.padEnd(13)} ${String(r.states).padStart(8)} states   native ${String(native).padStart(7)}/s (${(r.nativeMs / 1000).toFixed(1)} s)   page ${String(page).padStart(7)}/s (${(r.pageMs / 1000).toFixed(1)} s)   ${(page / native).toFixed(2)}×   ${r.verdict}${same}`);
  }
}

function report(out) {
  if (out.sideBySide?.skipped) {
    console.log(`  side by side with RaftScope: skipped (${out.sideBySide.skipped})`);
  } else if (out.sideBySide) {
    console.log('  side by side, CPU of all Chromium processes while playing (ms/s; 3 alternating rounds, 3 s warm-up, 10 s window):');
    for (const [name, r] of Object.entries(out.sideBySide)) {
      console.log(`    ${name.padEnd(24)} ${r.runs.map((x) => String(x).padStart(6)).join(' ')}   median ${String(r.median).padStart(6)}   ${r.ratioToRaftscope}× RaftScope`);
    }
  }
  for (const [name, f] of Object.entries(out.firstFrame ?? {})) {
    console.log(`  first drawn frame, ${name.padEnd(40)} median ${show(f.medianMs, 'ms')}   runs [${f.runs.join(', ')}]   ${f.wireBytes} B on the wire`);
  }
  reportSearches(out);
  for (const [lesson, r] of Object.entries(out.renders ?? {})) {
    const panels = Object.entries(r.perS).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`  while ${lesson} plays: ${r.allocsPerFrame} allocations per painted frame (median); per second: ${r.drawsPerS} frames, ${r.stillRepaintsPerS} still-layer repaints, ${r.checkRunsPerS} check runs; renders: ${panels}`);
  }
}

// Served as a static host serves files it compressed ahead: brotli at its
// best quality, compressed once before anything is timed.
process.env.QS_BROTLI_QUALITY ??= '11';
const server = await serve(opt.dist, 0);
for (const f of readdirSync(opt.dist).filter((f) => /\.(html|js|wasm|css)$/.test(f))) {
  await fetch(new URL(f, server.url), { headers: { 'accept-encoding': 'br' } }).then((r) => r.arrayBuffer());
}
const out = { url: server.url, runs: opt.runs, warmupS: opt.warmup, measureS: opt.measure, probe: PROBE };
let failed = false;
try {
  // ---- first drawn frame, one fresh browser per run ----
  const firstFrames = [];
  const loads = [];
  // Where the time goes: the module starts running, the driver is built.
  const steps = { main: [], mounted: [] };
  for (let run = 0; run < opt.runs; run++) {
    const browser = await launch();
    try {
      out.chromium ??= browser.version();
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const loaded = [];
      page.on('requestfinished', (req) => {
        if (!req.url().startsWith(server.url)) return;
        const path = decodeURIComponent(new URL(req.url()).pathname.slice(1)) || 'index.html';
        if (!loaded.includes(path)) loaded.push(path);
      });
      await page.goto(server.url, { waitUntil: 'load' });
      const mark = await page
        .waitForFunction(() => performance.getEntriesByName('qs-first-frame')[0]?.startTime, null, { timeout: 10_000 })
        .then((h) => h.jsonValue())
        .catch(() => null);
      firstFrames.push(mark);
      const at = (name) => page.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime ?? null, name);
      steps.main.push(await at('qs-main'));
      steps.mounted.push(await at('qs-mounted'));
      loads.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.loadEventEnd ?? null));
      if (run === 0) out.loaded = loaded;
    } finally {
      await browser.close();
    }
  }
  out.firstFrameMs = {
    median: r1(median(firstFrames)),
    runs: firstFrames.map(r1),
    moduleRunsMs: r1(median(steps.main)),
    driverBuiltMs: r1(median(steps.mounted)),
  };
  out.loadEventMs = { median: r1(median(loads)), runs: loads.map(r1) };

  // ---- CPU while animating: the app, then a blank page, each in a fresh browser ----
  const measureCpu = async (url, app) => {
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(url, { waitUntil: 'load' });
      if (app) {
        // The wasm starts after the load event: wait until the app is up.
        await page
          .waitForFunction(() => window.quorumscope || performance.getEntriesByName('qs-first-frame').length, null, { timeout: 10_000 })
          .catch(() => {});
      }
      const res = {};
      if (app) await setPlaying(page, true);
      await sleep(opt.warmup * 1000);
      if (app) {
        res.probeStart = await hook(page, PROBE);
        res.tickStart = await hook(page, 'window.quorumscope ? window.quorumscope.tick() : null');
        res.drawsStart = await hook(page, DRAWS);
      }
      const t0 = Date.now();
      res.cpuMsPerS = r1(await cpuMsPerS(opt.measure * 1000));
      if (app) {
        const drawsEnd = await hook(page, DRAWS);
        const elapsedMs = Date.now() - t0;
        res.drawsPerS = res.drawsStart == null || drawsEnd == null ? null : r1(((drawsEnd - res.drawsStart) * 1000) / elapsedMs);
        res.probeEnd = await hook(page, PROBE);
        res.tickEnd = await hook(page, 'window.quorumscope ? window.quorumscope.tick() : null');
        // ---- draws per second while paused ----
        const paused = await setPlaying(page, false);
        const draws0 = paused ? await hook(page, DRAWS) : null;
        if (draws0 != null) {
          await sleep(500); // let a frame already requested finish
          const a = await hook(page, 'window.quorumscope.drawCount()');
          const t0 = Date.now();
          await sleep(Math.max(1, opt.measure / 2) * 1000);
          const b = await hook(page, 'window.quorumscope.drawCount()');
          res.pausedDrawsPerS = a == null || b == null ? null : r1(((b - a) * 1000) / (Date.now() - t0));
        } else {
          res.pausedDrawsPerS = null;
        }
      }
      return res;
    } finally {
      await browser.close();
    }
  };
  const app = await measureCpu(server.url, true);
  const blank = await measureCpu('about:blank', false);
  const animating = app.probeStart === true && app.probeEnd === true && app.tickEnd > app.tickStart;
  out.animation = {
    animating: app.probeStart == null ? null : animating,
    tickStart: app.tickStart,
    tickEnd: app.tickEnd,
    drawsPerS: app.drawsPerS,
    appCpuMsPerS: app.cpuMsPerS,
    blankCpuMsPerS: blank.cpuMsPerS,
    appMinusBlankCpuMsPerS: r1(app.cpuMsPerS - blank.cpuMsPerS),
  };
  out.pausedDrawsPerS = app.pausedDrawsPerS;

  await sideBySide(out);
  await throttledFirstFrame(out);
  await panelRenders(out);

  // ---- the engine in wasm against native, same workload ----
  {
    const EVENTS = 1_000_000;
    const { execFileSync } = await import('node:child_process');
    const nativeRuns = [];
    for (let i = 0; i < 3; i++) {
      const line = execFileSync('cargo', ['run', '-q', '--release', '-p', 'quorumscope-cli', '--', 'bench-paxos', String(EVENTS)], { cwd: ROOT, encoding: 'utf8' });
      nativeRuns.push(JSON.parse(line.trim()).ms);
    }
    const browser = await launch();
    try {
      const page = await browser.newPage();
      await page.goto(server.url, { waitUntil: 'load' });
      // The workload runs in the app's worker (the page's module), timed here.
      await page.evaluate(() => new Promise((ready) => {
        window.__qsBench = new Worker('./worker.js', { type: 'module' });
        window.__qsBench.onmessage = () => ready();
        WebAssembly.compileStreaming(fetch('./quorumscope-web_bg.wasm')).then((m) => window.__qsBench.postMessage(m));
      }));
      // One untimed run first: the browser compiles hot wasm functions again
      // with its optimizing tier; the timed runs measure the settled code.
      await page.evaluate((n) => new Promise((resolve) => {
        window.__qsBench.onmessage = () => resolve();
        window.__qsBench.postMessage(['__bench-paxos', String(n)]);
      }), EVENTS);
      const wasmRuns = [];
      for (let i = 0; i < 3; i++) {
        wasmRuns.push(await page.evaluate((n) => new Promise((resolve) => {
          const t0 = performance.now();
          window.__qsBench.onmessage = () => resolve(performance.now() - t0);
          window.__qsBench.postMessage(['__bench-paxos', String(n)]);
        }), EVENTS));
      }
      out.engine = { events: EVENTS, nativeMs: r1(median(nativeRuns)), wasmMs: r1(median(wasmRuns)) };
      out.engine.ratio = Math.round((out.engine.wasmMs / out.engine.nativeMs) * 100) / 100;
    } finally {
      await browser.close();
    }
  }

  // ---- Zab in wasm against native: same workload ----
  {
    const EVENTS = 1_000_000;
    const { execFileSync } = await import('node:child_process');
    const nativeRuns = [];
    for (let i = 0; i < 3; i++) {
      const line = execFileSync('cargo', ['run', '-q', '--release', '-p', 'quorumscope-cli', '--', 'bench-zab', String(EVENTS)], { cwd: ROOT, encoding: 'utf8' });
      nativeRuns.push(JSON.parse(line.trim()).ms);
    }
    const browser = await launch();
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}#lesson=zab-custom`, { waitUntil: 'load' });
      await page.waitForFunction(() => window.quorumscope && window.quorumscope.drawCount() > 0, null, { timeout: 30_000 });
      await page.evaluate((n) => window.quorumscope.benchZab(n), EVENTS); // untimed warm-up, as above
      const wasmRuns = [];
      for (let i = 0; i < 3; i++) {
        wasmRuns.push(await page.evaluate((n) => {
          const t0 = performance.now();
          window.quorumscope.benchZab(n);
          return performance.now() - t0;
        }, EVENTS));
      }
      out.zabEngine = { events: EVENTS, nativeMs: r1(median(nativeRuns)), wasmMs: r1(median(wasmRuns)) };
      out.zabEngine.ratio = Math.round((out.zabEngine.wasmMs / out.zabEngine.nativeMs) * 100) / 100;
    } finally {
      await browser.close();
    }
  }

  // ---- per-frame work on a crowded canvas ----
  // The app times each animation frame's work (advance, project, paint) and
  // keeps the last 256; long tasks and long animation frames (≥ 50 ms) are
  // counted by PerformanceObservers for the whole run.
  {
    const { execFileSync } = await import('node:child_process');
    const FRAME_SECONDS = Number(process.env.QS_FRAME_SECONDS ?? 60);
    out.frames = [];
    for (const [replicas, gossip] of [[7, 21], [15, 9]]) {
      const link = execFileSync('cargo', ['run', '-q', '--release', '-p', 'quorumscope-cli', '--', 'link-crowded', String(replicas), String(gossip)], { cwd: ROOT, encoding: 'utf8' }).trim();
      const browser = await launch();
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        await page.addInitScript(() => {
          window.__qsLong = [];
          for (const type of ['longtask', 'long-animation-frame']) {
            try {
              new PerformanceObserver((list) => {
                for (const e of list.getEntries()) window.__qsLong.push({ type, start: e.startTime, ms: e.duration });
              }).observe({ type, buffered: true });
            } catch { /* an entry type this browser lacks */ }
          }
        });
        await page.goto(`${server.url}${link}`, { waitUntil: 'load' });
        await page.waitForFunction(() => window.quorumscope && window.quorumscope.drawCount() > 0, null, { timeout: 30_000 });
        // Loading (wasm compile, the link's replay) is not part of the run.
        const playFrom = await page.evaluate(() => performance.now());
        await setPlaying(page, true);
        const inFlight = [];
        const t0 = Date.now();
        while (Date.now() - t0 < FRAME_SECONDS * 1000) {
          await sleep(1000);
          inFlight.push(await page.evaluate(() => window.quorumscope.inFlight()));
        }
        const times = (await page.evaluate(() => window.quorumscope.frameTimes())).sort((a, b) => a - b);
        const pct = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
        const entries = (await page.evaluate(() => window.__qsLong)).filter((e) => e.start >= playFrom);
        const long = {
          tasks: entries.filter((e) => e.type === 'longtask').length,
          frames: entries.filter((e) => e.type !== 'longtask').length,
          worst: Math.max(0, ...entries.map((e) => e.ms)),
        };
        const loading = await page.evaluate((t) => window.__qsLong.filter((e) => e.start < t).length, playFrom);
        out.frames.push({
          loadingLong: loading,
          replicas, seconds: FRAME_SECONDS, inFlight: median(inFlight.slice(2)),
          p50: r1(pct(0.5)), p95: r1(pct(0.95)), max: r1(times[times.length - 1]), samples: times.length,
          longTasks: long.tasks, longFrames: long.frames, worstLongMs: r1(long.worst),
        });
      } finally {
        await browser.close();
      }
    }
  }

  // ---- the linearizability checker in wasm against native, per file ----
  // The Jepsen fixtures, and the generated matrix when `bench-check
  // --side-by-side` has written it (cargo xtask bench does, just before).
  {
    const { execFileSync } = await import('node:child_process');
    const dirs = [join(ROOT, 'tests', 'fixtures', 'jepsen'), join(ROOT, 'target', 'bench', 'histories')];
    const native = [];
    for (const dir of dirs) {
      try {
        const rows = JSON.parse(execFileSync('cargo', ['run', '-q', '--release', '-p', 'quorumscope-cli', '--', 'bench-check', dir, '--json'], { cwd: ROOT, encoding: 'utf8' }));
        for (const row of rows) native.push({ ...row, dir });
      } catch {
        // No such folder (the matrix not written yet): nothing to time there.
      }
    }
    if (native.length) {
      const browser = await launch();
      try {
        const page = await browser.newPage();
        await page.goto(server.url, { waitUntil: 'load' });
        // The same worker the import panel uses; timed per message round trip.
        await page.evaluate(() => new Promise((ready) => {
          window.__qsWorker = new Worker('./worker.js', { type: 'module' });
          window.__qsWorker.onmessage = () => ready(); // the worker says "ready" once started
          WebAssembly.compileStreaming(fetch('./quorumscope-web_bg.wasm')).then((m) => window.__qsWorker.postMessage(m));
          window.__qsJudge = (text) => new Promise((resolve) => {
            // The file's bytes, as the import panel sends them (File.arrayBuffer()).
            const bytes = new TextEncoder().encode(text).buffer;
            const t0 = performance.now();
            // The answer is `T|first check, µs|warm check, µs a run|verdict`:
            // the first is what the page waits for; the warm one, a file of
            // under 40 ms judged again for 40 ms, is the check itself, timed
            // more finely than a worker's clock (0.1 ms steps) can time one
            // small file (a longer file's warm time is its first).
            window.__qsWorker.onmessage = (e) => {
              const [, first, warm, verdict] = String(e.data).match(/^T\|(\d+)\|(\d+)\|([^]*)$/) ?? [];
              resolve({ ms: performance.now() - t0, workerMs: Number(first) / 1000, warmMs: Number(warm) / 1000, verdict });
            };
            window.__qsWorker.postMessage(['\u0001bench-check', bytes]);
          });
        }));
        out.checker = [];
        for (const row of native) {
          const text = readFileSync(join(row.dir, row.file), 'utf8');
          const runs = [];
          // A file of seconds is timed thrice, not five times.
          for (let i = 0; i < 5 && !(i >= 3 && runs[0].ms > 1000); i++) {
            runs.push(await page.evaluate((t) => window.__qsJudge(t), text));
          }
          out.checker.push({
            file: row.file, family: checkFamily(row.file), nativeMs: row.check_ms + row.parse_ms,
            // In the worker: bytes decoded, parsed, checked, verdict encoded.
            wasmMs: median(runs.map((r) => r.workerMs)),
            // The same, judged again and again in the worker: a run's time.
            warmMs: median(runs.map((r) => r.warmMs)),
            // The page's wait: that, plus the messages there and back.
            roundTripMs: median(runs.map((r) => r.ms)),
          });
        }
      } finally {
        await browser.close();
      }
    }
  }

  // ---- the counterexample searches in the page's worker against native ----
  await searches(out);

  const anim = out.animation;
  console.log(`browser bench: Chromium ${out.chromium}, ${opt.runs} runs, ${opt.warmup} s warm-up, ${opt.measure} s window`);
  console.log(`  first drawn frame (qs-first-frame)  median ${show(out.firstFrameMs.median, 'ms')}   runs [${out.firstFrameMs.runs.map((x) => x ?? 'n/a').join(', ')}]`);
  console.log(`    of which: the module runs at ${show(out.firstFrameMs.moduleRunsMs, 'ms')}, the driver is built at ${show(out.firstFrameMs.driverBuiltMs, 'ms')} (medians)`);
  console.log(`  load event                          median ${show(out.loadEventMs.median, 'ms')}`);
  console.log(`  animating (probe ${PROBE}): ${anim.animating == null ? 'n/a' : anim.animating}${anim.tickStart != null ? `, ticks ${anim.tickStart} -> ${anim.tickEnd}` : ''}`);
  console.log(`  draws per second while animating     ${show(anim.drawsPerS, '/s')}`);
  console.log(`  CPU, all Chromium processes          app ${show(anim.appCpuMsPerS, 'ms/s')}, blank page ${show(anim.blankCpuMsPerS, 'ms/s')}, app - blank ${show(anim.appMinusBlankCpuMsPerS, 'ms/s')}  (1000 ms/s = one core)`);
  console.log(`  draws per second while paused        ${show(out.pausedDrawsPerS, '/s')}`);
  console.log(`  files loaded: ${(out.loaded ?? []).join(', ')}`);
  if (out.checker) {
    console.log('  linearizability checker, parse + check, median of 5: native; wasm in the worker (its own clock): the first check, and warm (judged again for 40 ms); the page\'s wait (with the messages)');
    let n = 0, w = 0, h = 0, t = 0;
    for (const c of out.checker) {
      n += c.nativeMs;
      w += c.wasmMs;
      h += c.warmMs;
      t += c.roundTripMs;
      console.log(`    ${c.file.padEnd(22)} native ${c.nativeMs.toFixed(3).padStart(9)} ms   worker ${c.wasmMs.toFixed(3).padStart(9)} ms ${(c.wasmMs / c.nativeMs).toFixed(2)}×   warm ${c.warmMs.toFixed(3).padStart(9)} ms ${(c.warmMs / c.nativeMs).toFixed(2)}×   page ${c.roundTripMs.toFixed(1).padStart(7)} ms`);
    }
    console.log(`    total                  native ${n.toFixed(1).padStart(9)} ms   worker ${w.toFixed(1).padStart(9)} ms ${(w / n).toFixed(2)}×   warm ${h.toFixed(1).padStart(9)} ms ${(h / n).toFixed(2)}×   page ${t.toFixed(1).padStart(7)} ms ${(t / n).toFixed(2)}×`);
    console.log('  per family (totals; median and largest of the files\' worker/native, first and warm; median of page/native):');
    for (const fam of [...new Set(out.checker.map((c) => c.family))]) {
      const rows = out.checker.filter((c) => c.family === fam);
      const sum = (k) => rows.reduce((a, c) => a + c[k], 0);
      const ratios = (k) => rows.map((c) => c[k] / c.nativeMs).sort((a, b) => a - b);
      const [first, warm] = [ratios('wasmMs'), ratios('warmMs')];
      const waits = rows.map((c) => c.roundTripMs / c.nativeMs);
      console.log(`    ${fam.padEnd(22)} ${String(rows.length).padStart(3)} files  native ${sum('nativeMs').toFixed(1).padStart(9)} ms   first: worker ${sum('wasmMs').toFixed(1).padStart(9)} ms, median ${median(first).toFixed(2)}×, largest ${first[first.length - 1].toFixed(2)}×   warm: ${sum('warmMs').toFixed(1).padStart(9)} ms, median ${median(warm).toFixed(2)}×, largest ${warm[warm.length - 1].toFixed(2)}×   page median ${median(waits).toFixed(2)}×`);
    }
  }
  for (const f of out.frames ?? []) {
    console.log(`  frame work, ${f.replicas} replicas, ~${f.inFlight} messages in flight, ${f.seconds} s playing: p50 ${f.p50} ms, p95 ${f.p95} ms, max ${f.max} ms (last ${f.samples} frames); tasks ≥ 50 ms: ${f.longTasks}, animation frames ≥ 50 ms: ${f.longFrames}${f.worstLongMs ? ` (worst ${f.worstLongMs} ms)` : ''}; while loading: ${f.loadingLong}`);
  }
  if (out.engine) {
    const e = out.engine;
    console.log(`  paxos engine, ${e.events} events, invariants every step: native ${e.nativeMs} ms (${r1(e.events / e.nativeMs / 1000)} M events/s), wasm in Chromium ${e.wasmMs} ms (${r1(e.events / e.wasmMs / 1000)} M events/s), wasm/native ${e.ratio}×`);
  const z = out.zabEngine;
  console.log(`  zab engine (5 voters), ${z.events} events, invariants every step: native ${z.nativeMs} ms (${r1(z.events / z.nativeMs / 1000)} M events/s), wasm in Chromium ${z.wasmMs} ms (${r1(z.events / z.wasmMs / 1000)} M events/s), wasm/native ${z.ratio}×`);
  }
  report(out);
} catch (err) {
  failed = true;
  console.error('browser bench failed:', err);
} finally {
  await server.close();
}
if (opt.json) writeFileSync(opt.json, JSON.stringify(out, null, 2) + '\n');
process.exit(failed ? 1 : 0);
