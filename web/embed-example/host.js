// An example course page driving an embedded Quorumscope through its
// postMessage API (see the README, "Embedding").
//
// The frame obeys only its parent page, and reports only to the parent's
// origin; this page, in turn, listens only to the frame's window and origin.

const frame = document.getElementById('quorumscope');
const params = new URLSearchParams(location.search);
// The app's address: ?app=… or the site this example is part of.
const app = new URL(params.get('app') ?? '../', location.href);
app.hash = 'lesson=quorum-3-2-2&embed=1';
frame.src = app.href;
const appOrigin = app.origin;

/** Send one command to the frame (to its origin only). */
function send(message) {
  frame.contentWindow.postMessage(message, appOrigin);
}

const log = document.getElementById('log');
window.addEventListener('message', (e) => {
  if (e.source !== frame.contentWindow || e.origin !== appOrigin) return;
  if (!e.data || typeof e.data.qs !== 'string') return;
  const item = document.createElement('li');
  item.textContent = JSON.stringify(e.data); // text, never HTML
  log.prepend(item);
  while (log.children.length > 200) log.lastChild.remove();
});

const on = (id, f) => document.getElementById(id).addEventListener('click', f);
on('play', () => send({ qs: 'play' }));
on('pause', () => send({ qs: 'pause' }));
on('step', () => send({ qs: 'step' }));
on('seek', () => send({ qs: 'seek', tick: Number(document.getElementById('tick').value) }));
on('set-speed', () => send({ qs: 'speed', ticksPerSecond: Number(document.getElementById('speed').value) }));
on('load', () => send({ qs: 'load', lesson: document.getElementById('lesson').value }));
on('zh', () => send({ qs: 'lang', lang: 'zh' }));
on('en', () => send({ qs: 'lang', lang: 'en' }));
