import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSystem, NodeFileSystemError } from '../../../src/platform/node/node-file-system.js';
import { fileSystemContract } from '../../unit/platform/file-system.contract.js';

function tempRoot(): { root: string; cleanup: () => void } {
  const root = nodeFs.mkdtempSync(path.join(os.tmpdir(), 'rocketmq-ts-fs-'));
  return { root, cleanup: () => nodeFs.rmSync(root, { recursive: true, force: true }) };
}

fileSystemContract('NodeFileSystem', () => ({ fs: new NodeFileSystem(), ...tempRoot() }));

describe('NodeFileSystem', () => {
  it('writeText() replaces the file atomically and leaves no .tmp behind', () => {
    const { root, cleanup } = tempRoot();
    try {
      const fs = new NodeFileSystem();
      const file = path.join(root, 'topics.json');
      fs.writeText(file, 'a much longer first version');
      fs.writeText(file, 'v2');
      expect(nodeFs.readFileSync(file, 'utf8')).toBe('v2');
      expect(fs.list(root)).toEqual(['topics.json']);
    } finally {
      cleanup();
    }
  });

  it('writeText() into a missing directory throws a NodeFileSystemError and cleans up', () => {
    const { root, cleanup } = tempRoot();
    try {
      const fs = new NodeFileSystem();
      const file = path.join(root, 'missing', 'x.json');
      expect(() => fs.writeText(file, '{}')).toThrow(NodeFileSystemError);
      expect(fs.list(root)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('errors carry the errno code and the path', () => {
    const fs = new NodeFileSystem();
    const missing = path.join(os.tmpdir(), 'rocketmq-ts-definitely-missing', 'f');
    let thrown: unknown;
    try {
      fs.open(missing, 'r');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ name: 'NodeFileSystemError', code: 'ENOENT', path: missing });
    expect((thrown as Error).message).toContain(missing);
    expect((thrown as Error).message).toContain('ENOENT');
  });

  it('close() during a flushAsync() lets the flush finish first', async () => {
    const { root, cleanup } = tempRoot();
    try {
      const fs = new NodeFileSystem();
      const h = fs.open(path.join(root, 'f'), 'rw');
      h.write(0, Uint8Array.from([1, 2, 3]));
      const flushed = h.flushAsync();
      h.close();
      await expect(flushed).resolves.toBeUndefined();
      expect(() => h.size()).toThrow(/EBADF/);
    } finally {
      cleanup();
    }
  });

  it('diskSpace() reports the real device with free bytes > 0', () => {
    const { root, cleanup } = tempRoot();
    try {
      const space = new NodeFileSystem().diskSpace(root);
      expect(space.freeBytes).toBeGreaterThan(0);
      expect(space.totalBytes).toBeGreaterThanOrEqual(space.freeBytes);
    } finally {
      cleanup();
    }
  });
});
