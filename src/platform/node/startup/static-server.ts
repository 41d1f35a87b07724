/**
 * A small static file server for `npm start`: the built visualizer, its fixtures, the runs
 * recorded on this machine, and the typedoc site, all on one 127.0.0.1 port.
 *
 * ```
 *   /              <data>/viz-dist/    the built visualizer (with its copy of the fixtures)
 *   /runs/...      <data>/runs/        runs recorded by npm start (quickstart.events.jsonl)
 *   /api/...       docs/api/           the annotated source (where the viz's code links point)
 * ```
 *
 * Only GET and HEAD; paths are resolved inside their root (no `..` escapes); unknown paths
 * get 404. It binds 127.0.0.1 only: nothing here is meant for another machine.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ.
 *
 * @article why-read "Running it"
 * @category Startup
 * @module
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.jsonl': 'application/x-ndjson; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8', '.map': 'application/json',
};

/** URL prefix → directory. The longest matching prefix wins; `/` is the fallback. */
export type Mounts = Readonly<Record<string, string>>;

/** Resolve `urlPath` against the mounts; undefined when it escapes its root or matches nothing. */
export function resolveStaticPath(mounts: Mounts, urlPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  const prefix = Object.keys(mounts).filter((p) => path === p.replace(/\/$/, '') || path.startsWith(p)).sort((a, b) => b.length - a.length)[0];
  if (prefix === undefined) return undefined;
  const root = resolve(mounts[prefix]!);
  const rest = normalize(path.slice(prefix.length)).replace(/^([/\\])+/, '');
  const target = resolve(join(root, rest));
  if (target !== root && !target.startsWith(root + sep)) return undefined;
  if (existsSync(target) && statSync(target).isDirectory()) return join(target, 'index.html');
  return target;
}

/** Serve `mounts` on 127.0.0.1:`port` (0 = any free port); resolves with the bound port. */
export function startStaticServer(mounts: Mounts, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = resolveStaticPath(mounts, req.url ?? '/');
    if (file === undefined || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolveStart, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolveStart({ server, port: typeof address === 'object' && address !== null ? address.port : port });
    });
  });
}
