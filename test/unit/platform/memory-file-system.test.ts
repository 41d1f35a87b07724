import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem, MemoryFileSystemError } from '../../../src/platform/sim/memory-file-system.js';
import { fileSystemContract } from './file-system.contract.js';

fileSystemContract('MemoryFileSystem', () => {
  const fs = new MemoryFileSystem();
  fs.mkdirp('/data/root');
  return { fs, root: '/data/root', cleanup: () => {} };
});

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

function contentOf(fs: MemoryFileSystem, path: string): number[] {
  const h = fs.open(path, 'r');
  const out = new Uint8Array(h.size());
  h.read(0, out);
  h.close();
  return [...out];
}

describe('MemoryFileSystem', () => {
  it('crash() drops writes that were never flushed and keeps flushed ones', () => {
    const fs = new MemoryFileSystem();
    fs.mkdirp('/s');
    const h = fs.open('/s/f', 'rw');
    h.write(0, bytes(1, 2, 3));
    h.flush();
    h.write(3, bytes(4, 5));
    h.write(0, bytes(9));
    expect(fs.durableSize('/s/f')).toBe(3);
    fs.crash();
    expect(contentOf(fs, '/s/f')).toEqual([1, 2, 3]);
  });

  it('crash() deletes a file whose creation was never flushed, but keeps directories', () => {
    const fs = new MemoryFileSystem();
    fs.mkdirp('/s/dir');
    fs.open('/s/dir/never-flushed', 'rw').write(0, bytes(1));
    fs.open('/s/dir/empty-flushed', 'rw').flush();
    expect(fs.durableSize('/s/dir/never-flushed')).toBeUndefined();
    fs.crash();
    expect(fs.listAll()).toEqual(['/s/', '/s/dir/', '/s/dir/empty-flushed']);
  });

  it('crash() restores a truncate that was not flushed, including the bytes it cut', () => {
    const fs = new MemoryFileSystem();
    const h = fs.open('/f', 'rw');
    h.write(0, bytes(1, 2, 3, 4));
    h.flush();
    h.truncate(1);
    h.truncate(4);
    expect(contentOf(fs, '/f')).toEqual([1, 0, 0, 0]);
    fs.crash();
    expect(contentOf(fs, '/f')).toEqual([1, 2, 3, 4]);
  });

  it('flush() after a shrink makes the shorter file durable', () => {
    const fs = new MemoryFileSystem();
    const h = fs.open('/f', 'rw');
    h.write(0, new Uint8Array(200_000).fill(7));
    h.flush();
    h.truncate(70_000);
    h.flush();
    fs.crash();
    expect(fs.durableSize('/f')).toBe(70_000);
    const h2 = fs.open('/f', 'rw');
    h2.truncate(200_000);
    const tail = new Uint8Array(4);
    h2.read(69_998, tail);
    expect([...tail]).toEqual([7, 7, 0, 0]);
  });

  it('writes after flush() do not leak into the durable image (pages are copied on write)', () => {
    const fs = new MemoryFileSystem();
    const h = fs.open('/f', 'rw');
    h.write(0, bytes(1, 1, 1));
    h.flush();
    h.write(1, bytes(2));
    expect([...fs.readDurable('/f')!]).toEqual([1, 1, 1]);
    h.flush();
    expect([...fs.readDurable('/f')!]).toEqual([1, 2, 1]);
  });

  it('flushAsync() makes the call-time snapshot durable when it completes, after flushLatencyMs', async () => {
    const clock = new ManualClock();
    const fs = new MemoryFileSystem({ clock, flushLatencyMs: 10 });
    const h = fs.open('/f', 'rw');
    h.write(0, bytes(1, 2));
    let done = false;
    void h.flushAsync().then(() => (done = true));
    h.write(2, bytes(3)); // written after the call: not covered by this flush
    await clock.advance(9);
    expect(done).toBe(false);
    expect(fs.durableSize('/f')).toBeUndefined();
    await clock.advance(1);
    expect(done).toBe(true);
    expect([...fs.readDurable('/f')!]).toEqual([1, 2]);
    fs.crash();
    expect(contentOf(fs, '/f')).toEqual([1, 2]);
  });

  it('flushAsync() still in flight at crash() is lost and never settles', async () => {
    const clock = new ManualClock();
    const fs = new MemoryFileSystem({ clock, flushLatencyMs: 10 });
    const h = fs.open('/f', 'rw');
    h.write(0, bytes(1));
    h.flush();
    h.write(1, bytes(2));
    let settled = false;
    void h.flushAsync().finally(() => (settled = true));
    await clock.advance(5);
    fs.crash();
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(100);
    expect(settled).toBe(false);
    expect(contentOf(fs, '/f')).toEqual([1]);
  });

  it('flushAsync() without a clock completes on a microtask; crash() first loses it', async () => {
    const fs = new MemoryFileSystem();
    const h = fs.open('/f', 'rw');
    h.write(0, bytes(5));
    await h.flushAsync();
    expect(fs.durableSize('/f')).toBe(1);
    h.write(1, bytes(6));
    void h.flushAsync();
    fs.crash();
    await Promise.resolve();
    expect(contentOf(fs, '/f')).toEqual([5]);
  });

  it('flush() while a flushAsync() is in flight covers both; the late completion changes nothing', async () => {
    const clock = new ManualClock();
    const fs = new MemoryFileSystem({ clock, flushLatencyMs: 10 });
    const h = fs.open('/f', 'rw');
    h.write(0, bytes(1));
    const pending = h.flushAsync();
    h.write(1, bytes(2));
    h.flush();
    expect([...fs.readDurable('/f')!]).toEqual([1, 2]);
    h.write(2, bytes(3));
    await clock.advance(10);
    await pending;
    expect([...fs.readDurable('/f')!]).toEqual([1, 2]);
  });

  it('flushAsync() calls complete in order and each covers only its own snapshot', async () => {
    const clock = new ManualClock();
    const fs = new MemoryFileSystem({ clock, flushLatencyMs: 10 });
    const h = fs.open('/f', 'rw');
    h.write(0, bytes(1));
    void h.flushAsync();
    await clock.advance(5);
    h.write(1, bytes(2));
    void h.flushAsync();
    await clock.advance(5);
    expect([...fs.readDurable('/f')!]).toEqual([1]);
    await clock.advance(5);
    expect([...fs.readDurable('/f')!]).toEqual([1, 2]);
  });

  it('every open handle throws after crash(); a new handle works', () => {
    const fs = new MemoryFileSystem();
    const h = fs.open('/f', 'rw');
    h.flush();
    fs.crash();
    expect(() => h.read(0, new Uint8Array(1))).toThrow(/crash/);
    expect(() => h.write(0, bytes(1))).toThrow(MemoryFileSystemError);
    expect(() => h.flush()).toThrow(/EBADF/);
    expect(() => h.flushAsync()).toThrow(/EBADF/);
    const again = fs.open('/f', 'rw');
    again.write(0, bytes(1));
    expect(again.size()).toBe(1);
  });

  it('rename(), remove() and writeText() are durable at once', () => {
    const fs = new MemoryFileSystem();
    fs.mkdirp('/c');
    fs.writeText('/c/topics.json', 'v1');
    const tmp = fs.open('/c/flushed.tmp', 'rw');
    tmp.write(0, new TextEncoder().encode('v2'));
    tmp.flush();
    fs.rename('/c/flushed.tmp', '/c/topics.json');
    fs.writeText('/c/doomed', 'x');
    fs.remove('/c/doomed');
    fs.crash();
    expect(fs.readText('/c/topics.json')).toBe('v2');
    expect(fs.exists('/c/doomed')).toBe(false);
  });

  it('rename() of a never-flushed file keeps the name but not the bytes after crash()', () => {
    const fs = new MemoryFileSystem();
    fs.open('/a', 'rw').write(0, bytes(1, 2));
    fs.rename('/a', '/b');
    fs.crash();
    expect(fs.exists('/b')).toBe(true);
    expect(contentOf(fs, '/b')).toEqual([]);
  });

  it('failWrites() makes write(), truncate() and writeText() throw with the code and path', () => {
    const fs = new MemoryFileSystem({ capacityBytes: 1000 });
    fs.mkdirp('/store/commitlog');
    fs.mkdirp('/store/config');
    const h = fs.open('/store/commitlog/0', 'rw');
    h.write(0, new Uint8Array(100));
    expect(fs.diskSpace('/store')).toEqual({ totalBytes: 1000, freeBytes: 900 });

    fs.failWrites('ENOSPC', '/store/commitlog');
    expect(() => h.write(0, bytes(1))).toThrow(/ENOSPC.*\/store\/commitlog\/0/);
    expect(() => h.truncate(10)).toThrow(/ENOSPC/);
    expect(fs.diskSpace('/store')).toEqual({ totalBytes: 1000, freeBytes: 0 });
    fs.writeText('/store/config/x.json', '{}'); // outside the prefix: still fine

    fs.failWrites('EIO');
    expect(() => fs.writeText('/store/config/x.json', '{}')).toThrow(/EIO/);
    let thrown: unknown;
    try {
      h.write(0, bytes(1));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(MemoryFileSystemError);
    expect(thrown).toMatchObject({ name: 'MemoryFileSystemError', code: 'EIO', path: '/store/commitlog/0' });
    expect(fs.diskSpace('/store').freeBytes).toBe(898);

    fs.failWrites(null);
    h.write(0, bytes(1));
    expect(h.size()).toBe(100);
  });

  it('truncate() to 1 GiB allocates no pages; a write allocates only its own page', () => {
    const fs = new MemoryFileSystem();
    const h = fs.open('/segment', 'rw');
    h.truncate(1024 * 1024 * 1024);
    expect(fs.allocatedBytes('/segment')).toBe(0);
    h.write(512 * 1024 * 1024, bytes(1, 2, 3));
    expect(fs.allocatedBytes('/segment')).toBe(64 * 1024);
    h.flush();
    fs.crash();
    expect(fs.durableSize('/segment')).toBe(1024 * 1024 * 1024);
  });

  it('open(), writeText() and list() reject paths that cross a file or a directory', () => {
    const fs = new MemoryFileSystem();
    fs.writeText('/file', 'x');
    fs.mkdirp('/dir');
    expect(() => fs.open('/file/child', 'rw')).toThrow(/ENOTDIR/);
    expect(() => fs.open('/dir', 'rw')).toThrow(/EISDIR/);
    expect(() => fs.writeText('/dir', 'x')).toThrow(/EISDIR/);
    expect(() => fs.list('/file')).toThrow(/ENOTDIR/);
    expect(() => fs.mkdirp('/file/sub')).toThrow(/ENOTDIR/);
    expect(() => fs.remove('/dir')).toThrow(/EISDIR/);
  });

  it('normalizes paths: repeated and trailing slashes, dot segments', () => {
    const fs = new MemoryFileSystem();
    fs.mkdirp('/a//b/');
    fs.writeText('/a/./b/../b/f', 'x');
    expect(fs.readText('/a/b/f')).toBe('x');
    expect(fs.list('/a/b/')).toEqual(['f']);
  });
});
