// Boot loader of the Quorumscope page (copied to dist/ by trunk; see index.html).
//
// Trunk's own loader is an inline <script>, which the page's Content-Security-Policy
// (script-src 'self') forbids, so Trunk.toml turns it off and this static file
// does its job: load the wasm-bindgen glue that trunk generates and start the
// wasm module. Every URL is relative to this file, so the site works from any
// subpath. Messages go through textContent only (no HTML), in Chinese and English.

const GLUE = './quorumscope-web.js';
const WASM = './quorumscope-web_bg.wasm';

const MESSAGES = {
  noWasm: [
    '这个浏览器不支持 WebAssembly，无法运行 Quorumscope。请换用较新版本的 Chrome、Edge、Firefox 或 Safari。',
    'This browser does not support WebAssembly, which Quorumscope needs. Please use a recent Chrome, Edge, Firefox or Safari.',
  ],
  failed: ['Quorumscope 加载失败：', 'Quorumscope failed to load: '],
  crashed: [
    'Quorumscope 内部出错，已停止运行。请刷新页面。',
    'Quorumscope stopped on an internal error. Please reload the page.',
  ],
};

function showBootError(lines) {
  const box = document.getElementById('boot-error');
  if (!box) return;
  box.textContent = '';
  for (const line of lines) {
    const p = document.createElement('p');
    p.textContent = line;
    box.append(p);
  }
  box.hidden = false;
}

async function boot() {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    showBootError(MESSAGES.noWasm);
    return;
  }
  try {
    // Start the wasm download before the glue has arrived.
    const wasm = fetch(new URL(WASM, import.meta.url));
    const glue = await import(GLUE);
    await glue.default({ module_or_path: wasm });
  } catch (err) {
    console.error('Quorumscope failed to start:', err);
    const detail = String((err && err.message) || err);
    showBootError(MESSAGES.failed.map((prefix) => prefix + detail));
  }
}

// The app is built so that a panic is a trap (no message to format, a
// smaller module): it reaches the page as an uncaught WebAssembly.RuntimeError
// from an event handler, a frame callback or a promise. Say so instead of
// leaving a page that silently stopped answering.
function onTrap(err) {
  if (typeof WebAssembly === 'object' && err instanceof WebAssembly.RuntimeError) {
    showBootError(MESSAGES.crashed);
  }
}
addEventListener('error', (event) => onTrap(event.error));
addEventListener('unhandledrejection', (event) => onTrap(event.reason));

boot();
