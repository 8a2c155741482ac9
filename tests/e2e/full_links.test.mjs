// Share links of the protocols only the full build carries (Paxos, the
// eventually consistent store) replay exactly there — also when the link
// lost its `engine=full` hint: the default build tells them by the
// protocol's index in the payload and reloads into the full build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, suite, qs, ready, seek, settle, realErrors } from './helpers.mjs';

const env = await suite();

/** Errors other than requests the switch to the full build's page cut short. */
const real = realErrors;

for (const [lesson, tick] of [['paxos-duel', 2500], ['ec-causal', 1100]]) {
  test(`a shared ${lesson} run replays in the full build, with or without the hint`, async () => {
    const first = await openApp(env.browser, `${env.server.url}#lesson=${lesson}&lang=en`);
    let frag;
    let hash;
    try {
      await ready(first.page);
      await seek(first.page, tick);
      hash = await qs(first.page, 'traceHash');
      frag = await qs(first.page, 'shareFragment');
      assert.match(frag, /engine=full/);
      assert.deepEqual(first.errors, []);
    } finally {
      await first.context.close();
    }
    const bare = frag.replace('&engine=full', '');
    const second = await openApp(env.browser, `${env.server.url}#${bare}`);
    try {
      await second.page.waitForFunction(() => window.quorumscope && window.quorumscope.build === 'full', null, { timeout: 20_000 });
      await ready(second.page);
      await second.page.waitForFunction((t) => window.quorumscope.tick() === t, tick, { timeout: 20_000 });
      await settle(second.page);
      assert.equal(await qs(second.page, 'traceHash'), hash);
      assert.deepEqual(real(second.errors), []);
    } finally {
      await second.context.close();
    }
  });
}
