// Embedding: the snippet the Embed button gives, pasted as is into a course
// page on another origin, driven through postMessage; a third origin's
// messages are ignored; the example host page under web/ works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { openApp, suite, ready, seek, qs, OUT } from './helpers.mjs';

const env = await suite();

/** A plain web server for pages of other origins (no CSP: a course site). */
function pages(files) {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const path = new URL(req.url, 'http://x').pathname;
      if (path === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      const body = files[path];
      if (body === undefined) {
        res.writeHead(404).end('not found');
        return;
      }
      const type = req.url.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8';
      res.writeHead(200, { 'Content-Type': type }).end(body);
    });
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}`;
      resolve({ url, files, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

// Records every message the course page receives, before the frame loads.
const RECORDER = `window.events = [];
addEventListener('message', (e) => window.events.push({ origin: e.origin, data: e.data }));`;

let host;
let evil;
before(async () => {
  host = await pages({ '/recorder.js': RECORDER });
  evil = await pages({ '/evil.html': '<!doctype html><title>another site</title>' });
});
after(async () => {
  await host?.close();
  await evil?.close();
});

/** Wait until the course page has received an event matching `pred`. */
async function event(page, pred, what) {
  const found = await page
    .waitForFunction((src) => window.events.find(new Function('e', `return ${src}`)), pred, { timeout: 15_000 })
    .catch(() => null);
  assert.ok(found, `no ${what} event; got ${JSON.stringify(await page.evaluate(() => window.events.map((e) => e.data)))}`);
  return found.jsonValue();
}

test('the Embed snippet, pasted into a page of another origin, is driven by it and by no one else', async () => {
  // The app from a subpath of one origin; the snippet made there.
  const appBase = env.server.subUrl;
  const appOrigin = new URL(appBase).origin;
  const { context: c1, page: app } = await openApp(env.browser, `${appBase}#lesson=quorum-3-2-2&lang=en`);
  let snippet;
  try {
    await ready(app);
    await seek(app, 200);
    await app.click('#embed');
    snippet = await app.inputValue('#embed-code');
  } finally {
    await c1.close();
  }
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/sub\/path\/#s=v2\.[^"]*&amp;t=200&amp;embed=1" /);
  assert.ok(snippet.includes('sandbox="allow-scripts allow-same-origin allow-downloads allow-popups"'), snippet);

  host.files['/course.html'] = `<!doctype html><html><head><meta charset="utf-8"><title>A course page</title>
<script src="/recorder.js"></script></head><body><h1>Lecture 03</h1>
${snippet}
<iframe id="evil" src="${evil.url}/evil.html" width="200" height="50"></iframe></body></html>`;
  const { context, page, errors } = await openApp(env.browser, `${host.url}/course.html`, { viewport: { width: 1100, height: 900 } });
  try {
    const hello = await event(page, `e.data && e.data.qs === 'ready'`, 'ready');
    assert.equal(hello.origin, appOrigin, 'events come from the app and go to this page only');
    assert.equal(hello.data.build, undefined, 'no build is named');
    const frame = page.frames().find((f) => f.url().startsWith(appBase));
    assert.ok(frame, 'the frame loaded from the subpath');
    await frame.waitForFunction(() => window.quorumscope && window.quorumscope.tick() === 200);
    const send = (msg) => page.evaluate(([m, o]) => document.querySelector('iframe').contentWindow.postMessage(m, o), [msg, appOrigin]);

    // Seek, play and pause from the course page.
    await send({ qs: 'seek', tick: 450 });
    await frame.waitForFunction(() => window.quorumscope.tick() === 450);
    await event(page, `e.data.qs === 'tick' && e.data.tick === 450`, 'tick 450');
    await send({ qs: 'speed', ticksPerSecond: 400 });
    await send({ qs: 'play' });
    await frame.waitForFunction(() => window.quorumscope.playing() && window.quorumscope.tick() > 500);
    await send({ qs: 'pause' });
    await frame.waitForFunction(() => !window.quorumscope.playing());
    const paused = await frame.evaluate(() => window.quorumscope.tick());

    // Another origin's frame cannot drive it, whatever it sends.
    const other = page.frames().find((f) => f.url().startsWith(evil.url));
    await other.evaluate(() => {
      parent.frames[0].postMessage({ qs: 'seek', tick: 7_777 }, '*');
      parent.frames[0].postMessage({ qs: 'play' }, '*');
    });
    await page.waitForTimeout(400);
    assert.equal(await frame.evaluate(() => window.quorumscope.tick()), paused);
    assert.equal(await frame.evaluate(() => window.quorumscope.playing()), false);

    // A bad link is refused with a reason; the run stays.
    const hash = await frame.evaluate(() => window.quorumscope.traceHash());
    await send({ qs: 'load', link: '#s=v1.not-a-link' });
    const refused = await event(page, `e.data.qs === 'error'`, 'error');
    assert.ok(refused.data.text.length > 5, refused.data.text);
    assert.equal(await frame.evaluate(() => window.quorumscope.traceHash()), hash);
    // Unknown commands and malformed ones do nothing.
    await send({ qs: 'eval', code: 'alert(1)' });
    await send({ qs: 'seek', tick: -5 });
    await send('play');
    await page.waitForTimeout(200);
    assert.equal(await frame.evaluate(() => window.quorumscope.tick()), paused);

    // A lesson whose stale read the checker catches: a violation event.
    await send({ qs: 'load', lesson: 'quorum-stale' });
    await event(page, `e.data.qs === 'lesson' && e.data.id === 'quorum-stale'`, 'lesson');
    await send({ qs: 'seek', tick: 3_000 });
    const bad = await event(page, `e.data.qs === 'violation'`, 'violation');
    assert.match(bad.data.text, /linearizable/i);

    // Exports work inside the sandbox (allow-downloads).
    const [download] = await Promise.all([page.waitForEvent('download'), frame.click('#export').then(() => frame.click('#export-edn'))]);
    assert.equal(download.suggestedFilename(), 'quorumscope-history.edn');
    await page.screenshot({ path: join(OUT, 'embed-host.png') });

    // A lesson of another lecture loads in place: no reload, still embedded and driven.
    await frame.evaluate(() => { window.__stillHere = true; });
    await send({ qs: 'load', lesson: 'paxos-duel' });
    await event(page, `e.data.qs === 'lesson' && e.data.id === 'paxos-duel'`, 'lesson paxos-duel');
    assert.equal(await frame.evaluate(() => window.__stillHere), true, 'the frame did not reload');
    assert.ok(await frame.evaluate(() => document.querySelector('.app').classList.contains('embed')));
    await send({ qs: 'seek', tick: 300 });
    await frame.waitForFunction(() => window.quorumscope.tick() === 300);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('locked and hidden controls', async () => {
  const base = `${env.server.url}#lesson=quorum-3-2-2&lang=en&embed=1`;
  const { context, page, errors } = await openApp(env.browser, `${base}&controls=locked`);
  try {
    await ready(page);
    assert.ok(await page.isVisible('#play'));
    assert.ok(!(await page.isVisible('#heal')));
    // A click on a node does not crash it.
    const p = await qs(page, 'nodePos', 0);
    await page.locator('#stage').click({ position: { x: p.x, y: p.y } });
    await page.waitForTimeout(200);
    assert.equal(await qs(page, 'nodeUp', 0), true);
    // A new document (changing only the fragment would not reload the page).
    await page.goto('about:blank');
    await page.goto(`${base}&controls=hidden&autoplay=1`);
    await ready(page);
    assert.ok(!(await page.isVisible('#play')));
    await page.waitForFunction(() => window.quorumscope.tick() > 50);
    assert.ok(await page.isVisible('#open-app'), 'a way out to the whole app');
    assert.ok(!(await page.getAttribute('#open-app', 'href')).includes('embed=1'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the example course page under web/ drives the app', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.subUrl}embed-example/`);
  try {
    await page.waitForFunction(() => document.querySelectorAll('#log li').length > 0, null, { timeout: 15_000 });
    assert.match(await page.textContent('#log'), /"qs":"ready"/);
    await page.fill('#tick', '321');
    await page.click('#seek');
    const frame = page.frames().find((f) => f.url().includes('embed=1'));
    await frame.waitForFunction(() => window.quorumscope.tick() === 321);
    await page.waitForFunction(() => /"tick":321/.test(document.getElementById('log').textContent));
    await page.click('#zh');
    await frame.waitForFunction(() => document.documentElement.lang === 'zh-CN' || document.querySelector('#play').textContent === '播放');
    await page.screenshot({ path: join(OUT, 'embed-example.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
