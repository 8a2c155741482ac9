// The page reads in order: on a laptop screen the canvas, the play controls
// and the guided step's text are all in view without scrolling, the four
// exports sit in one menu, and on a phone the canvas comes before the
// narration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, suite, ready, settle, OUT } from './helpers.mjs';

const env = await suite();

const box = (page, sel) => page.locator(sel).first().boundingBox();

test('at 1366 × 768 the canvas, the play controls and the step text need no scrolling', async () => {
  for (const lang of ['en', 'zh']) {
    const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-epochs&lang=${lang}`, {
      viewport: { width: 1366, height: 768 },
    });
    try {
      await ready(page);
      await settle(page);
      for (const sel of ['#stage', '#play', '#time', '#guide-text']) {
        const b = await box(page, sel);
        assert.ok(b, `${sel} is shown`);
        assert.ok(b.y >= 0 && b.y + b.height <= 768, `${lang}: ${sel} ends at ${b.y + b.height}, within 768`);
      }
      // The exports are one menu: hidden until it opens, closed again after a choice.
      assert.equal(await page.locator('#export-svg').isVisible(), false);
      await page.click('#export');
      assert.equal(await page.locator('#export-svg').isVisible(), true);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
      assert.equal(download.suggestedFilename(), 'quorumscope-frame.svg');
      assert.equal(await page.locator('#export-svg').isVisible(), false, 'a choice closes the menu');
      // The controls come in labelled groups.
      const groups = await page.locator('.controls [role="group"]').evaluateAll((g) => g.map((x) => x.getAttribute('aria-label')));
      assert.equal(groups.length, 3, JSON.stringify(groups));
      assert.ok(groups.every((g) => g && g.length > 0));
      await page.screenshot({ path: join(OUT, `layout-1366-${lang}.png`) });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test('on a 390 px phone the canvas comes first and the narration follows', async () => {
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=quorum-3-2-2&lang=zh`, {
    viewport: { width: 390, height: 844 },
  });
  try {
    await ready(page);
    const stage = await box(page, '#stage');
    const text = await box(page, '#guide-text');
    assert.ok(stage.y + stage.height <= text.y, `canvas ends at ${stage.y + stage.height}, the step text starts at ${text.y}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
