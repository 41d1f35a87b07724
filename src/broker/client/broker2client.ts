/**
 * Broker2Client: the calls a broker makes to its clients, over the connections those
 * clients opened to it.
 *
 * RocketMQ's clients never listen on a port; a broker that needs to tell a client
 * something writes a request back down the client's own connection. Both calls here are
 * one-way: the broker does not wait, and a client that ignores them (ali-ons ignores every
 * server request) costs nothing but a slower reaction.
 *
 * ```
 *   code  request                         header                               body
 *   40    NOTIFY_CONSUMER_IDS_CHANGED     consumerGroup                        -
 *   39    CHECK_TRANSACTION_STATE         tranStateTableOffset, commitLogOffset,  the half message
 *                                         msgId, transactionId, offsetMsgId       (stored layout)
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - A send that fails (connection gone, no one-way permit) returns false instead of being
 *   logged; Java's 10 ms one-way timeout has no counterpart (permits never wait here).
 * - The admin calls (`resetOffset`, `getConsumeStatus`) are not here yet.
 *
 * @mirrors org.apache.rocketmq.broker.client.net.Broker2Client
 * @article pull-consume-2 "Rebalance: who consumes which queue"
 * @category Broker
 * @module
 */
import { RequestCode } from '../../common/protocol/request-code.js';
import type { Connection } from '../../platform/transport.js';
import { RemotingError } from '../../remoting/errors.js';
import { createRequestCommand, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { RemotingServer } from '../../remoting/remoting-server.js';

/** The header of CHECK_TRANSACTION_STATE (Java `CheckTransactionStateRequestHeader`). */
export interface CheckTransactionStateRequestHeader {
  tranStateTableOffset: number;
  commitLogOffset: number;
  /** The message's UNIQ_KEY. */
  msgId?: string;
  transactionId?: string;
  offsetMsgId?: string;
}

export interface Broker2ClientOptions {
  /** The broker's main RemotingServer (listenPort), where clients send HEART_BEAT. */
  remotingServer: Pick<RemotingServer, 'invokeOneway'>;
  /**
   * The VIP server (listenPort - 2), tried when the main server does not own the connection
   * (a client that registered over the VIP port). Java needs no such choice: a Netty channel
   * can be written to directly.
   */
  fastRemotingServer?: Pick<RemotingServer, 'invokeOneway'>;
}

export class Broker2Client {
  private readonly servers: ReadonlyArray<Pick<RemotingServer, 'invokeOneway'>>;

  constructor(options: Broker2ClientOptions) {
    this.servers = options.fastRemotingServer === undefined ? [options.remotingServer] : [options.remotingServer, options.fastRemotingServer];
  }

  /** Tell the consumer on `connection` that `consumerGroup`'s members changed. Returns whether it was sent. */
  notifyConsumerIdsChanged(connection: Connection, consumerGroup: string): boolean {
    return this.sendOneway(connection, createRequestCommand(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, { consumerGroup }));
  }

  /**
   * Ask the producer on `connection` to decide an undecided transactional message; `message`
   * is the stored record with its real topic restored. Returns whether it was sent.
   */
  checkProducerTransactionState(group: string, connection: Connection, header: CheckTransactionStateRequestHeader, message: Uint8Array): boolean {
    void group; // Java only logs it
    const request = createRequestCommand(RequestCode.CHECK_TRANSACTION_STATE, { ...header });
    request.body = message;
    return this.sendOneway(connection, request);
  }

  private sendOneway(connection: Connection, request: RemotingCommand): boolean {
    for (const server of this.servers) {
      try {
        server.invokeOneway(connection, request);
        return true;
      } catch (error) {
        // Java logs "notifyConsumerIdsChanged exception" and moves on; a dead connection is
        // cleaned up by the housekeeping service. The next server may own the connection.
        if (!(error instanceof RemotingError)) throw error;
      }
    }
    return false;
  }
}
