/**
 * AllocateMessageQueueAveragely: cut the sorted queue list into one contiguous block per
 * consumer, the first `n mod c` consumers taking one queue more than the rest.
 *
 * This is the default strategy of every Java consumer. Contiguous blocks keep a consumer's
 * queues together (often on one broker), and because both lists are sorted the same way on
 * every member, each member computes the same cut without talking to the others.
 *
 * Worked example: 8 queues, 3 consumers (n = 8, c = 3, mod = 8 % 3 = 2).
 *
 * ```
 *   mqAll   q0  q1  q2 | q3  q4  q5 | q6  q7
 *           └─ c0 ───┘   └─ c1 ───┘   └ c2 ┘
 *
 *   idx  idx<mod?  averageSize      startIndex            range
 *    0    yes      8/3 + 1 = 3      0·3       = 0         min(3, 8-0) = 3   q0 q1 q2
 *    1    yes      8/3 + 1 = 3      1·3       = 3         min(3, 8-3) = 3   q3 q4 q5
 *    2    no       8/3     = 2      2·2 + 2   = 6         min(2, 8-6) = 2   q6 q7
 * ```
 *
 * The 2 queues left over by the division go one each to the first `mod` consumers, which is
 * why c0 and c1 get 3 and c2 gets 2. With more consumers than queues (n ≤ c) every block is
 * one queue long and consumers from index n on start past the end: they get nothing and sit
 * idle as hot spares.
 *
 * Differences from RocketMQ 4.9.x: none.
 *
 * @mirrors org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely
 * @article pull-consume-1 "Rebalance: who reads which queue"
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';
import { checkAllocateArguments, type AllocateMessageQueueStrategy } from './allocate-message-queue-strategy.js';

export class AllocateMessageQueueAveragely implements AllocateMessageQueueStrategy {
  readonly name = 'AVG';

  allocate(consumerGroup: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[] {
    if (!checkAllocateArguments(consumerGroup, currentCID, mqAll, cidAll)) return [];
    const n = mqAll.length;
    const c = cidAll.length;
    const index = cidAll.indexOf(currentCID);
    const mod = n % c;
    const takesExtra = mod > 0 && index < mod;
    const averageSize = n <= c ? 1 : takesExtra ? Math.floor(n / c) + 1 : Math.floor(n / c);
    const startIndex = takesExtra ? index * averageSize : index * averageSize + mod;
    const range = Math.min(averageSize, n - startIndex);
    const result: MessageQueue[] = [];
    // Java: `(startIndex + i) % size`; the modulo never wraps because range stops at the end.
    for (let i = 0; i < range; i++) result.push(mqAll[(startIndex + i) % n]!);
    return result;
  }
}
