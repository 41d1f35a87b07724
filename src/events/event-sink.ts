/**
 * Where events go: the {@link EventSink} port and its three sinks.
 *
 * Domain code holds a sink (usually wrapped in {@link NodeEvents}, which fills in the node
 * name) and calls `emit` once, right after the state change it reports. It never checks
 * whether anybody listens: the {@link NoopSink} makes an emit nearly free, and a payload
 * that is expensive to build can ask `wants(kind)` first.
 *
 * - {@link NoopSink}: the default in production; records nothing.
 * - {@link RecordingSink}: stamps `seq` (1, 2, 3, ...) and `at` (ms since the sink was
 *   created, read from its Clock) and keeps every event; tests and walkthroughs read
 *   `events`, live consumers `subscribe`.
 * - {@link FanOutSink}: one emit, several sinks.
 *
 * There is no global switch and no module-level singleton: whoever builds a node decides
 * its sink.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ; it logs through slf4j instead.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Events
 * @module
 */
import type { Clock } from '../platform/clock.js';
import type { EventDataMap, EventFields, EventKind, InstrumentEvent } from './event-types.js';
import { EVENT_SOURCES } from './event-sources.js';

export interface EventSink {
  /** Whether an event of this kind would be kept. Use it to skip building costly payloads. */
  wants(kind: EventKind): boolean;
  /** Record an event; returns its `seq`, or 0 when the sink keeps nothing. */
  emit<K extends EventKind>(event: EventFields<K>): number;
}

/** Keeps nothing. */
export class NoopSink implements EventSink {
  wants(): boolean {
    return false;
  }
  emit(): number {
    return 0;
  }
}

/** A sink that keeps nothing, shared because it has no state. */
export const NOOP_SINK: EventSink = new NoopSink();

/** Stamps and keeps every event, in order. */
export class RecordingSink implements EventSink {
  readonly events: InstrumentEvent[] = [];
  private readonly origin: number;
  private readonly listeners: Array<(event: InstrumentEvent) => void> = [];

  /**
   * @param clock where `at` is read from
   * @param filter keep only the kinds it accepts (default: all)
   */
  constructor(private readonly clock: Clock, private readonly filter: (kind: EventKind) => boolean = () => true) {
    this.origin = clock.now();
  }

  wants(kind: EventKind): boolean {
    return this.filter(kind);
  }

  emit<K extends EventKind>(fields: EventFields<K>): number {
    if (!this.filter(fields.kind)) return 0;
    const event = { seq: this.events.length + 1, at: this.clock.now() - this.origin, ...fields } as InstrumentEvent;
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event.seq;
  }

  /** Call `listener` for every event recorded from now on. Returns an unsubscribe function. */
  subscribe(listener: (event: InstrumentEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** The recorded events of one kind, typed. */
  ofKind<K extends EventKind>(kind: K): Array<Extract<InstrumentEvent, { kind: K }>> {
    return this.events.filter((e): e is Extract<InstrumentEvent, { kind: K }> => e.kind === kind);
  }
}

/** Sends every event to several sinks; returns the first sink's seq. */
export class FanOutSink implements EventSink {
  constructor(private readonly sinks: readonly EventSink[]) {}

  wants(kind: EventKind): boolean {
    return this.sinks.some((s) => s.wants(kind));
  }

  emit<K extends EventKind>(event: EventFields<K>): number {
    let seq = 0;
    for (const [i, sink] of this.sinks.entries()) {
      const s = sink.emit(event);
      if (i === 0) seq = s;
    }
    return seq;
  }
}

/** Everything in an event except what {@link NodeEvents} fills in. */
export type EventExtras = Omit<EventFields, 'kind' | 'node' | 'data'>;

/**
 * A sink bound to one node (and optionally one lane), so that a call site is one short
 * statement: `this.events.emit('store.flush.completed', { flushed, pages })`.
 */
export class NodeEvents {
  constructor(readonly sink: EventSink, readonly node: string, readonly lane?: string) {}

  wants(kind: EventKind): boolean {
    return this.sink.wants(kind);
  }

  /** Stamp and hand over one event; a kind the sink does not want costs one `wants` call (every sink drops those). */
  emit<K extends EventKind>(kind: K, data: EventDataMap[K], extras?: EventExtras): number {
    if (!this.sink.wants(kind)) return 0;
    const fields = { kind, node: this.node, data, ...extras } as EventFields<K>;
    if (this.lane !== undefined && fields.lane === undefined) fields.lane = this.lane;
    if (fields.src === undefined) fields.src = EVENT_SOURCES[kind];
    return this.sink.emit(fields);
  }

  /** The same node, another lane. */
  withLane(lane: string): NodeEvents {
    return new NodeEvents(this.sink, this.node, lane);
  }
}

/** A NodeEvents that keeps nothing, for components built without instrumentation. */
export function noEvents(node = 'node'): NodeEvents {
  return new NodeEvents(NOOP_SINK, node);
}
