/**
 * ClientChannelInfo: one client connection as the broker's client registry remembers it.
 *
 * A heartbeat names a client (`clientID`, e.g. `10.0.0.9@1234`); the connection it arrived
 * on is how the broker can reach that client again (NOTIFY_CONSUMER_IDS_CHANGED,
 * CHECK_TRANSACTION_STATE). The registry keys its tables by the connection, and every
 * heartbeat refreshes `lastUpdateTimestamp`, so an entry that goes 120 s without one is
 * considered dead and removed by the housekeeping scan.
 *
 * Differences from RocketMQ 4.9.x:
 * - Holds the transport `Connection` instead of a Netty `Channel`; equality is identity of
 *   the connection, as Java's `equals` compares the channel only.
 *
 * @mirrors org.apache.rocketmq.broker.client.ClientChannelInfo
 * @article pull-consume-1 "Heartbeats: how the broker learns who consumes"
 * @category Broker
 * @module
 */
import type { Connection } from '../../platform/transport.js';
import type { LanguageName } from '../../remoting/remoting-command.js';

export class ClientChannelInfo {
  /** When the last heartbeat of this client arrived (clock ms). */
  lastUpdateTimestamp: number;

  /**
   * @param connection the connection the client's requests arrive on
   * @param clientId the heartbeat's `clientID` (`ip@instanceName`)
   * @param language the request header's language (`'JAVA'`, ...)
   * @param version the request header's MQVersion ordinal
   * @param now the clock's time (Java stamps `System.currentTimeMillis()`)
   */
  constructor(
    readonly connection: Connection,
    readonly clientId: string,
    readonly language: LanguageName,
    readonly version: number,
    now: number,
  ) {
    this.lastUpdateTimestamp = now;
  }

  /** The client's `"host:port"` as seen by the broker. */
  get remoteAddress(): string {
    return this.connection.remoteAddress;
  }

  toString(): string {
    return `ClientChannelInfo [channel=${this.connection.remoteAddress}, clientId=${this.clientId}, language=${this.language}, ` +
      `version=${this.version}, lastUpdateTimestamp=${this.lastUpdateTimestamp}]`;
  }
}
