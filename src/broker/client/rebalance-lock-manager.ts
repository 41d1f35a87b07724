/**
 * RebalanceLockManager: the broker-side locks that let an orderly consumer be the only one
 * reading a queue.
 *
 * An orderly consumer must never have two members consuming the same queue, not even for
 * the moment a rebalance takes to move it. So before it consumes a queue it asks the
 * queue's broker for a lock (LOCK_BATCH_MQ), renews it every 20 s, and gives it back when
 * the queue moves away (UNLOCK_BATCH_MQ). A lock not renewed for 60 s expires, so a member
 * that died silently cannot block its queues forever.
 *
 * ```
 *   mqLockTable   group ──► "topic@brokerName@queueId" ──► LockEntry { clientId, lastUpdateTimestamp }
 *
 *   tryLockBatch(g, [q0,q1], "c1")   q0 free            ──► c1 takes it
 *                                    q1 held by c2      ──► refused, unless c2's lock is > 60 s old
 *                                    q? held by c1      ──► renewed
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - No ReentrantLock: the batch runs to completion on one thread.
 * - The lock lifetime is an option (Java: system property `rocketmq.broker.rebalance.lockMaxLiveTime`).
 * - Queues are any `{topic, brokerName, queueId}` objects; the ones locked are returned as given.
 *
 * @mirrors org.apache.rocketmq.broker.client.rebalance.RebalanceLockManager
 * @article orderly "Locking a queue on the broker"
 * @emits broker.rebalance.locked, broker.rebalance.unlocked
 * @category Broker
 * @module
 */
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';

/** Java's default `rocketmq.broker.rebalance.lockMaxLiveTime`: 60 s. */
export const REBALANCE_LOCK_MAX_LIVE_TIME = 60_000;

/** A message queue as the lock bodies carry it (`{"brokerName":..,"queueId":..,"topic":..}`). */
export interface MessageQueueLike {
  readonly topic: string;
  readonly brokerName: string;
  readonly queueId: number;
}

interface LockEntry {
  clientId: string;
  lastUpdateTimestamp: number;
}

export interface RebalanceLockManagerOptions {
  clock: Clock;
  events: NodeEvents;
  /** How long a lock lives without renewal (ms). @defaultValue 60000 */
  lockMaxLiveTimeMillis?: number;
}

export class RebalanceLockManager {
  private readonly mqLockTable = new Map<string, Map<string, LockEntry>>();
  private readonly clock: Clock;
  private readonly events: NodeEvents;
  private readonly lockMaxLiveTimeMillis: number;

  constructor(options: RebalanceLockManagerOptions) {
    this.clock = options.clock;
    this.events = options.events;
    this.lockMaxLiveTimeMillis = options.lockMaxLiveTimeMillis ?? REBALANCE_LOCK_MAX_LIVE_TIME;
  }

  /** Lock (or renew) each queue for `clientId` when free, its own, or expired. Returns the queues now held. */
  tryLockBatch<Q extends MessageQueueLike>(group: string, mqs: Iterable<Q>, clientId: string): Q[] {
    const now = this.clock.now();
    let groupValue = this.mqLockTable.get(group);
    if (groupValue === undefined) {
      groupValue = new Map();
      this.mqLockTable.set(group, groupValue);
    }
    const locked: Q[] = [];
    let requested = 0;
    for (const mq of mqs) {
      requested++;
      const key = mqKey(mq);
      const entry = groupValue.get(key);
      if (entry === undefined || entry.clientId === clientId || this.isExpired(entry, now)) {
        // Free, ours (renewal), or abandoned: Java logs "I got it" and takes it.
        groupValue.set(key, { clientId, lastUpdateTimestamp: now });
        locked.push(mq);
      }
    }
    this.events.emit('broker.rebalance.locked', { group, clientId, requested, locked: locked.length }, { flow: 'rebalance' });
    return locked;
  }

  /** Release the queues `clientId` holds; locks held by another client stay. */
  unlockBatch(group: string, mqs: Iterable<MessageQueueLike>, clientId: string): void {
    const groupValue = this.mqLockTable.get(group);
    let requested = 0;
    let released = 0;
    for (const mq of mqs) {
      requested++;
      const key = mqKey(mq);
      if (groupValue?.get(key)?.clientId !== clientId) continue; // Java warns "locked by other client" or "not locked"
      groupValue.delete(key);
      released++;
    }
    this.events.emit('broker.rebalance.unlocked', { group, clientId, requested, released }, { flow: 'rebalance' });
  }

  /** Whether `clientId` holds a live lock on `mq` (and renews it, as Java's `isLocked` does). */
  isLocked(group: string, mq: MessageQueueLike, clientId: string): boolean {
    const entry = this.mqLockTable.get(group)?.get(mqKey(mq));
    const now = this.clock.now();
    if (entry === undefined || entry.clientId !== clientId || this.isExpired(entry, now)) return false;
    entry.lastUpdateTimestamp = now;
    return true;
  }

  private isExpired(entry: LockEntry, now: number): boolean {
    return now - entry.lastUpdateTimestamp > this.lockMaxLiveTimeMillis;
  }
}

/** The identity of a queue (Java `MessageQueue.equals`: topic, brokerName and queueId). */
function mqKey(mq: MessageQueueLike): string {
  return `${mq.topic}@${mq.brokerName}@${mq.queueId}`;
}
