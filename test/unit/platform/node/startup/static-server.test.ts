import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveStaticPath, startStaticServer } from '../../../../../src/platform/node/startup/static-server.js';

const root = mkdtempSync(join(tmpdir(), 'static-'));
mkdirSync(join(root, 'app'));
mkdirSync(join(root, 'runs'));
writeFileSync(join(root, 'app', 'index.html'), '<html><script></script></html>');
writeFileSync(join(root, 'runs', 'a.events.jsonl'), '{}\n');
writeFileSync(join(root, 'secret.txt'), 'no');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const mounts = { '/': join(root, 'app'), '/runs/': join(root, 'runs') };

describe('static server', () => {
  it('maps URL paths into their mount, the longest prefix first, and never outside it', () => {
    expect(resolveStaticPath(mounts, '/')).toBe(join(root, 'app', 'index.html'));
    expect(resolveStaticPath(mounts, '/runs/a.events.jsonl?x=1')).toBe(join(root, 'runs', 'a.events.jsonl'));
    expect(resolveStaticPath(mounts, '/../secret.txt')).toBeUndefined();
    expect(resolveStaticPath(mounts, '/runs/%2e%2e/secret.txt')).toBeUndefined();
    expect(resolveStaticPath(mounts, '/%E0%A4%A')).toBeUndefined();
  });

  it('serves GET and HEAD, 404 for missing files, 405 for other methods', async () => {
    const { server, port } = await startStaticServer(mounts, 0);
    try {
      const base = `http://127.0.0.1:${port}`;
      const page = await fetch(`${base}/`);
      expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      expect((await fetch(`${base}/runs/a.events.jsonl`)).status).toBe(200);
      expect((await fetch(`${base}/runs/missing.jsonl`)).status).toBe(404);
      expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
    } finally {
      server.close();
    }
  });
});
