/**
 * The reducer: `(state, event) → next state`, the one function every frame of the viz is
 * built from.
 *
 * Every event kind of the schema has a case in one exhaustive `switch` with a `never`
 * check, so a kind added to `src/events/kinds/` does not compile here until someone
 * decides what the viz does with it (even if that is "nothing": the kinds in the long
 * fall-through groups change no panel, but still count as the cursor's event and may
 * still carry a "why?" card or a UNIQ_KEY).
 *
 * ```
 *   reduce(S, e):  draft = copy-on-write view of S   (reduceMany: one draft for a run of events)
 *                  every event:   cursor, at, event, why (if e.why), lifelines (if it names a UNIQ_KEY)
 *                  by kind:       brokers / consumers / rpcs / nodes / beat   (store-reducer, client-reducer)
 *                  draft.finish() → S' (frozen; shares all untouched subtrees with S)
 * ```
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Viz
 * @module
 */
import type { InstrumentEvent } from '../../../src/events/event-types.js';
import { consumerCrashed, consumerEvent, followMessages, rpcEvent } from './client-reducer.js';
import { emptyBroker, emptyConsumer, StateDraft, type ReduceContext } from './state-draft.js';
import * as store from './store-reducer.js';
import type { BrokerView, ConsumerView, VizState } from './viz-state.js';

/** The state before the first event: the header's nodes, all up, with empty brokers and consumers. */
export function initialState(ctx: ReduceContext): VizState {
  const brokers: Record<string, BrokerView> = {};
  const consumers: Record<string, ConsumerView> = {};
  for (const n of ctx.header.nodes) {
    if (n.role === 'broker-master' || n.role === 'broker-slave') brokers[n.id] = emptyBroker();
    if (n.role === 'consumer') consumers[n.id] = emptyConsumer();
  }
  const state: VizState = {
    cursor: 0, at: 0, nodes: ctx.header.nodes.map((n) => ({ id: n.id, role: n.role, up: true })),
    brokers, consumers, rpcs: [], messages: {}, changed: [], addrs: {},
  };
  return new StateDraft(state, ctx).finish(true);
}

/** The state after `event`, which must be the event at `previous.cursor + 1`. */
export function reduce(previous: VizState, event: InstrumentEvent, ctx: ReduceContext, freeze = true): VizState {
  return reduceMany(previous, [event], ctx, freeze);
}

/**
 * The state after `events`, which must follow `previous.cursor` without a gap. One draft
 * serves them all, so each container is copied at most once; `changed` names what the
 * last event changed.
 */
export function reduceMany(previous: VizState, events: readonly InstrumentEvent[], ctx: ReduceContext, freeze = true): VizState {
  if (events.length === 0) return previous;
  const d = new StateDraft(previous, ctx);
  for (const event of events) {
    d.nextEvent();
    step(d, event);
  }
  return d.finish(freeze);
}

function step(d: StateDraft, event: InstrumentEvent): void {
  const s = d.state;
  s.cursor = event.seq;
  s.at = event.at;
  s.event = event;
  if (!s.nodes.some((n) => n.id === event.node)) {
    (s.nodes = d.own(s.nodes)).push({ id: event.node, role: event.node === 'sim' ? 'sim' : 'client', up: true });
    d.touch('nodes');
  }
  if (event.why !== undefined) {
    s.why = { rule: event.why.rule, inputs: event.why.inputs, outcome: event.why.outcome, kind: event.kind, seq: event.seq };
    d.touch('why');
  }
  followMessages(d, event);
  apply(d, event);
}

function apply(d: StateDraft, e: InstrumentEvent): void {
  const node = e.node;
  switch (e.kind) {
    // ----- the commit log and its positions -----
    case 'store.commitlog.appended': return store.recordAppended(d, e, e.data);
    case 'store.commitlog.blank-filled': return store.blankFilled(d, e, e.data);
    case 'store.commitlog.committed': return store.positionMoved(d, node, 'committed', e.data.committedWhere);
    case 'store.flush.completed': return store.positionMoved(d, node, 'flushed', e.data.flushedWhere);
    case 'store.reput.dispatched': return store.positionMoved(d, node, 'dispatched', e.data.reputFromOffset);
    case 'store.ha.acked': return store.positionMoved(d, node, 'slaveAcked', e.data.pushToSlaveMaxOffset);
    case 'store.ha.appended': return store.positionMoved(d, node, 'wrote', e.data.maxPhyOffset);
    case 'store.consumequeue.appended': return store.cqUnitAppended(d, e, e.data);
    case 'store.mappedfile.created': return store.segmentCreated(d, node, e.data);
    case 'store.mappedfile.deleted': return store.segmentDeleted(d, node, e.data);
    case 'store.recovery.truncated': return store.truncated(d, node, e.data.queue, e.data.toOffset);
    case 'store.recovery.completed': return store.recovered(d, node, e.data);
    // ----- broker tables -----
    case 'broker.pull.suspended': return store.holdAdded(d, e, e.data);
    case 'broker.pull.woken': return store.holdRemoved(d, node, e.data.key, e.data.group, e.data.offset);
    case 'broker.pull.replied':
    case 'broker.pull.dropped': return store.holdRemoved(d, node, e.data.key, e.data.group);
    case 'broker.offset.committed': return store.offsetCommitted(d, node, e.data.group, e.data.topic, e.data.queueId, e.data.offset);
    case 'broker.offset.reset':
      for (const o of e.data.offsets) store.offsetCommitted(d, node, e.data.group, e.data.topic, o.queueId, o.offset);
      return;
    case 'broker.offset.persisted': return store.offsetsPersisted(d, node);
    case 'broker.topic.created':
    case 'broker.topic.updated': return store.topicSet(d, node, e.data.topic, e.data.readQueueNums, e.data.writeQueueNums, e.data.perm);
    case 'broker.topic.deleted': return store.topicDeleted(d, node, e.data.topic);
    case 'broker.subscription-group.deleted':
      if (e.data.offsetsRemoved) store.groupOffsetsRemoved(d, node, e.data.group);
      return;
    // ----- nodes coming and going -----
    case 'broker.controller.started': return setUp(d, node, true);
    case 'broker.controller.stopped':
      if (d.state.brokers[node] !== undefined) d.broker(node).holds = [];
      return setUp(d, node, false);
    case 'sim.node.crashed':
      store.brokerCrashed(d, e.data.target, e.data.lostUnflushed);
      consumerCrashed(d, e.data.target);
      return setUp(d, e.data.target, false);
    case 'sim.node.restarted': return setUp(d, e.data.target, true);
    case 'walkthrough.beat.reached':
      d.state.beat = { id: e.data.id, en: e.data.en, zh: e.data.zh };
      d.touch('beat');
      return;
    // ----- consumers -----
    case 'client.rebalance.computed':
    case 'client.queue.added':
    case 'client.queue.dropped':
    case 'client.queue.locked':
    case 'client.queue.unlocked':
    case 'client.pull.requested':
    case 'client.pull.received':
    case 'client.processqueue.put':
    case 'client.consume.started':
    case 'client.offset.updated':
    case 'client.offset.persisted':
    case 'client.lite.assigned':
    case 'client.lite.polled':
    case 'client.lite.seeked':
    case 'client.lite.committed': return consumerEvent(d, e);
    // ----- RPCs -----
    case 'remoting.connection.opened':
    case 'remoting.connection.closed':
    case 'remoting.request.sent':
    case 'remoting.request.received':
    case 'remoting.response.received':
    case 'remoting.request.timed-out': return rpcEvent(d, e);
    // ----- no panel of their own (the event list, lifelines and "why?" cards still show them) -----
    case 'remoting.frame.rejected': case 'remoting.response.sent': case 'remoting.response.dropped':
    case 'sim.link.dropped': case 'sim.link.delayed': case 'sim.link.partitioned': case 'sim.link.healed':
    case 'store.flush.requested': case 'store.groupcommit.acked': case 'store.io.failed': case 'store.message.arrived':
    case 'store.recovery.started': case 'store.checkpoint.flushed': case 'store.consumequeue.flushed': case 'store.disk.full-changed':
    case 'store.clean.files-deleted': case 'store.index.appended': case 'store.index.file-created': case 'store.index.file-flushed':
    case 'store.index.file-deleted':
    case 'store.schedule.delivered': case 'store.schedule.deliver-failed': case 'store.schedule.dropped':
    case 'store.schedule.offsets-persisted': case 'store.schedule.offsets-loaded':
    case 'store.ha.listening': case 'store.ha.listen-failed': case 'store.ha.slave-connected': case 'store.ha.slave-disconnected':
    case 'store.ha.transfer-started': case 'store.ha.chunk-sent': case 'store.ha.sync-waited': case 'store.ha.client-connected':
    case 'store.ha.client-connect-failed': case 'store.ha.client-disconnected':
    case 'broker.config.loaded': case 'broker.config.persist-failed': case 'broker.group.created': case 'broker.message.checked':
    case 'broker.retry.decided': case 'broker.message.dead-lettered': case 'broker.namesrv.registered': case 'broker.namesrv.unregistered':
    case 'broker.slave.master-updated': case 'broker.slave.synchronized': case 'broker.subscription-group.updated':
    case 'broker.pull.found': case 'broker.pull.not-found': case 'broker.offset.queried':
    case 'broker.consumer.registered': case 'broker.consumer.unregistered': case 'broker.consumer.change-notified':
    case 'broker.producer.registered': case 'broker.producer.unregistered': case 'broker.rebalance.locked': case 'broker.rebalance.unlocked':
    case 'broker.tx.half-stored': case 'broker.tx.ended': case 'broker.tx.op-written': case 'broker.tx.check-sent':
    case 'broker.tx.discarded': case 'broker.tx.half-requeued': case 'broker.tx.check-round':
    case 'broker.filter.registered': case 'broker.filter.compile-failed': case 'broker.filter.unregistered': case 'broker.filter.removed':
    case 'broker.filter.loaded': case 'broker.filter.applied': case 'broker.filter.evaluated':
    case 'client.route.updated': case 'client.message.created': case 'client.queue.selected': case 'client.send.completed':
    case 'client.send.timed-out': case 'client.send.retried': case 'client.heartbeat.sent': case 'client.rebalance.started':
    case 'client.pull.delayed': case 'client.pull.failed': case 'client.consume.succeeded': case 'client.consume.failed':
    case 'client.message.sent-back': case 'client.lite.poll-timed-out': case 'client.lite.paused':
    case 'client.tx.half-sent': case 'client.tx.local-executed': case 'client.tx.end-sent': case 'client.tx.check-answered':
    case 'client.tx.check-dropped':
    case 'namesrv.broker.registered': case 'namesrv.broker.unregistered': case 'namesrv.broker.expired': case 'namesrv.route.queried':
    case 'namesrv.topic.deleted': case 'namesrv.broker.perm-changed':
      return;
    default:
      return unhandled(e);
  }
}

function unhandled(e: never): void {
  void e;
}

function setUp(d: StateDraft, node: string, up: boolean): void {
  const i = d.state.nodes.findIndex((n) => n.id === node);
  const current = d.state.nodes[i];
  if (current === undefined) {
    (d.state.nodes = d.own(d.state.nodes)).push({ id: node, role: 'client', up });
  } else if (current.up !== up) {
    (d.state.nodes = d.own(d.state.nodes))[i] = { ...current, up };
  } else return;
  d.touch('nodes');
}
