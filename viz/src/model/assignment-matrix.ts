/**
 * The assignment matrix of one topic: which client holds which queue, *according to each
 * client*, and where those private views disagree.
 *
 * Every 20 s (or at once on NOTIFY_CONSUMER_IDS_CHANGED) each client sorts the consumer
 * ids and the queues it knows and takes its own slice. Nobody coordinates, so for a moment
 * two clients can both take a queue (a duplicate) or nobody takes it (a pause). The matrix
 * puts the views side by side:
 *
 * ```
 *            q0   q1   q2   q3        owners   overlap  gap
 *   c1       ■    ■    ·    ·         q0 c1
 *   c2       ·    ·    ■    ■         q1 c1
 *   c3 (new) ·    ·    ·    ■         q3 c2 c3  ◄ both think q3 is theirs
 *   idle: a client with a view but no queue (more consumers than queues)
 * ```
 *
 * Only running nodes count: a crashed or stopped client's last view is stale.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ (RebalanceImpl keeps one view per client).
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.RebalanceImpl#rebalanceByTopic (the views it computes)
 * @article pull-consume-2 "Rebalancing"
 * @category Viz
 * @module
 */
import type { VizState } from './viz-state.js';

/** Each client's view of one topic's assignment, and the disagreements. */
export interface AssignmentMatrix {
  topic: string;
  /** Every queue any client knows, by topic, broker and queue id. */
  queues: string[];
  clients: Array<{ node: string; clientId: string; allocated: string[]; idle: boolean; cidAll: string[]; seq: number }>;
  /** Queue → the nodes that think it is theirs. */
  owners: Record<string, string[]>;
  /** Queues two or more clients hold. */
  overlaps: string[];
  /** Queues nobody holds. */
  gaps: string[];
  /** Overlaps, gaps, or clients that see different members or queues. */
  disagree: boolean;
}

/** The matrix for `topic` at this state. */
export function assignmentMatrix(state: VizState, topic: string): AssignmentMatrix {
  const up = new Set(state.nodes.filter((n) => n.up).map((n) => n.id));
  const clients: AssignmentMatrix['clients'] = [];
  const queueSet = new Set<string>();
  const views = new Set<string>();
  for (const node of Object.keys(state.consumers).sort()) {
    const view = state.consumers[node]?.rebalance[topic];
    if (view === undefined || !up.has(node)) continue;
    for (const mq of view.mqAll) queueSet.add(mq);
    views.add(JSON.stringify([view.cidAll, view.mqAll]));
    clients.push({ node, clientId: view.me, allocated: view.allocated, idle: view.allocated.length === 0, cidAll: view.cidAll, seq: view.seq });
  }
  const queues = [...queueSet].sort(compareQueues);
  const owners: Record<string, string[]> = {};
  for (const mq of queues) owners[mq] = clients.filter((c) => c.allocated.includes(mq)).map((c) => c.node);
  const overlaps = queues.filter((mq) => (owners[mq]?.length ?? 0) > 1);
  const gaps = queues.filter((mq) => (owners[mq]?.length ?? 0) === 0);
  return { topic, queues, clients, owners, overlaps, gaps, disagree: overlaps.length > 0 || gaps.length > 0 || views.size > 1 };
}

/** Order `"topic@broker@queueId"` names by topic, broker, then queue id as a number. */
function compareQueues(a: string, b: string): number {
  const [ta = '', ba = '', qa = ''] = a.split('@');
  const [tb = '', bb = '', qb = ''] = b.split('@');
  return ta.localeCompare(tb) || ba.localeCompare(bb) || Number(qa) - Number(qb) || a.localeCompare(b);
}
