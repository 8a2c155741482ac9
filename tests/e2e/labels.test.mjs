// The canvas's labels are placed natively from estimated text widths
// (crates/scene/src/labels.rs); a native test counts their overlaps. Here the
// estimate is checked against what Chromium measures with the page's own
// fonts, so "no overlap" natively means no overlap on screen; and a crowded
// phone frame is drawn and kept as a screenshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, suite, ready, seek, OUT, ROOT } from './helpers.mjs';

const env = await suite();

/** The width tables of labels.rs, read from the source: regular, then bold. */
function tables() {
  const src = readFileSync(join(ROOT, 'crates', 'scene', 'src', 'labels.rs'), 'utf8');
  const read = (name) => {
    const m = src.match(new RegExp(`const ${name}: \\[u8; 95\\] = \\[([^\\]]*)\\]`));
    assert.ok(m, `table ${name}`);
    const v = m[1].split(',').map((x) => x.trim()).filter(Boolean).map(Number);
    assert.equal(v.length, 95);
    return v;
  };
  return { regular: read('REGULAR'), bold: read('BOLD') };
}

// The fonts of labels.rs's Font::css, with their sizes.
const FONTS = [
  ['11px sans-serif', 11, false],
  ['bold 12px sans-serif', 12, true],
  ['12px sans-serif', 12, false],
  ['bold 13px sans-serif', 13, true],
  ['bold 14px sans-serif', 14, true],
  ['bold 15px sans-serif', 15, true],
];

const SAMPLES = [
  'FOLLOWING S3', 'LOOKING (1, 1:3, 5)', '1:1=5✓ 1:2=6✓ 1:3=7', 'epoch 1 · acc 1', 'last 1:2 · ✓1:2',
  'Max_N 13', 'acc (13,9)', 'prepare 13 = 5*2+3 · 2✓', 'write 1 v1.0', 'PROPOSAL 1:2', 'put 10 → S3',
  'Chosen value: 5', '⚠ Two different values chosen: 5 and 9', 'N=10  W=3  R=8', 'vv [2,0,1]',
  '最终一致（到达即应用） · 无保证 · 反熵开', '已选定的值：5', '错误变体：批准者只在内存中记住承诺', 'WWWWMMMM@@@%%%',
];

test('the estimated label widths bound what Chromium measures', async () => {
  const { regular, bold } = tables();
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lang=zh`);
  try {
    await ready(page);
    const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    const strings = [...ascii, ...SAMPLES];
    const measured = await page.evaluate(([fonts, strings]) => {
      const ctx = document.createElement('canvas').getContext('2d');
      return fonts.map(([css]) => {
        ctx.font = css;
        return strings.map((s) => ctx.measureText(s).width);
      });
    }, [FONTS, strings]);
    const estimate = (s, px, isBold) => {
      const t = isBold ? bold : regular;
      let h = 0;
      for (const c of s) {
        const code = c.codePointAt(0);
        h += code >= 32 && code <= 126 ? t[code - 32] : 100;
      }
      return (h * px) / 100;
    };
    const short = [];
    FONTS.forEach(([css, px, isBold], f) => {
      strings.forEach((s, k) => {
        const est = estimate(s, px, isBold);
        if (est + 0.01 < measured[f][k]) short.push(`${css} ${JSON.stringify(s)}: ${est} < ${measured[f][k]}`);
      });
    });
    assert.deepEqual(short, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a crowded Zab frame on a phone draws its labels apart', async () => {
  const viewport = { width: 390, height: 844 };
  const { context, page, errors } = await openApp(env.browser, `${env.server.url}#lesson=zab-epochs&lang=zh`, {
    viewport,
  });
  try {
    await ready(page);
    await seek(page, 1400);
    const box = await page.locator('#stage').boundingBox();
    assert.ok(box.height >= 430, `the phone canvas is tall enough for the ring: ${box.height}`);
    await page.locator('#stage').screenshot({ path: join(OUT, 'labels-phone-zab-epochs.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
