// A tiny static file server for the built site (no dependencies).
//
// It sends the same strict Content-Security-Policy the page declares, so the
// tests see what a careful host would enforce, and serves the site both at `/`
// and under the subpath `/sub/path/`, so tests can check that every URL in the
// site is relative (hosting from a course page's subfolder must work). Like a
// static host, it sends text and wasm brotli-compressed to a browser that
// accepts it (compressed once per file and kept).
//
//   node tests/e2e/serve.mjs [DIR=dist] [PORT=8080]        (CLI)
//   const { url, subUrl, close } = await serve('dist', 0)  (tests; port 0 = random)

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { extname, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
export const SUBPATH = '/sub/path/';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

/** Types worth compressing (images and fonts are compressed already). */
const COMPRESS = new Set(['.html', '.js', '.mjs', '.wasm', '.css', '.json', '.svg', '.txt', '.map']);
/** Compressed bodies by encoding, file and modification time. */
const PACKED = new Map();

async function packed(encoding, file, info) {
  const key = `${encoding}:${file}:${info.mtimeMs}`;
  if (!PACKED.has(key)) {
    const raw = await readFile(file);
    const quality = Number(process.env.QS_BROTLI_QUALITY ?? 9);
    PACKED.set(key, encoding === 'br'
      ? brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: quality } })
      : gzipSync(raw, { level: 9 }));
  }
  return PACKED.get(key);
}

/** The encoding to send: brotli where accepted (browsers ask for it over
 * https and on localhost), else gzip, else none. */
function encodingFor(req) {
  const accepted = req.headers['accept-encoding'] ?? '';
  if (/\bbr\b/.test(accepted)) return 'br';
  return /\bgzip\b/.test(accepted) ? 'gzip' : null;
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

/// Maps a request path to a file under `root`, or null when it is outside it.
function fileFor(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const file = resolve(root, '.' + path);
  return file === root || file.startsWith(root + sep) ? file : null;
}

async function handle(root, req, res) {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
  }
  let { pathname } = new URL(req.url, 'http://localhost');
  if (pathname === SUBPATH.slice(0, -1)) {
    // Relative URLs need the trailing slash.
    return send(res, 301, 'moved\n', { Location: SUBPATH });
  }
  if (pathname.startsWith(SUBPATH)) pathname = pathname.slice(SUBPATH.length - 1);
  let file = fileFor(root, pathname);
  if (!file) return send(res, 404, 'not found\n');
  let info = await stat(file).catch(() => null);
  if (info && info.isDirectory()) {
    if (!pathname.endsWith('/')) return send(res, 301, 'moved\n', { Location: req.url.replace(/^([^?#]*)/, '$1/') });
    file = resolve(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info || !info.isFile()) return send(res, 404, 'not found\n');
  const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const encoding = COMPRESS.has(extname(file).toLowerCase()) ? encodingFor(req) : null;
  if (encoding) {
    const body = await packed(encoding, file, info);
    res.writeHead(200, { 'Content-Type': type, 'Content-Encoding': encoding, 'Content-Length': body.length, Vary: 'Accept-Encoding' });
    return res.end(req.method === 'HEAD' ? undefined : body);
  }
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': info.size });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

/**
 * Serves `dir` on 127.0.0.1:`port` (0 = a free port).
 * Resolves to { server, url, subUrl, port, close }; `url` ends with '/'.
 */
export async function serve(dir, port = 0) {
  const root = resolve(dir);
  const info = await stat(root).catch(() => null);
  if (!info || !info.isDirectory()) throw new Error(`serve: ${root} is not a folder (build it with \`cargo xtask dist\`)`);
  const server = createServer((req, res) => {
    handle(root, req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
      console.error('serve:', err);
    });
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const actual = server.address().port;
  const url = `http://127.0.0.1:${actual}/`;
  return {
    server,
    port: actual,
    url,
    subUrl: new URL(SUBPATH, url).href,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [dir = 'dist', port = '8080'] = process.argv.slice(2);
  const { url, subUrl } = await serve(dir, Number(port));
  console.log(`Serving ${resolve(dir)} at ${url} (and under ${subUrl})`);
  console.log('Press Ctrl-C to stop.');
}
