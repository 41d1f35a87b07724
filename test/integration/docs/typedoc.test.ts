// The annotated source must build as a typedoc site with zero warnings (the options in
// tsconfig.json turn every warning into an error). Goal: a broken {@link}, an undeclared tag or
// a malformed header fails CI instead of silently degrading the docs. Method: run typedoc's CLI
// in validation mode (no HTML written) and assert a clean exit.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('typedoc', () => {
  it('npm run docs validates the whole of src/ with no warnings', () => {
    const run = spawnSync(process.execPath, [resolve(root, 'node_modules/typedoc/bin/typedoc'), '--emit', 'none'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).not.toMatch(/\[warning\]|\[error\]/);
    expect(run.status).toBe(0);
  });
});
