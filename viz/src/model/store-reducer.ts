/**
 * The broker half of the reducer: commit-log records and positions, consume-queue units,
 * the hold table, consumer offsets and topics, folded from store and broker events.
 *
 * The offset ruler is four positions on one axis, each moved by its own event:
 *
 * ```
 *   0 ─────────────────────────────────────────────────────────────► physical offset
 *        flushed ◄ store.flush.completed.flushedWhere          (on disk)
 *        committed ◄ store.commitlog.committed.committedWhere  (in the file / page cache)
 *        wrote ◄ store.commitlog.appended physOffset + size    (in the write window)
 *        dispatched ◄ store.reput.dispatched.reputFromOffset   (consume queues built up to here)
 *   flushed ≤ committed ≤ wrote; dispatched ≤ committed: the reput reads committed bytes only
 * ```
 *
 * A crash (`sim.node.crashed`) marks the records past the flushed position as lost and
 * empties what lived only in memory (the hold table, offsets not yet persisted); the
 * recovery events then cut the log and the queues back to what the disk held.
 *
 * Differences from RocketMQ 4.9.x: a batch append is one record without fields (the event
 * reports the batch, not its items); a slave's records are not drawn (HA reports chunks).
 *
 * @mirrors org.apache.rocketmq.store.CommitLog (positions)
 * @mirrors org.apache.rocketmq.store.ConsumeQueue#putMessagePositionInfo
 * @mirrors org.apache.rocketmq.broker.longpolling.PullRequestHoldService (the table)
 * @article store "The commit log and its consume queues"
 * @category Viz
 * @module
 */
import type { EventDataMap, InstrumentEvent } from '../../../src/events/event-types.js';
import { blankFields, recordFields } from './record-fields.js';
import type { StateDraft } from './state-draft.js';
import type { CqUnitView, RecordView, SegmentView } from './viz-state.js';

type Data<K extends keyof EventDataMap> = EventDataMap[K];

/** Bytes of one consume-queue unit. */
const CQ_UNIT_SIZE = 20;

/** A record was appended: add it (replacing anything at or past its offset) and move `wrote`. */
export function recordAppended(d: StateDraft, e: InstrumentEvent, data: Data<'store.commitlog.appended'>): void {
  const uniqKey = e.msg?.uniqKey;
  const record: RecordView = {
    physOffset: data.physOffset,
    size: data.size,
    topic: data.topic,
    queueId: data.queueId,
    queueOffset: data.queueOffset,
    storeTimestamp: data.storeTimestamp,
    seq: e.seq,
  };
  if (uniqKey !== undefined) record.uniqKey = uniqKey;
  if (data.msgNum <= 1) {
    const hint = uniqKey === undefined ? undefined : d.ctx.bodyLengths.get(uniqKey);
    record.fields = recordFields({ ...data, ...(data.record ? { record: data.record } : {}), ...(hint === undefined ? {} : { bodyLengthHint: hint }) });
  }
  putRecord(d, e.node, record);
}

/** A BLANK filler closed a segment. */
export function blankFilled(d: StateDraft, e: InstrumentEvent, data: Data<'store.commitlog.blank-filled'>): void {
  putRecord(d, e.node, {
    physOffset: data.physOffset, size: data.size, topic: '', queueId: -1, queueOffset: -1, storeTimestamp: 0,
    fields: blankFields(data.size), blank: true, seq: e.seq,
  });
}

function putRecord(d: StateDraft, node: string, record: RecordView): void {
  const log = d.commitLog(node);
  const last = log.records[log.records.length - 1];
  const records = (log.records = last !== undefined && last.physOffset >= record.physOffset
    ? d.adopt(log.records.filter((r) => r.physOffset < record.physOffset))
    : d.own(log.records));
  records.push(record);
  log.wrote = record.physOffset + record.size;
  d.touch(`brokers.${node}.commitLog.records`);
  d.touch(`brokers.${node}.commitLog.wrote`);
}

/** Move one position of the offset ruler. */
export function positionMoved(d: StateDraft, node: string, which: 'committed' | 'flushed' | 'dispatched' | 'slaveAcked' | 'wrote', value: number): void {
  const log = d.commitLog(node);
  log[which] = value;
  d.touch(`brokers.${node}.commitLog.${which}`);
}

/** A 20-byte unit was written: put it at its queue offset (recovery rewrites the same units). */
export function cqUnitAppended(d: StateDraft, e: InstrumentEvent, data: Data<'store.consumequeue.appended'>): void {
  const key = `${data.topic}/${data.queueId}`;
  const queues = d.brokerTable(e.node, 'consumeQueues');
  const unit: CqUnitView = {
    queueOffset: data.queueOffset, bytePos: data.queueOffset * CQ_UNIT_SIZE, physOffset: data.physOffset, size: data.size, tagsCode: data.tagsCode, seq: e.seq,
  };
  const units = (queues[key] = d.own(queues[key] ?? []));
  const last = units[units.length - 1];
  if (last === undefined || last.queueOffset < unit.queueOffset) units.push(unit);
  else {
    const at = units.findIndex((u) => u.queueOffset >= unit.queueOffset);
    units.splice(at, units[at]?.queueOffset === unit.queueOffset ? 1 : 0, unit);
  }
  d.touch(`brokers.${e.node}.consumeQueues.${key}`);
}

/** A segment file was created: the commit log's, or a consume queue's. */
export function segmentCreated(d: StateDraft, node: string, data: Data<'store.mappedfile.created'>): void {
  const seg: SegmentView = { fileFromOffset: data.fileFromOffset, fileSize: data.fileSize };
  const add = (list: SegmentView[]): SegmentView[] =>
    d.adopt([...list.filter((s) => s.fileFromOffset !== seg.fileFromOffset), seg].sort((a, b) => a.fileFromOffset - b.fileFromOffset));
  if (data.queue === 'commitlog') {
    const log = d.commitLog(node);
    log.segments = add(log.segments);
    d.touch(`brokers.${node}.commitLog.segments`);
  } else if (data.queue.startsWith('consumequeue/')) {
    const key = data.queue.slice('consumequeue/'.length);
    const table = d.brokerTable(node, 'cqSegments');
    table[key] = add(table[key] ?? []);
    d.touch(`brokers.${node}.cqSegments.${key}`);
  }
}

/** A segment file was deleted: its box goes, and so do the records or units it held. */
export function segmentDeleted(d: StateDraft, node: string, data: Data<'store.mappedfile.deleted'>): void {
  const inside = (segs: readonly SegmentView[], pos: number): boolean => {
    const seg = segs.find((s) => s.fileFromOffset === data.fileFromOffset);
    return seg !== undefined && pos >= seg.fileFromOffset && pos < seg.fileFromOffset + seg.fileSize;
  };
  if (data.queue === 'commitlog') {
    const before = d.state.brokers[node]?.commitLog.segments ?? [];
    const log = d.commitLog(node);
    log.records = log.records.filter((r) => !inside(before, r.physOffset));
    log.segments = before.filter((s) => s.fileFromOffset !== data.fileFromOffset);
    d.touch(`brokers.${node}.commitLog.segments`);
    d.touch(`brokers.${node}.commitLog.records`);
  } else if (data.queue.startsWith('consumequeue/')) {
    const key = data.queue.slice('consumequeue/'.length);
    const before = d.state.brokers[node]?.cqSegments[key] ?? [];
    const units = d.state.brokers[node]?.consumeQueues[key];
    if (units !== undefined) d.brokerTable(node, 'consumeQueues')[key] = units.filter((u) => !inside(before, u.bytePos));
    d.brokerTable(node, 'cqSegments')[key] = before.filter((s) => s.fileFromOffset !== data.fileFromOffset);
    d.touch(`brokers.${node}.consumeQueues.${key}`);
  }
}

/** Recovery cut a log back to `toOffset`: records, units and positions past it go. */
export function truncated(d: StateDraft, node: string, queue: string, toOffset: number): void {
  if (queue === 'commitlog') cutCommitLog(d, node, toOffset);
  else cutConsumeQueues(d, node, toOffset, queue.startsWith('consumequeue/') ? queue.slice('consumequeue/'.length) : undefined);
}

/** Recovery finished: the store holds exactly `[minPhysOffset, maxPhysOffset)`. */
export function recovered(d: StateDraft, node: string, data: Data<'store.recovery.completed'>): void {
  const max = Math.max(data.maxPhysOffset, 0);
  cutCommitLog(d, node, max);
  cutConsumeQueues(d, node, max, undefined);
  const log = d.commitLog(node);
  const min = data.minPhysOffset;
  if (min > 0 || log.records.some((r) => r.lost === true)) {
    log.records = log.records.filter((r) => r.physOffset >= min).map((r) => (r.lost === true ? withoutLost(r) : r));
  }
  log.wrote = log.committed = log.flushed = log.dispatched = max;
  d.touch(`brokers.${node}.commitLog.wrote`);
}

function withoutLost(r: RecordView): RecordView {
  const { lost: _lost, ...rest } = r;
  return rest;
}

function cutCommitLog(d: StateDraft, node: string, toOffset: number): void {
  const log = d.commitLog(node);
  log.records = log.records.filter((r) => r.physOffset + r.size <= toOffset);
  log.wrote = Math.min(log.wrote, toOffset);
  log.committed = Math.min(log.committed, toOffset);
  log.flushed = Math.min(log.flushed, toOffset);
  log.dispatched = Math.min(log.dispatched, toOffset);
  d.touch(`brokers.${node}.commitLog.records`);
}

function cutConsumeQueues(d: StateDraft, node: string, toOffset: number, only: string | undefined): void {
  const current = d.state.brokers[node]?.consumeQueues ?? {};
  for (const [key, units] of Object.entries(current)) {
    if (only !== undefined && key !== only) continue;
    if (!units.some((u) => u.physOffset + u.size > toOffset)) continue;
    d.brokerTable(node, 'consumeQueues')[key] = units.filter((u) => u.physOffset + u.size <= toOffset);
    d.touch(`brokers.${node}.consumeQueues.${key}`);
  }
}

/** The broker lost its memory: unflushed records are marked lost, memory-only tables reset. */
export function brokerCrashed(d: StateDraft, node: string, lostUnflushed: [number, number] | undefined): void {
  const view = d.state.brokers[node];
  if (view === undefined) return;
  const from = lostUnflushed?.[0] ?? view.commitLog.flushed;
  if (view.commitLog.records.some((r) => r.physOffset + r.size > from)) {
    const log = d.commitLog(node);
    log.records = log.records.map((r) => (r.physOffset + r.size > from && r.lost !== true ? { ...r, lost: true } : r));
    d.touch(`brokers.${node}.commitLog.records`);
  }
  const b = d.broker(node);
  b.holds = [];
  b.consumerOffsets = view.persistedConsumerOffsets;
  d.touch(`brokers.${node}.holds`);
  d.touch(`brokers.${node}.consumerOffsets`);
}

/** A pull was parked in the hold table. */
export function holdAdded(d: StateDraft, e: InstrumentEvent, data: Data<'broker.pull.suspended'>): void {
  const holds = d.holds(e.node);
  holds.push({ key: data.key, group: data.group, offset: data.offset, deadline: e.at + data.timeoutMillis, since: e.at, seq: e.seq });
  d.touch(`brokers.${e.node}.holds`);
}

/** A held pull left the table (woken, answered or dropped): remove its row. */
export function holdRemoved(d: StateDraft, node: string, key: string, group: string, offset?: number): void {
  const current = d.state.brokers[node]?.holds ?? [];
  let i = current.findIndex((h) => h.key === key && h.group === group && (offset === undefined || h.offset === offset));
  if (i < 0) i = current.findIndex((h) => h.key === key && h.group === group);
  if (i < 0) return;
  d.holds(node).splice(i, 1);
  d.touch(`brokers.${node}.holds`);
}

/** A group's committed offset changed in the broker's memory. */
export function offsetCommitted(d: StateDraft, node: string, group: string, topic: string, queueId: number, offset: number): void {
  const key = `${group}@${topic}/${queueId}`;
  d.brokerTable(node, 'consumerOffsets')[key] = offset;
  d.touch(`brokers.${node}.consumerOffsets.${key}`);
}

/** consumerOffset.json was written: remember what a restart would reload. */
export function offsetsPersisted(d: StateDraft, node: string): void {
  const b = d.broker(node);
  b.persistedConsumerOffsets = b.consumerOffsets;
  d.touch(`brokers.${node}.persistedConsumerOffsets`);
}

/** A topic config was created or changed. */
export function topicSet(d: StateDraft, node: string, topic: string, read: number, write: number, perm: number): void {
  d.brokerTable(node, 'topics')[topic] = { read, write, perm };
  d.touch(`brokers.${node}.topics.${topic}`);
}

/** A topic was deleted with its queues and every group's offsets on it. */
export function topicDeleted(d: StateDraft, node: string, topic: string): void {
  delete d.brokerTable(node, 'topics')[topic];
  const queues = d.brokerTable(node, 'consumeQueues');
  for (const key of Object.keys(queues)) if (key.startsWith(`${topic}/`)) delete queues[key];
  const offsets = d.brokerTable(node, 'consumerOffsets');
  for (const key of Object.keys(offsets)) if (key.includes(`@${topic}/`)) delete offsets[key];
  d.touch(`brokers.${node}.topics.${topic}`);
}

/** A subscription group's offsets were removed with it. */
export function groupOffsetsRemoved(d: StateDraft, node: string, group: string): void {
  const offsets = d.brokerTable(node, 'consumerOffsets');
  for (const key of Object.keys(offsets)) if (key.startsWith(`${group}@`)) delete offsets[key];
  d.touch(`brokers.${node}.consumerOffsets`);
}
