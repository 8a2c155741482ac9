// The space-time (Lamport) diagram: arrows for messages, marks for crashes,
// selection shared with the canvas in both directions, zoom and pan, export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, suite, ready, seek, settle, qs, pixel, OUT } from './helpers.mjs';

const env = await suite();

test('clicking an arrow selects the message on the canvas too, and back', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=paxos-happy&lang=en`);
  try {
    await ready(page);
    await seek(page, 400);
    const arrows = await qs(page, 'diagramArrows');
    assert.ok(arrows.length > 5, `arrows drawn: ${arrows.length}`);
    // A long arrow, so the click cannot land on a neighbour.
    const target = arrows.filter((a) => a.length > 40).sort((a, b) => b.length - a.length)[0];
    await page.locator('#spacetime').click({ position: { x: target.x, y: target.y } });
    await settle(page);
    const sel = await qs(page, 'selected');
    assert.equal(sel?.kind, 'message');
    // The canvas went to the moment it was sent: the message is in flight there.
    const msgs = await qs(page, 'messages');
    const onCanvas = msgs.find((m) => m.id === sel.id);
    assert.ok(onCanvas, `message ${sel.id} is on the canvas at tick ${await qs(page, 'tick')}`);
    // ...ringed in ink.
    const ring = await pixel(page, 'stage', onCanvas.x + 11, onCanvas.y);
    assert.ok(ring[0] < 90 && ring[1] < 90 && ring[2] < 90, `ring drawn: ${ring}`);
    const info = await page.textContent('#st-info');
    assert.match(info, new RegExp(`Message #${sel.id} \\w+: `));
    assert.match(info, /Lamport time \d+/);
    // Vector clocks on demand.
    await page.check('#st-vc');
    await page.waitForFunction(() => /Vector clock \[\d+(, \d+)+\]/.test(document.getElementById('st-info').textContent));
    await page.screenshot({ path: join(OUT, 'spacetime-selected.png') });

    // From the canvas: shift-click another message selects it in the diagram (and drops nothing).
    await seek(page, 130);
    const inFlight = await qs(page, 'messages');
    assert.ok(inFlight.length > 0);
    const before = await qs(page, 'inFlight');
    // The message farthest from any other, so the click cannot be ambiguous.
    const gap = (a) => Math.min(...inFlight.filter((b) => b !== a).map((b) => Math.hypot(a.x - b.x, a.y - b.y)), 1e9);
    const m = inFlight.reduce((best, a) => (gap(a) > gap(best) ? a : best));
    await page.locator('#stage').click({ position: { x: m.x, y: m.y }, modifiers: ['Shift'] });
    await settle(page);
    assert.deepEqual(await qs(page, 'selected'), { kind: 'message', id: m.id });
    assert.equal(await qs(page, 'inFlight'), before, 'inspecting drops nothing');
    const drawn = (await qs(page, 'diagramArrows')).find((a) => a.id === m.id);
    assert.ok(drawn?.selected, 'the diagram draws it selected');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('crash marks, zoom, pan, follow and the SVG export', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-election&lang=zh`);
  try {
    await ready(page);
    await seek(page, 5_000);
    const marks = await qs(page, 'diagramMarks');
    const crash = marks.find((m) => m.kind === 'Crash');
    assert.ok(crash, `a crash is marked: ${JSON.stringify(marks.map((m) => m.kind))}`);
    await page.locator('#spacetime').click({ position: { x: crash.x, y: crash.y } });
    // The diagram is below the fold: the mouse works in viewport coordinates.
    const box = await page.locator('#spacetime').boundingBox();
    await settle(page);
    assert.deepEqual(await qs(page, 'selected'), { kind: 'mark', id: crash.entry });
    assert.match(await page.textContent('#st-info'), /宕机：S\d @\d+，Lamport 时间 \d+/);
    // Zoom with the wheel: the window narrows around the pointer and stops following.
    const w0 = await qs(page, 'diagramWindow');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await settle(page);
    const w1 = await qs(page, 'diagramWindow');
    assert.ok(w1.y - w1.x < w0.y - w0.x, `zoomed in: ${JSON.stringify([w0, w1])}`);
    assert.equal(w1.follow, false);
    // Drag to pan: later ticks come into view when dragging left.
    await page.mouse.move(box.x + 500, box.y + 100);
    await page.mouse.down();
    await page.mouse.move(box.x + 300, box.y + 100, { steps: 5 });
    await page.mouse.up();
    await settle(page);
    const w2 = await qs(page, 'diagramWindow');
    assert.ok(w2.x > w1.x, `panned: ${JSON.stringify([w1, w2])}`);
    // Keys: + zooms, F follows again.
    await page.locator('#spacetime').focus();
    await page.keyboard.press('+');
    await settle(page);
    const w3 = await qs(page, 'diagramWindow');
    assert.ok(w3.y - w3.x < w2.y - w2.x);
    await page.keyboard.press('f');
    await settle(page);
    assert.equal((await qs(page, 'diagramWindow')).follow, true);
    await page.screenshot({ path: join(OUT, 'spacetime-zh.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-st-svg')]);
    assert.equal(download.suggestedFilename(), 'quorumscope-spacetime.svg');
    const svg = readFileSync(await download.path(), 'utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { root: doc.documentElement.nodeName, error: doc.getElementsByTagName('parsererror').length };
    }, svg);
    assert.deepEqual(parsed, { root: 'svg', error: 0 });
    assert.ok(svg.includes('>S1</text>'), 'lanes are named');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a long run stays cheap to draw: only the window is laid out', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=quorum-custom&lang=en`);
  try {
    await ready(page);
    await seek(page, 250_000);
    const events = await qs(page, 'events');
    assert.ok(events > 10_000, `a long run: ${events} events`);
    const shown = (await qs(page, 'diagramArrows')).length;
    assert.ok(shown > 0 && shown < events / 5, `${shown} arrows laid out of a run of ${events} events`);
    // Going back keeps the future already computed in view, right of the present.
    await seek(page, 100_000);
    const w = await qs(page, 'diagramWindow');
    assert.ok(w.x < 100_000 && w.y > 100_000, JSON.stringify(w));
    assert.ok((await qs(page, 'diagramArrows')).some((a) => a.x > 0), 'arrows around the present');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
