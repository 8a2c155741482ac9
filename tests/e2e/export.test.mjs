// Export of the frame on show: SVG made from the Scene (as the CLI's
// `run --export svg` makes it) and PNG from the canvas's pixels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openApp, suite, ready, seek } from './helpers.mjs';

const env = await suite();

test('the frame exports as a valid SVG and a valid PNG', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lang=en`);
  try {
    await ready(page);
    await seek(page, 70);
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export').then(() => page.click('#export-svg'))]);
    assert.equal(svgDownload.suggestedFilename(), 'quorumscope-frame.svg');
    const svg = readFileSync(await svgDownload.path(), 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const n of ['n0', 'n1', 'n2']) assert.ok(svg.includes(`>${n}</text>`), n);
    assert.equal((svg.match(/<text/g) ?? []).length, (svg.match(/<\/text>/g) ?? []).length);
    // The browser itself parses it as SVG without an error.
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { root: doc.documentElement.nodeName, error: doc.getElementsByTagName('parsererror').length };
    }, svg);
    assert.deepEqual(parsed, { root: 'svg', error: 0 });
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export').then(() => page.click('#export-png'))]);
    assert.equal(pngDownload.suggestedFilename(), 'quorumscope-frame.png');
    const png = readFileSync(await pngDownload.path());
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.ok(png.length > 5_000, `a real picture: ${png.length} B`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the trace exports as JSON, written by the worker, with the run\'s hash', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=quorum-3-2-2&lang=en`);
  try {
    await ready(page);
    await seek(page, 700);
    const hash = await page.evaluate(() => window.quorumscope.traceHash());
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.click('#export').then(() => page.click('#export-json'))]);
    assert.equal(download.suggestedFilename(), 'quorumscope-trace.json');
    const doc = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(doc.tick, 700);
    assert.equal(doc.hash, hash, 'the worker replayed the same run');
    assert.ok(doc.trace.length > 10);
    assert.ok(doc.trace.some((e) => e.what.Crashed?.node === 0), 'the crash of n0 is in it');
    assert.match(doc.link, /^#s=v2\./);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
