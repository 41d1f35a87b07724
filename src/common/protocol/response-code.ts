/**
 * Response codes: the number in a response's `code` field that says how a request went.
 *
 * A RocketMQ server never throws an exception across the wire. A processor that fails
 * answers with one of these codes and a human-readable `remark`; the caller turns a code
 * it does not expect into an `MQBrokerException`. The first five (0 to 4) are the generic
 * ones the remoting layer itself produces (Java keeps them in `RemotingSysResponseCode`);
 * the rest belong to the broker and the name server.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java splits the codes over `RemotingSysResponseCode` and `ResponseCode`; they share one
 *   number space, so they are one table here.
 *
 * @mirrors org.apache.rocketmq.common.protocol.ResponseCode
 * @mirrors org.apache.rocketmq.remoting.protocol.RemotingSysResponseCode
 * @article send-receive "Response codes"
 * @category Common
 * @module
 */

/** Every response code of RocketMQ 4.4, plus the 4.9 additions (marked). */
export const ResponseCode = {
  SUCCESS: 0,
  /** The processor threw; the remark carries the exception text. */
  SYSTEM_ERROR: 1,
  /** Flow control: the processor refused (`rejectRequest()`), or a queue waited too long. */
  SYSTEM_BUSY: 2,
  /** No processor is registered for the request code. */
  REQUEST_CODE_NOT_SUPPORTED: 3,
  TRANSACTION_FAILED: 4,
  /** A send that was stored but not flushed in time; the producer counts it as sent. */
  FLUSH_DISK_TIMEOUT: 10,
  /** A send that was stored but no slave was there to replicate it; still a success. */
  SLAVE_NOT_AVAILABLE: 11,
  /** A send that was stored but the slave did not confirm in time; still a success. */
  FLUSH_SLAVE_TIMEOUT: 12,
  MESSAGE_ILLEGAL: 13,
  SERVICE_NOT_AVAILABLE: 14,
  VERSION_NOT_SUPPORTED: 15,
  NO_PERMISSION: 16,
  TOPIC_NOT_EXIST: 17,
  TOPIC_EXIST_ALREADY: 18,
  PULL_NOT_FOUND: 19,
  PULL_RETRY_IMMEDIATELY: 20,
  PULL_OFFSET_MOVED: 21,
  QUERY_NOT_FOUND: 22,
  SUBSCRIPTION_PARSE_FAILED: 23,
  SUBSCRIPTION_NOT_EXIST: 24,
  SUBSCRIPTION_NOT_LATEST: 25,
  SUBSCRIPTION_GROUP_NOT_EXIST: 26,
  FILTER_DATA_NOT_EXIST: 27,
  FILTER_DATA_NOT_LATEST: 28,
  TRANSACTION_SHOULD_COMMIT: 200,
  TRANSACTION_SHOULD_ROLLBACK: 201,
  /** Java: the name really is spelled UNKNOW. */
  TRANSACTION_STATE_UNKNOW: 202,
  TRANSACTION_STATE_GROUP_WRONG: 203,
  NO_BUYER_ID: 204,
  NOT_IN_CURRENT_UNIT: 205,
  CONSUMER_NOT_ONLINE: 206,
  CONSUME_MSG_TIMEOUT: 207,
  NO_MESSAGE: 208,
  /** 4.9 (ACL). */
  UPDATE_AND_CREATE_ACL_CONFIG_FAILED: 209,
  /** 4.9 (ACL). */
  DELETE_ACL_CONFIG_FAILED: 210,
  /** 4.9 (ACL). */
  UPDATE_GLOBAL_WHITE_ADDRS_CONFIG_FAILED: 211,
  /** 4.9. */
  FLOW_CONTROL: 215,
} as const;

/** A response code name, e.g. `'PULL_NOT_FOUND'`. */
export type ResponseCodeName = keyof typeof ResponseCode;

/** One of the known response code numbers. */
export type ResponseCodeValue = (typeof ResponseCode)[ResponseCodeName];

const NAMES = new Map<number, ResponseCodeName>(
  (Object.entries(ResponseCode) as Array<[ResponseCodeName, number]>).map(([name, code]) => [code, name]),
);

/**
 * The name of a response code for logs and events, e.g. `responseCodeName(19)` is
 * `'PULL_NOT_FOUND'`. An unknown code comes back as its decimal string.
 */
export function responseCodeName(code: number): string {
  return NAMES.get(code) ?? String(code);
}
