// Every event kind names a real emit site of itself, and NodeEvents stamps it into `src`.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { EVENT_SOURCES } from '../../../src/events/event-sources.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { findEmitSites } from '../../support/event-sources.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('EVENT_SOURCES', () => {
  const sites = findEmitSites();

  it('names, for every kind, one of the places that emits it', () => {
    for (const [kind, anchor] of Object.entries(EVENT_SOURCES)) {
      expect(sites.get(kind) ?? [], `${kind}: regenerate with npx tsx test/support/event-sources.ts`).toContain(anchor);
    }
  });

  it('lists every kind that is emitted, and points at files and symbols that exist', () => {
    for (const kind of sites.keys()) expect(Object.keys(EVENT_SOURCES)).toContain(kind);
    for (const anchor of Object.values(EVENT_SOURCES)) {
      const [file, symbol] = anchor.split('#') as [string, string];
      expect(existsSync(`${ROOT}/${file}`), file).toBe(true);
      for (const part of symbol.split('.')) expect(readFileSync(`${ROOT}/${file}`, 'utf8')).toContain(part);
    }
  });

  it('is stamped into src by NodeEvents unless the emitter gives one', () => {
    const sink = new RecordingSink(new ManualClock(0));
    const events = new NodeEvents(sink, 'broker-a');
    events.emit('store.flush.completed', { mode: 'ASYNC_FLUSH', flushedWhere: 10, bytes: 10, thorough: false } as never);
    events.emit('store.flush.completed', { mode: 'ASYNC_FLUSH', flushedWhere: 20, bytes: 10, thorough: false } as never, { src: 'elsewhere#X' });
    expect(sink.events.map((e) => e.src)).toEqual([EVENT_SOURCES['store.flush.completed'], 'elsewhere#X']);
  });
});
