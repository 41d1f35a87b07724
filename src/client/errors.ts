/**
 * The typed errors a RocketMQ client raises: what an application sees when a send, a pull
 * or an admin call cannot complete.
 *
 * Two families, as in Java. {@link MQClientError} is anything that went wrong on the client's
 * side of the wire: bad input caught by the validators, no route for a topic, a name server
 * nobody answers on, a send that ran out of its time budget. {@link MQBrokerError} is a
 * broker (or name server) that answered with a non-success response code; it keeps the code,
 * the remark and the address, because the producer's retry rule looks at the code (it
 * retries 17, 14, 1, 16, 204 and 205 on another queue and throws the rest).
 *
 * Transport failures keep their remoting classes (`RemotingTimeoutError`,
 * `RemotingConnectError`, ...) when they reach the application through a single RPC, and
 * become the `cause` of an MQClientError when a retry loop gives up.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java appends a FAQ link to every message (`FAQUrl.suggestTodo`); we do not.
 * - `MQClientError.responseCode` is -1 when no broker code applies (Java's default too).
 *
 * @mirrors org.apache.rocketmq.client.exception.MQClientException
 * @mirrors org.apache.rocketmq.client.exception.MQBrokerException
 * @mirrors org.apache.rocketmq.client.common.ClientErrorCode
 * @article send-receive "When a send fails"
 * @category Client
 * @module
 */

/** Client-side failure: bad input, no route, unreachable name server, exhausted retries. */
export class MQClientError extends Error {
  override readonly name: string = 'MQClientError';

  /**
   * @param responseCode a response code when one applies (e.g. `TOPIC_NOT_EXIST` 17 when no
   *   route exists), else -1
   * @param message what went wrong, in Java's wording where Java has one
   */
  constructor(readonly responseCode: number, message: string, options?: { cause?: unknown }) {
    super(message, { cause: options?.cause });
  }
}

/** A broker or name server answered a request with a non-success code. */
export class MQBrokerError extends Error {
  override readonly name: string = 'MQBrokerError';

  constructor(readonly responseCode: number, readonly remark: string | undefined, readonly brokerAddr?: string) {
    // Java: "CODE: 17  DESC: topic[X] not exist ... BROKER: 10.0.0.2:10911".
    super(`CODE: ${responseCode}  DESC: ${remark ?? ''}${brokerAddr === undefined ? '' : `  BROKER: ${brokerAddr}`}`);
  }
}

/** The -1 Java uses for "no response code applies". */
export const NO_RESPONSE_CODE = -1;

/** Client-side error codes (Java `ClientErrorCode`), used as `MQClientError.responseCode`. */
export const ClientErrorCode = {
  CONNECT_BROKER_EXCEPTION: 10001,
  ACCESS_BROKER_TIMEOUT: 10002,
  BROKER_NOT_EXIST_EXCEPTION: 10003,
  NO_NAME_SERVER_EXCEPTION: 10004,
  NOT_FOUND_TOPIC_EXCEPTION: 10005,
  REQUEST_TIMEOUT_EXCEPTION: 10006,
} as const;
