/**
 * The visualizer's state: what every panel draws at one cursor position, as plain JSON.
 *
 * The viz never asks a live broker anything. It folds the recorded events of a run
 * (`*.events.jsonl`) into this one object, one event at a time, and every panel (commit
 * log bytes, consume-queue strips, the offset ruler, the hold table, the assignment
 * matrix, message lifelines) is a pure rendering of it. The same cursor always gives the
 * same state, however it was reached: that is what makes back, seek and deep links free.
 *
 * ```
 *   cursor 0            1            2                  N
 *          │  event 1   │  event 2   │   ...   event N  │
 *   state  S0 ───────► S1 ───────► S2 ─── ... ───────► SN
 *          (empty)     (the event at the cursor is state.event; state.changed names
 *                       the paths it touched: "brokers.broker-a.commitLog.wrote")
 * ```
 *
 * States share unchanged subtrees with their predecessors (structural sharing), so a
 * state is read-only: `structuredClone` it before editing. Everything here survives
 * `JSON.stringify` and `structuredClone`; key order is stable because every state is
 * built by the same fold.
 *
 * Positions are the broker's own numbers: physical offsets into the commit log, queue
 * offsets (unit numbers) and byte positions (`queueOffset × 20`) in a consume queue.
 * Times (`at`, `sentAt`, `deadline`) are ms since the run started, like the events' `at`.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ; it models what a learner should see of
 * `CommitLog`, `ConsumeQueue`, `PullRequestHoldService`, `ConsumerOffsetManager` and the
 * client's `OffsetStore` and `RebalanceImpl`, as far as the events report them.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Viz
 * @module
 */
import type { InstrumentEvent, RunHeader } from '../../../src/events/event-types.js';

/** A decoded run: the header, the events (seq 1..N, in order) and a display name. */
export interface LoadedRun {
  header: RunHeader;
  events: readonly InstrumentEvent[];
  name: string;
}

/** One simulated machine and whether it is running at the cursor. */
export interface NodeView {
  id: string;
  /** The header's role; nodes that appear only in events get `'client'` (or `'sim'`). */
  role: string;
  up: boolean;
}

/** One RPC, from the client's `remoting.request.sent` to its response, timeout or loss. */
export interface RpcView {
  opaque: number;
  /** Request code name, e.g. `'SEND_MESSAGE_V2'`. */
  code: string;
  /** The calling node. */
  from: string;
  /** The called node when its address is known, else the address. */
  to: string;
  sentAt: number;
  answeredAt?: number;
  /** Response code name (`'SUCCESS'`, `'PULL_NOT_FOUND'`), `'timeout'`, `'oneway'` or `'dropped'`. */
  status?: string;
  /** Seq of the `remoting.request.sent` event. */
  seq: number;
  oneway: boolean;
}

/** One record of the commit log (or a BLANK filler), with its 4.x byte layout. */
export interface RecordView {
  physOffset: number;
  size: number;
  topic: string;
  queueId: number;
  queueOffset: number;
  uniqKey?: string;
  storeTimestamp: number;
  /** The record's fields in byte order; lengths sum to `size`. Absent for a batch. */
  fields?: RecordField[];
  /** A BLANK filler closing a segment (END_OF_FILE). */
  blank?: boolean;
  /** The node crashed while these bytes were only in memory; recovery will cut them. */
  lost?: boolean;
  /** Seq of the event that appended it. */
  seq: number;
}

/** One field of a record: where it starts (from the record's start), how long, what it holds. */
export interface RecordField {
  name: string;
  offset: number;
  length: number;
  value: string | number;
}

/** One 20-byte consume-queue unit. */
export interface CqUnitView {
  queueOffset: number;
  /** Byte position in the queue's files: `queueOffset × 20`. */
  bytePos: number;
  physOffset: number;
  size: number;
  /** The tag's hash code, or the deliver time for SCHEDULE_TOPIC_XXXX. */
  tagsCode: number;
  seq: number;
}

/** A file of a mapped-file queue. */
export interface SegmentView {
  fileFromOffset: number;
  fileSize: number;
}

/** A pull request parked in the hold table (`PullRequestHoldService`). */
export interface HoldView {
  /** `topic@queueId`. */
  key: string;
  group: string;
  /** The queue offset the request waits to get past. */
  offset: number;
  /** When it times out (ms since run start): suspended `at` + `timeoutMillis`. */
  deadline: number;
  /** When it was parked (ms since run start). */
  since: number;
  seq: number;
}

/** One broker's store and tables. */
export interface BrokerView {
  commitLog: {
    records: RecordView[];
    segments: SegmentView[];
    /** End of the last appended byte. */
    wrote: number;
    /** Bytes moved from the write buffer to the file (transient store pool; else = wrote). */
    committed: number;
    /** Bytes on disk. */
    flushed: number;
    /** Where the reput service will read next (`reputFromOffset`). */
    dispatched: number;
    /** Highest offset a slave confirmed (HA), when there is a slave. */
    slaveAcked?: number;
  };
  /** Key `"topic/queueId"`, units in queue-offset order. */
  consumeQueues: Record<string, CqUnitView[]>;
  /** Consume-queue files, key `"topic/queueId"`. */
  cqSegments: Record<string, SegmentView[]>;
  /** The long-poll hold table. */
  holds: HoldView[];
  /** `"group@topic/queueId"` → committed offset, in the broker's memory. */
  consumerOffsets: Record<string, number>;
  /** What `consumerOffset.json` held at its last write (what a restart reloads). */
  persistedConsumerOffsets: Record<string, number>;
  topics: Record<string, { read: number; write: number; perm: number }>;
}

/** One queue as a consumer sees it. */
export interface ConsumerQueueView {
  group: string;
  /** In this client's assignment now. */
  assigned: boolean;
  /** The in-memory offset (`client.offset.updated`). */
  offset?: number;
  /** The last offset this client wrote out (`client.offset.persisted`). */
  persisted?: number;
  /** Where the next pull starts. */
  nextPullOffset?: number;
  /** Messages buffered in the process queue. */
  inflight?: number;
  /** Orderly: this client holds the broker-side lock. */
  locked?: boolean;
}

/** One rebalance result as this client computed it (its own view of the group). */
export interface RebalanceView {
  strategy: string;
  me: string;
  cidAll: string[];
  mqAll: string[];
  allocated: string[];
  seq: number;
  at: number;
}

/** A consumer node: its queues (key `"topic@broker@queueId"`) and its rebalance views by topic. */
export interface ConsumerView {
  group?: string;
  clientId?: string;
  queues: Record<string, ConsumerQueueView>;
  rebalance: Record<string, RebalanceView>;
  /** Messages handed to the listener so far. */
  consumed: number;
}

/** One place the message was stored (a commit-log record), in order. */
export interface HopView {
  topic: string;
  queueId?: number;
  queueOffset?: number;
  physOffset?: number;
  node: string;
  at: number;
  seq: number;
  /** The event kind that stored it. */
  kind: string;
  reconsumeTimes?: number;
  delayLevel?: number;
}

/** One message followed by its UNIQ_KEY across topic rewrites. */
export interface MessageView {
  uniqKey: string;
  hops: HopView[];
  deliveries: Array<{ consumer: string; at: number; seq: number; reconsumeTimes?: number }>;
  /** Every event that names this UNIQ_KEY, in order. */
  seqs: number[];
}

/** The last decision event's "why?" card. */
export interface WhyView {
  rule: string;
  inputs: Record<string, unknown>;
  outcome: unknown;
  kind: string;
  seq: number;
}

/** Everything the panels draw at one cursor. */
export interface VizState {
  cursor: number;
  /** ms since the run started, of the event at the cursor (0 before the first). */
  at: number;
  /** The event at the cursor (absent at cursor 0). */
  event?: InstrumentEvent;
  nodes: NodeView[];
  /** By node name. */
  brokers: Record<string, BrokerView>;
  /** By node name. */
  consumers: Record<string, ConsumerView>;
  /** RPCs in flight, then the most recently finished ones. */
  rpcs: RpcView[];
  /** By UNIQ_KEY. */
  messages: Record<string, MessageView>;
  /** The last narration beat at or before the cursor. */
  beat?: { id: string; en: string; zh: string };
  why?: WhyView;
  /** State paths changed by the event at the cursor. */
  changed: string[];
  /** Address (`"10.0.0.2:10911"`) → node, learned from connections. */
  addrs: Record<string, string>;
}

/** What the header says about one node, for {@link NodeView}. */
export type HeaderNode = RunHeader['nodes'][number];
