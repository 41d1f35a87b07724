/**
 * TransactionMQProducer: a producer whose messages become visible only if the
 * application's local transaction commits.
 *
 * Think of an order service that writes an order row and must announce it with a message.
 * Writing the row and then sending can lose the message (crash in between); sending first
 * can announce an order that then fails to commit. RocketMQ's answer is a two-phase send
 * with the broker as the patient coordinator:
 *
 * ```
 *   producer = new TransactionMQProducer({ ..., producerGroup: 'order-pg', transactionListener: {
 *     executeLocalTransaction: async (msg, order) => (await db.insert(order)) ? 'COMMIT_MESSAGE' : 'ROLLBACK_MESSAGE',
 *     checkLocalTransaction: async (msg) => (await db.hasOrder(msg.keys)) ? 'COMMIT_MESSAGE' : 'UNKNOW',
 *   } })
 *   await producer.start()
 *   const result = await producer.sendMessageInTransaction(Message.create('Orders', body, { keys: orderId }), order)
 *   result.localTransactionState   // what the broker was told right away
 * ```
 *
 * 1. The message goes to the broker as a *half* message: stored, but in a system topic no
 *    consumer reads.
 * 2. `executeLocalTransaction` runs; its verdict goes to the broker with END_TRANSACTION.
 *    COMMIT copies the message into its real topic (a new offset, visible to consumers);
 *    ROLLBACK forgets it; UNKNOW leaves it waiting.
 * 3. A half message still waiting after `transactionTimeOut` (6 s) is checked back on every
 *    `transactionCheckInterval` (60 s) run: the broker asks a producer of the same group
 *    (any one: the group is the unit) with CHECK_TRANSACTION_STATE, and
 *    `checkLocalTransaction` answers. After `transactionCheckMax` (15) checks it gives up
 *    and discards the half message.
 *
 * So the producer group must stay alive (and answer checks) for as long as transactions
 * may be open, and `checkLocalTransaction` must be able to find out, from the message
 * alone, what became of a transaction.
 *
 * Differences from RocketMQ 4.9.x:
 * - Options object; the listener may answer with a Promise.
 * - The check executor is a serial queue on the event loop: `checkRequestHoldMax` bounds it,
 *   and `checkThreadPoolMinSize`/`MaxSize`/`executorService` have no counterpart.
 * - No deprecated `LocalTransactionExecuter`/`TransactionCheckListener` API, no namespace.
 *
 * @mirrors org.apache.rocketmq.client.producer.TransactionMQProducer
 * @article transaction "The producer side of a transaction"
 * @category Client
 * @module
 */
import type { Message } from '../../common/message/message.js';
import { NodeEvents } from '../../events/event-sink.js';
import { MQClientError } from '../errors.js';
import { DefaultMQProducer, type DefaultMQProducerOptions } from './default-mq-producer.js';
import type { TransactionListener } from './transaction-listener.js';
import { TransactionMQProducerImpl, type TransactionProducerSettings } from './transaction-mq-producer-impl.js';
import type { TransactionSendResult } from './transaction-send-result.js';

export interface TransactionMQProducerOptions extends DefaultMQProducerOptions {
  /** Required before `sendMessageInTransaction`; may also be set later. */
  transactionListener?: TransactionListener;
  /** Check-backs that may wait for the listener at once; more are dropped. @defaultValue 2000 */
  checkRequestHoldMax?: number;
}

export class TransactionMQProducer extends DefaultMQProducer implements TransactionProducerSettings {
  transactionListener: TransactionListener | undefined;
  checkRequestHoldMax: number;
  readonly transactionImpl: TransactionMQProducerImpl;

  constructor(options: TransactionMQProducerOptions) {
    super(options);
    this.transactionListener = options.transactionListener;
    this.checkRequestHoldMax = options.checkRequestHoldMax ?? 2000;
    const node = options.node ?? options.clientInstance?.node ?? this.producerGroup;
    this.transactionImpl = new TransactionMQProducerImpl(this, this.defaultMQProducerImpl, new NodeEvents(options.events, node));
    // The client instance hands CHECK_TRANSACTION_STATE to the registered inner producer.
    this.defaultMQProducerImpl.checkTransactionState = (addr, msg, header) => this.transactionImpl.checkTransactionState(addr, msg, header);
  }

  /**
   * Send `msg` as a half message, run `transactionListener.executeLocalTransaction(msg, arg)`
   * and tell the broker its verdict. Resolves with the half message's SendResult and the
   * verdict; rejects when the listener is missing, the message is invalid, or the half
   * message could not be sent.
   */
  sendMessageInTransaction(msg: Message, arg?: unknown): Promise<TransactionSendResult> {
    if (this.transactionListener === undefined) return Promise.reject(new MQClientError(-1, 'TransactionListener is null'));
    return this.transactionImpl.sendMessageInTransaction(msg, arg);
  }
}
