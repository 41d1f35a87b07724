/**
 * Which service lane (mirrored Java thread) an event belongs to, and where each node's
 * lanes come from, for the exporters.
 *
 * Most events name their lane (`lane: "ReputMessageService"`); the rest are placed by
 * kind, and a request arriving at a broker goes to the processor that handles its code,
 * so an exported trace reads like a thread dump of the broker:
 *
 * ```
 *   broker-a   SendMessageProcessor     ▕SEND_MESSAGE_V2▏      ▕SEND_MESSAGE_V2▏
 *              CommitLog                  · appended             · appended
 *              ReputMessageService          · dispatched           · dispatched
 *              PullRequestHoldService   · suspended ······························ · woken
 * ```
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Viz
 * @module
 */
import type { InstrumentEvent } from '../../../src/events/event-types.js';
import type { LoadedRun } from './viz-state.js';

/** Lane of an event without one, by kind prefix (first match wins). */
const LANE_BY_KIND: ReadonlyArray<readonly [string, string]> = [
  ['store.commitlog.', 'CommitLog'],
  ['store.mappedfile.', 'CommitLog'],
  ['store.flush.', 'FlushCommitLogService'],
  ['store.groupcommit.', 'GroupCommitService'],
  ['store.reput.', 'ReputMessageService'],
  ['store.consumequeue.appended', 'ReputMessageService'],
  ['store.message.arrived', 'ReputMessageService'],
  ['store.index.', 'ReputMessageService'],
  ['store.consumequeue.', 'FlushConsumeQueueService'],
  ['store.recovery.', 'DefaultMessageStore'],
  ['store.checkpoint.', 'DefaultMessageStore'],
  ['store.clean.', 'CleanCommitLogService'],
  ['store.ha.', 'HAService'],
  ['store.schedule.', 'ScheduleMessageService'],
  ['broker.pull.suspended', 'PullRequestHoldService'],
  ['broker.pull.woken', 'PullRequestHoldService'],
  ['broker.pull.replied', 'PullRequestHoldService'],
  ['broker.pull.dropped', 'PullRequestHoldService'],
  ['broker.pull.', 'PullMessageProcessor'],
  ['broker.offset.', 'ConsumerOffsetManager'],
  ['broker.tx.', 'TransactionalMessageService'],
  ['broker.message.', 'SendMessageProcessor'],
  ['broker.retry.', 'SendMessageProcessor'],
  ['broker.filter.', 'ConsumerFilterManager'],
  ['broker.consumer.', 'ClientManageProcessor'],
  ['broker.producer.', 'ClientManageProcessor'],
  ['namesrv.', 'RouteInfoManager'],
  ['remoting.', 'remoting'],
  ['walkthrough.', 'Walkthrough'],
  ['sim.', 'Simulator'],
  ['broker.', 'BrokerController'],
  ['client.message.', 'DefaultMQProducerImpl'],
  ['client.queue.selected', 'DefaultMQProducerImpl'],
  ['client.send.', 'DefaultMQProducerImpl'],
  ['client.tx.', 'TransactionMQProducer'],
  ['client.', 'MQClientInstance'],
  ['store.', 'DefaultMessageStore'],
];

/** The processor lane that handles a request code on a broker. */
const PROCESSOR_BY_CODE: Readonly<Record<string, string>> = {
  SEND_MESSAGE: 'SendMessageProcessor',
  SEND_MESSAGE_V2: 'SendMessageProcessor',
  SEND_BATCH_MESSAGE: 'SendMessageProcessor',
  CONSUMER_SEND_MSG_BACK: 'SendMessageProcessor',
  PULL_MESSAGE: 'PullMessageProcessor',
  HEART_BEAT: 'ClientManageProcessor',
  UNREGISTER_CLIENT: 'ClientManageProcessor',
  CHECK_CLIENT_CONFIG: 'ClientManageProcessor',
  GET_CONSUMER_LIST_BY_GROUP: 'ConsumerManageProcessor',
  UPDATE_CONSUMER_OFFSET: 'ConsumerManageProcessor',
  QUERY_CONSUMER_OFFSET: 'ConsumerManageProcessor',
  END_TRANSACTION: 'EndTransactionProcessor',
  LOCK_BATCH_MQ: 'AdminBrokerProcessor',
  UNLOCK_BATCH_MQ: 'AdminBrokerProcessor',
};

/** The lane an event is drawn on. */
export function laneOf(e: InstrumentEvent): string {
  if (e.lane !== undefined) return e.lane;
  if (e.kind === 'remoting.request.received' || e.kind === 'remoting.response.sent') {
    const code = e.rpc?.code;
    if (code !== undefined && PROCESSOR_BY_CODE[code] !== undefined) return PROCESSOR_BY_CODE[code]!;
  }
  for (const [prefix, lane] of LANE_BY_KIND) if (e.kind.startsWith(prefix)) return lane;
  return 'main';
}

/** Every node of the run: the header's, then those that appear only in events, in order. */
export function nodesOf(run: LoadedRun): string[] {
  const nodes = run.header.nodes.map((n) => n.id);
  const seen = new Set(nodes);
  for (const e of run.events) {
    if (!seen.has(e.node)) {
      seen.add(e.node);
      nodes.push(e.node);
    }
  }
  return nodes;
}

/** Address (`"10.0.0.2:10911"`) → node, from every connection's local end. */
export function addressBook(run: LoadedRun): Map<string, string> {
  const addrs = new Map<string, string>();
  for (const e of run.events) if (e.kind === 'remoting.connection.opened') addrs.set(e.data.local, e.node);
  return addrs;
}

/** The run's start on the wall clock (header `config.startMs`), for absolute timestamps. */
export function runEpochMs(run: LoadedRun): number {
  const start = run.header.config['startMs'];
  return typeof start === 'number' && Number.isSafeInteger(start) ? start : 1_700_000_000_000;
}
