/**
 * StateDraft: the copy-on-write helper the reducer writes through, so one event produces a
 * new state that shares every untouched subtree with the previous one.
 *
 * Replaying a 10,000-event run must not deep-copy the whole state per event, and a
 * checkpoint must stay valid after later events are applied. Both follow if no object of
 * an earlier state is ever written: the draft shallow-copies an object the first time an
 * event writes into it (`own`), remembers the copy as its own, and writes freely into
 * copies it owns. A seek replays up to a checkpoint's worth of events through one draft,
 * so each container is copied once per seek, not once per event.
 *
 * ```
 *   previous state             next state (one event: a record appended on broker-a)
 *   root ─ brokers ─ broker-a ─ commitLog ─ records[..k]
 *     │       └──── broker-b ◄──────────── shared ─────┐
 *     └─ messages ◄────────────── shared ──────────┐   │
 *   root'─ brokers'─ broker-a'─ commitLog'─ records'[..k+1]
 *     └─ messages (same object) ─────────────────────┘ └ broker-b (same object)
 * ```
 *
 * With `freeze` on, every object an event created is frozen when the event is done (the
 * walk stops at objects already frozen, which is all of the previous state), so a caller that writes into a returned state fails loudly instead of corrupting a checkpoint.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Viz
 * @module
 */
import type { RunHeader } from '../../../src/events/event-types.js';
import type { BrokerView, ConsumerQueueView, ConsumerView, MessageView, VizState } from './viz-state.js';

/** Facts about the whole run the reducer may consult (pure functions of the run). */
export interface ReduceContext {
  header: RunHeader;
  /** Body length by UNIQ_KEY, from `client.message.created` (uncompressed bodies only). */
  bodyLengths: ReadonlyMap<string, number>;
}

/** The writes of one event (or of a run of events) into a new state. */
export class StateDraft {
  readonly state: VizState;
  private readonly fresh = new Set<object>();
  private readonly changed = new Set<string>();

  constructor(previous: VizState, readonly ctx: ReduceContext) {
    this.state = { ...previous, changed: [] };
    this.fresh.add(this.state);
  }

  /** `value` itself if this draft made it, else a shallow copy this draft now owns. */
  own<T extends object>(value: T): T {
    if (this.fresh.has(value)) return value;
    const copy = (Array.isArray(value) ? value.slice() : { ...value }) as T;
    this.fresh.add(copy);
    return copy;
  }

  /** Mark `value`, made by the caller for this draft, as owned: later writes go into it. */
  adopt<T extends object>(value: T): T {
    this.fresh.add(value);
    return value;
  }

  /** Start the next event of a multi-event draft: only its changes will be reported. */
  nextEvent(): void {
    this.changed.clear();
  }

  /** Record that `path` changed ("brokers.broker-a.commitLog.wrote"). */
  touch(path: string): void {
    this.changed.add(path);
  }

  /** The broker view of `node`, owned (created empty when the node had none). */
  broker(node: string): BrokerView {
    const brokers = (this.state.brokers = this.own(this.state.brokers));
    const current = brokers[node] ?? emptyBroker();
    return (brokers[node] = this.own(current));
  }

  /** The commit-log part of `node`'s broker view, owned. */
  commitLog(node: string): BrokerView['commitLog'] {
    const b = this.broker(node);
    return (b.commitLog = this.own(b.commitLog));
  }

  /** A record-valued field of `node`'s broker view (`consumeQueues`, `topics`, ...), owned. */
  brokerTable<K extends 'consumeQueues' | 'cqSegments' | 'consumerOffsets' | 'topics'>(node: string, key: K): BrokerView[K] {
    const b = this.broker(node);
    return (b[key] = this.own(b[key]));
  }

  /** The hold table of `node`, owned. */
  holds(node: string): BrokerView['holds'] {
    const b = this.broker(node);
    return (b.holds = this.own(b.holds));
  }

  /** The consumer view of `node`, owned (created empty when the node had none). */
  consumer(node: string): ConsumerView {
    const consumers = (this.state.consumers = this.own(this.state.consumers));
    const current = consumers[node] ?? emptyConsumer();
    return (consumers[node] = this.own(current));
  }

  /** One queue of `node`'s consumer view, owned (created unassigned for `group`). */
  consumerQueue(node: string, mq: string, group: string): ConsumerQueueView {
    const c = this.consumer(node);
    const queues = (c.queues = this.own(c.queues));
    const current = queues[mq] ?? { group, assigned: false };
    this.touch(`consumers.${node}.queues.${mq}`);
    return (queues[mq] = this.own(current));
  }

  /** The lifeline of `uniqKey`, owned (created empty). */
  message(uniqKey: string): MessageView {
    const messages = (this.state.messages = this.own(this.state.messages));
    const current = messages[uniqKey] ?? { uniqKey, hops: [], deliveries: [], seqs: [] };
    this.touch(`messages.${uniqKey}`);
    return (messages[uniqKey] = this.own(current));
  }

  /** The finished state; with `freeze`, every object this draft created is frozen. */
  finish(freeze: boolean): VizState {
    this.state.changed = [...this.changed];
    if (freeze) freezeNew(this.state);
    return this.state;
  }
}

/** Freeze `value` and everything under it that is not frozen yet (earlier states are). */
function freezeNew(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) freezeNew(child);
}

/** A broker with nothing stored yet. */
export function emptyBroker(): BrokerView {
  return {
    commitLog: { records: [], segments: [], wrote: 0, committed: 0, flushed: 0, dispatched: 0 },
    consumeQueues: {},
    cqSegments: {},
    holds: [],
    consumerOffsets: {},
    persistedConsumerOffsets: {},
    topics: {},
  };
}

/** A consumer with no queues yet. */
export function emptyConsumer(): ConsumerView {
  return { queues: {}, rebalance: {}, consumed: 0 };
}
