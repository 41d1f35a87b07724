/**
 * The instrumentation schema: every event any component can emit, as one typed union.
 *
 * An event is a fact that already happened ("store.commitlog.appended"), recorded with the
 * virtual or real time, the simulated machine (`node`) it happened on, and a small plain-JSON
 * payload. The visualizer folds these events into its panels, the walkthroughs narrate them,
 * and golden fixtures pin them, so this file is the contract between the domain code and
 * everything that draws it. Events never carry live objects: they must survive being written
 * to a JSONL line and read back in another process.
 *
 * The kind-specific payloads live in one file per module under `kinds/`, merged here into
 * {@link EventDataMap}. A kind is `<module>.<noun>.<past-tense verb>`.
 *
 * Envelope (the fields every event has, stamped partly by the sink):
 *
 * ```
 *  seq    1, 2, 3, ...  total order in the run, no gaps (stamped by the sink)
 *  at     ms since the run started (stamped by the sink from its Clock)
 *  node   "broker-a", "namesrv-1", "producer-1", "sim"
 *  lane   the Java thread it mirrors: "ReputMessageService", "remoting", ...
 *  kind   "store.commitlog.appended"
 *  cause  seq numbers this event happened after (drawn as causal edges)
 *  rpc    { opaque, code, side } pairs a request with its response
 *  msg    correlation keys for one message (UNIQ_KEY, topic, queue, offsets)
 *  flow   which teaching flow it belongs to ("send", "store", "pull", ...)
 *  src    code anchor "src/store/commitlog/commit-log.ts#CommitLog.putMessage"
 *  says   narration key; why: inputs and outcome of a decision
 *  data   the kind-specific payload below
 * ```
 *
 * Differences from RocketMQ 4.9.x: RocketMQ has logs, not a typed event stream.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Events
 * @module
 */
import type { BrokerAdminEventMap } from './kinds/broker-admin-events.js';
import type { BrokerEventMap } from './kinds/broker-events.js';
import type { BrokerFilterEventMap } from './kinds/broker-filter-events.js';
import type { BrokerPullEventMap } from './kinds/broker-pull-events.js';
import type { BrokerTxEventMap } from './kinds/broker-tx-events.js';
import type { ClientConsumerEventMap } from './kinds/client-consumer-events.js';
import type { ClientEventMap } from './kinds/client-events.js';
import type { ClientLiteEventMap } from './kinds/client-lite-events.js';
import type { ClientTxEventMap } from './kinds/client-tx-events.js';
import type { NamesrvEventMap } from './kinds/namesrv-events.js';
import type { RemotingEventMap } from './kinds/remoting-events.js';
import type { SimEventMap } from './kinds/sim-events.js';
import type { StoreEventMap } from './kinds/store-events.js';
import type { StoreHaEventMap } from './kinds/store-ha-events.js';
import type { StoreIndexEventMap } from './kinds/store-index-events.js';
import type { StoreMaintenanceEventMap } from './kinds/store-maintenance-events.js';
import type { StoreScheduleEventMap } from './kinds/store-schedule-events.js';

/** Bumped when a field is renamed or removed; adding an optional field keeps it. */
export const EVENT_SCHEMA_VERSION = 1;

/** Payload type of every event kind. Each module contributes its own map. */
export interface EventDataMap
  extends BrokerEventMap, BrokerPullEventMap, BrokerAdminEventMap, BrokerTxEventMap, BrokerFilterEventMap,
    ClientEventMap, ClientConsumerEventMap, ClientLiteEventMap, ClientTxEventMap, NamesrvEventMap, RemotingEventMap, SimEventMap,
    StoreEventMap, StoreIndexEventMap, StoreMaintenanceEventMap, StoreScheduleEventMap, StoreHaEventMap {}

/** Every event kind, e.g. `'remoting.request.sent'`. */
export type EventKind = keyof EventDataMap;

/** The teaching flow an event belongs to, so the viz can filter by it. */
export type Flow =
  | 'route' | 'send' | 'store' | 'flush' | 'dispatch' | 'pull' | 'long-poll' | 'consume' | 'offset'
  | 'retry' | 'schedule' | 'dlq' | 'tx' | 'ha' | 'rebalance' | 'filter' | 'fault' | 'narration' | 'remoting';

/** Correlation keys that let the viz follow one message across nodes and topic rewrites. */
export interface MsgRef {
  uniqKey?: string;
  offsetMsgId?: string;
  topic: string;
  queueId?: number;
  queueOffset?: number;
  physOffset?: number;
  size?: number;
  realTopic?: string;
  reconsumeTimes?: number;
  delayLevel?: number;
  tx?: 'half' | 'commit' | 'rollback' | 'unknown';
}

/** Pairs the request and response events of one RPC. */
export interface RpcRef {
  opaque: number;
  /** Request code name, e.g. `'SEND_MESSAGE_V2'`, or the number as a string when unnamed. */
  code: string;
  side: 'client' | 'server';
}

/** The inputs and outcome of a decision, for the viz's "why?" cards. */
export interface Why {
  rule: string;
  inputs: Record<string, unknown>;
  outcome: unknown;
}

/** What the emitter supplies; the sink adds `seq` and `at`. */
export interface EventFields<K extends EventKind = EventKind> {
  kind: K;
  node: string;
  lane?: string;
  cause?: number[];
  rpc?: RpcRef;
  msg?: MsgRef;
  flow?: Flow;
  src?: string;
  says?: string;
  why?: Why;
  data: EventDataMap[K];
}

/** A recorded event: the emitter's fields plus the sink's stamps. */
export type InstrumentEvent = {
  [K in EventKind]: EventFields<K> & { seq: number; at: number };
}[EventKind];

/** One lane (a mirrored Java thread) of one node, in display order. */
export interface LaneDecl {
  node: string;
  lane: string;
}

/** Line 1 of every `*.events.jsonl` file. */
export interface RunHeader {
  type: 'run.header';
  v: number;
  scenario: string;
  seed: number;
  semantics: 'rocketmq-4.9.x';
  commit: string;
  config: Record<string, unknown>;
  nodes: Array<{ id: string; role: 'namesrv' | 'broker-master' | 'broker-slave' | 'producer' | 'consumer' | 'client' | 'sim'; group?: string }>;
  lanes: LaneDecl[];
  locale?: string[];
}
