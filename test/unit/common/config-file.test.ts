// string2File / loadConfigFile on a MemoryFileSystem: the write-tmp-backup-rename steps and
// the file -> .bak -> defaults fallback that the broker's ConfigManager and the store's
// ScheduleMessageService share.
import { describe, expect, it } from 'vitest';
import { file2String, loadConfigFile, string2File } from '../../../src/common/config-file.js';
import { MemoryFileSystem } from '../../../src/platform/sim/memory-file-system.js';
import { FileSystemError } from '../../../src/platform/storage.js';

const PATH = '/root/config/table.json';

/** A decode that accepts `{"n":<int>}` and keeps the last value. */
function table() {
  const seen: number[] = [];
  const decode = (text: string): void => {
    const value = (JSON.parse(text) as { n?: unknown }).n;
    if (typeof value !== 'number') throw new Error('no n');
    seen.push(value);
  };
  const load = (fs: MemoryFileSystem) => loadConfigFile({ fs, path: PATH, decode, isIOError: (e) => e instanceof FileSystemError });
  return { seen, load };
}

describe('config-file', () => {
  it('string2File() creates the directory, writes the text and keeps the previous content in .bak', () => {
    const fs = new MemoryFileSystem();
    string2File(fs, '{"n":1}', PATH);
    expect([fs.readText(PATH), fs.exists(`${PATH}.bak`), fs.exists(`${PATH}.tmp`)]).toEqual(['{"n":1}', false, false]);
    string2File(fs, '{"n":2}', PATH);
    expect([fs.readText(PATH), fs.readText(`${PATH}.bak`)]).toEqual(['{"n":2}', '{"n":1}']);
    string2File(fs, '{"n":3}', PATH, { backupPrevious: false });
    expect([fs.readText(PATH), fs.readText(`${PATH}.bak`)]).toEqual(['{"n":3}', '{"n":1}']);
  });

  it('string2File() leaves the old file when the disk refuses the write', () => {
    const fs = new MemoryFileSystem();
    string2File(fs, '{"n":1}', PATH);
    fs.failWrites('ENOSPC');
    expect(() => string2File(fs, '{"n":2}', PATH)).toThrow(FileSystemError);
    fs.failWrites(null);
    expect(fs.readText(PATH)).toBe('{"n":1}');
  });

  it('file2String() answers undefined for a missing or blank file', () => {
    const fs = new MemoryFileSystem();
    expect(file2String(fs, PATH)).toBeUndefined();
    fs.mkdirp('/root/config');
    fs.writeText(PATH, '  \n');
    expect(file2String(fs, PATH)).toBeUndefined();
  });

  it('loadConfigFile() reads the file, else the .bak, else reports none or defaults', () => {
    const fs = new MemoryFileSystem();
    const t = table();
    expect(t.load(fs)).toEqual({ source: 'none', mainFileCorrupt: false });
    string2File(fs, '{"n":1}', PATH);
    string2File(fs, '{"n":2}', PATH);
    expect(t.load(fs)).toEqual({ source: 'file', mainFileCorrupt: false });
    fs.writeText(PATH, '{"n":');
    const fromBak = t.load(fs);
    expect(fromBak).toMatchObject({ source: 'bak', mainFileCorrupt: true });
    expect(fromBak.error).toContain(PATH);
    fs.remove(PATH);
    expect(t.load(fs)).toEqual({ source: 'bak', mainFileCorrupt: false });
    fs.writeText(PATH, '{}');
    fs.writeText(`${PATH}.bak`, '[');
    const broken = t.load(fs);
    expect(broken.source).toBe('defaults');
    expect(broken.error).toMatch(/table\.json: no n; .*table\.json\.bak: /);
    expect(t.seen).toEqual([2, 1, 1]);
  });
});
