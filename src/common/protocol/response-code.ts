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
 * - A remark is at most {@link MAX_REMARK_LENGTH} characters, and a response whose header
 *   fields might overflow the header's 24-bit length becomes SYSTEM_ERROR
 *   ({@link fitResponseHeader}). Java has no limit and writes a corrupt frame; here the
 *   encoder would throw and take the server down.
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

/**
 * The longest remark a broker or name server sends. Remarks echo what was wrong (a topic,
 * a header field), and a field can fill a whole 16 MiB frame; its echo plus the rest of
 * the header would then not fit the header's 24-bit length, and the answer could not be
 * written at all. No real remark comes near this.
 */
export const MAX_REMARK_LENGTH = 4096;

/** The largest header a frame can announce: the low 24 bits of the header-length word (remoting-command-codec.ts). */
const MAX_HEADER_BYTES = 0xffffff;
/** Bytes of a header besides remark and extFields, generously (the JSON form's fixed fields). */
const HEADER_FIXED_BYTES = 256;
/** One UTF-16 unit costs at most 6 header bytes: `\u0001` in JSON (UTF-8 needs at most 3). */
const MAX_BYTES_PER_UNIT = 6;

/**
 * `remark` cut to {@link MAX_REMARK_LENGTH} characters, saying how long it was:
 * `"the custom header field \"topic\" is not ...(16777050 characters)"`.
 */
export function clipRemark(remark: string | undefined): string | undefined {
  if (remark === undefined || remark.length <= MAX_REMARK_LENGTH) return remark;
  const suffix = `...(${remark.length} characters)`;
  let end = MAX_REMARK_LENGTH - suffix.length;
  const first = remark.charCodeAt(end);
  if (first >= 0xdc00 && first <= 0xdfff) end--; // never split a surrogate pair
  return remark.slice(0, end) + suffix;
}

/** The parts of a response that {@link fitResponseHeader} may change. */
export interface FittableResponse {
  code: number;
  remark: string | undefined;
  extFields: Record<string, string> | undefined;
  body: Uint8Array | undefined;
}

/**
 * Make sure a response's header can be written: cut its remark ({@link clipRemark}), and
 * when its extFields could still overflow the 24-bit header length (they echo something a
 * client stored, such as a 3 MB key-value entry that JSON escapes six-fold), answer
 * SYSTEM_ERROR instead. The bound is conservative: 6 bytes per character.
 */
export function fitResponseHeader(response: FittableResponse): void {
  response.remark = clipRemark(response.remark);
  let units = response.remark?.length ?? 0;
  for (const key in response.extFields) units += key.length + (response.extFields[key]?.length ?? 0);
  if (HEADER_FIXED_BYTES + units * MAX_BYTES_PER_UNIT <= MAX_HEADER_BYTES) return;
  response.code = ResponseCode.SYSTEM_ERROR;
  response.remark = `the answer's header fields (${units} characters) may not fit a RocketMQ header of at most ${MAX_HEADER_BYTES} bytes`;
  response.extFields = undefined;
  response.body = undefined;
}

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
