// The golden fixtures: every scenario, run twice with its seed, must give the same event log
// as the committed viz/fixtures/<name>.events.jsonl (so a behaviour change is a visible diff),
// and its events must obey the storage facts the visualizer relies on.
//
// After an intended behaviour change: npm run walkthrough -- --all --out viz/fixtures
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { javaStringHashCode } from '../../../src/common/java-compat.js';
import type { InstrumentEvent } from '../../../src/events/event-types.js';
import { decodeEventLog, encodeEventLog } from '../../../src/events/jsonl.js';
import { runScenario } from '../../../src/sim/scenario.js';
import { SCENARIOS } from '../../../src/sim/scenarios/index.js';

const FIXTURES = fileURLToPath(new URL('../../../viz/fixtures/', import.meta.url));
const REGENERATE = 'npm run walkthrough -- --all --out viz/fixtures';

type Of<K extends InstrumentEvent['kind']> = Extract<InstrumentEvent, { kind: K }>;
const ofKind = <K extends InstrumentEvent['kind']>(events: readonly InstrumentEvent[], kind: K): Array<Of<K>> =>
  events.filter((e): e is Of<K> => e.kind === kind);

/** Part C "fixture facts" of visualizer-design.md, checked on any run. */
function checkFixtureFacts(events: readonly InstrumentEvent[]): void {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  for (let i = 1; i < events.length; i++) expect(events[i]!.at).toBeGreaterThanOrEqual(events[i - 1]!.at);

  // Every consume-queue unit points at a record the same broker appended, with its size (a
  // slave's records arrive by replication: they are its master's appends at the same offsets).
  const appended = new Map<string, Of<'store.commitlog.appended'>>();
  const slaves = new Set(ofKind(events, 'store.ha.appended').map((e) => e.node));
  for (const e of ofKind(events, 'store.commitlog.appended')) {
    appended.set(`${e.node}@${e.data.physOffset}`, e);
    if (!appended.has(`replicated@${e.data.physOffset}`)) appended.set(`replicated@${e.data.physOffset}`, e);
  }
  const tagsByUniqKey = new Map<string, string | undefined>();
  for (const e of ofKind(events, 'client.message.created')) tagsByUniqKey.set(e.data.uniqKey, e.data.tags);
  for (const unit of ofKind(events, 'store.consumequeue.appended')) {
    const record = appended.get(`${slaves.has(unit.node) ? 'replicated' : unit.node}@${unit.data.physOffset}`);
    expect(record, `CQ unit ${unit.data.topic}/${unit.data.queueId}#${unit.data.queueOffset} points at an appended record`).toBeDefined();
    expect(unit.data.size).toBe(record!.data.size);
    expect([unit.data.topic, unit.data.queueId, unit.data.queueOffset]).toEqual([record!.data.topic, record!.data.queueId, record!.data.queueOffset]);
    const uniqKey = record!.msg?.uniqKey;
    if (unit.data.topic !== 'SCHEDULE_TOPIC_XXXX' && uniqKey !== undefined && tagsByUniqKey.has(uniqKey)) {
      const tags = tagsByUniqKey.get(uniqKey);
      expect(unit.data.tagsCode).toBe(tags === undefined || tags === '' ? 0 : javaStringHashCode(tags));
    }
  }
  // A record is at least the 91-byte fixed part plus its topic.
  for (const e of ofKind(events, 'store.commitlog.appended')) expect(e.data.size).toBeGreaterThanOrEqual(91 + e.data.topic.length);
  // Delay level n parks in SCHEDULE_TOPIC_XXXX queue n - 1.
  for (const e of ofKind(events, 'store.commitlog.appended')) {
    if (e.data.topic === 'SCHEDULE_TOPIC_XXXX' && e.msg?.delayLevel !== undefined) expect(e.data.queueId).toBe(e.msg.delayLevel - 1);
  }
  // The default retry level is 3 + reconsumeTimes.
  for (const e of ofKind(events, 'broker.retry.decided')) {
    const inputs = e.why?.inputs as { delayLevel?: number } | undefined;
    if (e.data.outcome === 'retry' && inputs?.delayLevel === 0) expect(e.data.delayLevel).toBe(3 + e.data.reconsumeTimes);
  }
}

describe('golden fixtures (viz/fixtures)', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: deterministic, equal to the committed fixture, and consistent`, async () => {
      const first = await runScenario(scenario);
      const second = await runScenario(scenario);
      const text = encodeEventLog(first.header, first.events);
      expect(encodeEventLog(second.header, second.events)).toBe(text);
      const path = `${FIXTURES}${scenario.name}.events.jsonl`;
      expect(existsSync(path), `missing ${path}: run ${REGENERATE}`).toBe(true);
      const committed = readFileSync(path, 'utf8');
      if (committed !== text) {
        const a = committed.split('\n');
        const b = text.split('\n');
        const line = a.findIndex((l, i) => l !== b[i]);
        expect.fail(`${scenario.name} changed at line ${line + 1}:\n  committed: ${a[line]?.slice(0, 300)}\n  now:       ${b[line]?.slice(0, 300)}\nIf the change is intended: ${REGENERATE}`);
      }
      const log = decodeEventLog(committed);
      expect(log.header.scenario).toBe(scenario.name);
      expect(log.events.filter((e) => e.kind === 'walkthrough.beat.reached').length).toBeGreaterThanOrEqual(3);
      checkFixtureFacts(log.events);
    });
  }
});
