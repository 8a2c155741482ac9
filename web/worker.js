// The checker's Web Worker (copied to dist/ by trunk; see web/src/import.rs).
//
// It runs the page's own wasm module: the page posts the WebAssembly.Module
// it already compiled as the first message, so the browser fetches and
// compiles the app once. Starting the module calls the app's entry point,
// which finds no window here and serves the worker's jobs instead of
// mounting the UI; it answers "ready" when it listens.
import init from './quorumscope-web.js';

self.onmessage = async (event) => {
  self.onmessage = null;
  try {
    await init({ module_or_path: event.data });
  } catch (err) {
    self.postMessage(`\u0001failed|${String((err && err.message) || err)}`);
  }
};
