// The FileSystem contract: one suite every adapter must pass, so the in-memory disk the
// simulations use cannot drift from what real files do. Each adapter's test file calls
// fileSystemContract() with a factory; the factory gives a fresh, empty, existing root
// directory per test and a cleanup function.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileSystem } from '../../../src/platform/storage.js';
import { joinPath } from '../../../src/platform/storage.js';

export interface ContractFixture {
  fs: FileSystem;
  /** An existing, empty directory the test may use. */
  root: string;
  cleanup: () => void;
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

export function fileSystemContract(name: string, makeFs: () => ContractFixture): void {
  describe(`${name} (FileSystem contract)`, () => {
    let fs: FileSystem;
    let root: string;
    let cleanup: () => void;
    const at = (...parts: string[]): string => joinPath(root, ...parts);

    beforeEach(() => {
      ({ fs, root, cleanup } = makeFs());
    });
    afterEach(() => cleanup());

    it("open(path, 'rw') creates an empty file; open(path, 'r') of a missing file throws", () => {
      expect(() => fs.open(at('missing'), 'r')).toThrow(/ENOENT/);
      const h = fs.open(at('a'), 'rw');
      expect(h.path).toBe(at('a'));
      expect(h.size()).toBe(0);
      h.close();
      expect(fs.exists(at('a'))).toBe(true);
      expect(fs.isDirectory(at('a'))).toBe(false);
    });

    it("open(path, 'rw') of an existing file keeps its content", () => {
      const h = fs.open(at('a'), 'rw');
      h.write(0, bytes(1, 2, 3));
      h.close();
      const again = fs.open(at('a'), 'rw');
      expect(again.size()).toBe(3);
      again.close();
    });

    it("open(path, 'rw') in a missing directory throws", () => {
      expect(() => fs.open(at('no-dir', 'a'), 'rw')).toThrow(/ENOENT/);
    });

    it("write() on a handle opened 'r' throws", () => {
      fs.open(at('a'), 'rw').close();
      const h = fs.open(at('a'), 'r');
      expect(() => h.write(0, bytes(1))).toThrow();
      h.close();
    });

    it('write() at positions and read() back, with source and target offsets', () => {
      const h = fs.open(at('a'), 'rw');
      h.write(0, bytes(1, 2, 3, 4));
      h.write(2, bytes(9, 9, 7, 8, 9), 2, 2); // writes [7, 8] at 2
      expect(h.size()).toBe(4);
      const target = new Uint8Array(6);
      expect(h.read(1, target, 2, 3)).toBe(3);
      expect([...target]).toEqual([0, 0, 2, 7, 8, 0]);
      h.close();
    });

    it('write() past the end grows the file and the gap reads as zeros', () => {
      const h = fs.open(at('a'), 'rw');
      h.write(10, bytes(5));
      expect(h.size()).toBe(11);
      const target = new Uint8Array(11).fill(0xff);
      expect(h.read(0, target)).toBe(11);
      expect([...target]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);
      h.close();
    });

    it('read() returns a short count at end of file and 0 past it', () => {
      const h = fs.open(at('a'), 'rw');
      h.write(0, bytes(1, 2, 3));
      const target = new Uint8Array(8);
      expect(h.read(1, target)).toBe(2);
      expect([...target.subarray(0, 2)]).toEqual([2, 3]);
      expect(h.read(3, target)).toBe(0);
      expect(h.read(100, target)).toBe(0);
      h.close();
    });

    it('read() and write() span large buffers intact (crossing internal page boundaries)', () => {
      const h = fs.open(at('a'), 'rw');
      const big = new Uint8Array(200_000);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
      h.write(65_000, big);
      const back = new Uint8Array(big.length);
      expect(h.read(65_000, back)).toBe(big.length);
      expect(back.findIndex((b, i) => b !== big[i])).toBe(-1); // toEqual on 200k elements is slow
      expect(h.size()).toBe(265_000);
      h.close();
    });

    it('truncate() shrinks, then grows with zero bytes', () => {
      const h = fs.open(at('a'), 'rw');
      h.write(0, bytes(1, 2, 3, 4, 5, 6));
      h.truncate(2);
      expect(h.size()).toBe(2);
      h.truncate(5);
      expect(h.size()).toBe(5);
      const target = new Uint8Array(5).fill(0xff);
      expect(h.read(0, target)).toBe(5);
      expect([...target]).toEqual([1, 2, 0, 0, 0]);
      h.close();
    });

    it('truncate() to a large size is cheap and reads back zeros', () => {
      const h = fs.open(at('a'), 'rw');
      h.truncate(64 * 1024 * 1024);
      h.write(64 * 1024 * 1024 - 1, bytes(42));
      expect(h.size()).toBe(64 * 1024 * 1024);
      const target = new Uint8Array(4).fill(0xff);
      expect(h.read(64 * 1024 * 1024 - 4, target)).toBe(4);
      expect([...target]).toEqual([0, 0, 0, 42]);
      h.close();
    });

    it('two handles on one file see each other’s writes', () => {
      const a = fs.open(at('a'), 'rw');
      const b = fs.open(at('a'), 'r');
      a.write(0, bytes(7, 8));
      const target = new Uint8Array(2);
      expect(b.read(0, target)).toBe(2);
      expect([...target]).toEqual([7, 8]);
      a.close();
      b.close();
    });

    it('read(), write() and size() after close() throw; close() twice does nothing', () => {
      const h = fs.open(at('a'), 'rw');
      h.close();
      h.close();
      expect(() => h.read(0, new Uint8Array(1))).toThrow();
      expect(() => h.write(0, bytes(1))).toThrow();
      expect(() => h.size()).toThrow();
    });

    it('flush() returns and flushAsync() resolves', async () => {
      const h = fs.open(at('a'), 'rw');
      h.write(0, bytes(1, 2, 3));
      h.flush();
      h.write(3, bytes(4));
      await h.flushAsync();
      expect(h.size()).toBe(4);
      h.close();
    });

    it('list() returns names sorted, [] for a missing directory', () => {
      fs.mkdirp(at('d', 'sub'));
      for (const n of ['00000000001073741824', '00000000000000000000', 'b', 'a']) fs.open(at('d', n), 'rw').close();
      expect(fs.list(at('d'))).toEqual(['00000000000000000000', '00000000001073741824', 'a', 'b', 'sub']);
      expect(fs.list(at('nope'))).toEqual([]);
    });

    it('mkdirp() creates missing parents and is idempotent', () => {
      fs.mkdirp(at('x', 'y', 'z'));
      fs.mkdirp(at('x', 'y', 'z'));
      expect(fs.isDirectory(at('x'))).toBe(true);
      expect(fs.isDirectory(at('x', 'y', 'z'))).toBe(true);
      expect(fs.exists(at('x', 'y'))).toBe(true);
      expect(fs.isDirectory(at('missing'))).toBe(false);
      expect(fs.exists(at('missing'))).toBe(false);
    });

    it('remove() deletes a file and does nothing for a missing one', () => {
      fs.open(at('a'), 'rw').close();
      fs.remove(at('a'));
      expect(fs.exists(at('a'))).toBe(false);
      fs.remove(at('a'));
      expect(fs.list(root)).toEqual([]);
    });

    it('removeDir() deletes a tree and does nothing for a missing one', () => {
      fs.mkdirp(at('t', 'u'));
      fs.open(at('t', 'u', 'f'), 'rw').close();
      fs.open(at('t', 'g'), 'rw').close();
      fs.removeDir(at('t'));
      expect(fs.exists(at('t'))).toBe(false);
      fs.removeDir(at('t'));
      expect(fs.list(root)).toEqual([]);
    });

    it('rename() moves a file and replaces an existing target', () => {
      fs.writeText(at('new'), 'new content');
      fs.writeText(at('old'), 'old content');
      fs.rename(at('new'), at('old'));
      expect(fs.exists(at('new'))).toBe(false);
      expect(fs.readText(at('old'))).toBe('new content');
      expect(() => fs.rename(at('gone'), at('x'))).toThrow(/ENOENT/);
    });

    it('rename() moves a directory with its content', () => {
      fs.mkdirp(at('d1', 'inner'));
      fs.writeText(at('d1', 'inner', 'f'), 'x');
      fs.rename(at('d1'), at('d2'));
      expect(fs.exists(at('d1'))).toBe(false);
      expect(fs.readText(at('d2', 'inner', 'f'))).toBe('x');
    });

    it('readText() and writeText() round-trip UTF-8; readText() of a missing file is undefined', () => {
      expect(fs.readText(at('config.json'))).toBeUndefined();
      fs.writeText(at('config.json'), '{"topic":"订单","n":1}');
      expect(fs.readText(at('config.json'))).toBe('{"topic":"订单","n":1}');
      fs.writeText(at('config.json'), 'short');
      expect(fs.readText(at('config.json'))).toBe('short');
      expect(fs.list(root)).toEqual(['config.json']);
    });

    it('readText() sees bytes written through a handle', () => {
      const h = fs.open(at('t.txt'), 'rw');
      h.write(0, new TextEncoder().encode('héllo'));
      h.close();
      expect(fs.readText(at('t.txt'))).toBe('héllo');
    });

    it('diskSpace() reports positive totals with free <= total', () => {
      const space = fs.diskSpace(root);
      expect(space.totalBytes).toBeGreaterThan(0);
      expect(space.freeBytes).toBeGreaterThanOrEqual(0);
      expect(space.freeBytes).toBeLessThanOrEqual(space.totalBytes);
    });
  });
}
