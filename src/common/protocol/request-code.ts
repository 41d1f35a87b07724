/**
 * Request codes: the number in a request's `code` field that says which operation it asks for.
 *
 * Every RocketMQ RPC is one `RemotingCommand` whose code picks the processor on the other
 * side: the broker's processor table, the name server's `DefaultRequestProcessor`, or a
 * client's `ClientRemotingProcessor` for the few calls a broker makes back to a client.
 * The numbers are the wire contract with real clients, so they are copied exactly; the
 * names keep Java's spelling so a reader can grep an article's identifier and land here.
 *
 * Differences from RocketMQ 4.9.x:
 * - `GET_ROUTEINTO_BY_TOPIC` (4.4's typo) and `GET_ROUTEINFO_BY_TOPIC` (4.9's fix) are both
 *   present with the same value 105; {@link requestCodeName} prints the 4.9 spelling.
 * - Only the 4.4 codes and the 4.9 additions are listed; 5.x codes (POP, controller) are not.
 *
 * @mirrors org.apache.rocketmq.common.protocol.RequestCode
 * @article send-receive "Request codes"
 * @category Common
 * @module
 */

/** Every request code of RocketMQ 4.4, plus the 4.9 additions (marked). */
export const RequestCode = {
  SEND_MESSAGE: 10,
  PULL_MESSAGE: 11,
  QUERY_MESSAGE: 12,
  /** Declared in Java but never handled by any processor. */
  QUERY_BROKER_OFFSET: 13,
  QUERY_CONSUMER_OFFSET: 14,
  UPDATE_CONSUMER_OFFSET: 15,
  UPDATE_AND_CREATE_TOPIC: 17,
  GET_ALL_TOPIC_CONFIG: 21,
  GET_TOPIC_CONFIG_LIST: 22,
  GET_TOPIC_NAME_LIST: 23,
  UPDATE_BROKER_CONFIG: 25,
  GET_BROKER_CONFIG: 26,
  TRIGGER_DELETE_FILES: 27,
  GET_BROKER_RUNTIME_INFO: 28,
  SEARCH_OFFSET_BY_TIMESTAMP: 29,
  GET_MAX_OFFSET: 30,
  GET_MIN_OFFSET: 31,
  GET_EARLIEST_MSG_STORETIME: 32,
  VIEW_MESSAGE_BY_ID: 33,
  HEART_BEAT: 34,
  UNREGISTER_CLIENT: 35,
  CONSUMER_SEND_MSG_BACK: 36,
  END_TRANSACTION: 37,
  GET_CONSUMER_LIST_BY_GROUP: 38,
  /** Broker to producer, one-way. */
  CHECK_TRANSACTION_STATE: 39,
  /** Broker to consumer, one-way. */
  NOTIFY_CONSUMER_IDS_CHANGED: 40,
  LOCK_BATCH_MQ: 41,
  UNLOCK_BATCH_MQ: 42,
  GET_ALL_CONSUMER_OFFSET: 43,
  GET_ALL_DELAY_OFFSET: 45,
  CHECK_CLIENT_CONFIG: 46,
  /** 4.9 (ACL). */
  UPDATE_AND_CREATE_ACL_CONFIG: 50,
  /** 4.9 (ACL). */
  DELETE_ACL_CONFIG: 51,
  /** 4.9 (ACL). */
  GET_BROKER_CLUSTER_ACL_INFO: 52,
  /** 4.9 (ACL). */
  UPDATE_GLOBAL_WHITE_ADDRS_CONFIG: 53,
  PUT_KV_CONFIG: 100,
  GET_KV_CONFIG: 101,
  DELETE_KV_CONFIG: 102,
  REGISTER_BROKER: 103,
  UNREGISTER_BROKER: 104,
  /** The 4.9 spelling of code 105. */
  GET_ROUTEINFO_BY_TOPIC: 105,
  /** Java 4.4: the original misspelling of code 105, kept so 4.4-era articles still grep. */
  GET_ROUTEINTO_BY_TOPIC: 105,
  GET_BROKER_CLUSTER_INFO: 106,
  UPDATE_AND_CREATE_SUBSCRIPTIONGROUP: 200,
  GET_ALL_SUBSCRIPTIONGROUP_CONFIG: 201,
  GET_TOPIC_STATS_INFO: 202,
  GET_CONSUMER_CONNECTION_LIST: 203,
  GET_PRODUCER_CONNECTION_LIST: 204,
  WIPE_WRITE_PERM_OF_BROKER: 205,
  GET_ALL_TOPIC_LIST_FROM_NAMESERVER: 206,
  DELETE_SUBSCRIPTIONGROUP: 207,
  GET_CONSUME_STATS: 208,
  SUSPEND_CONSUMER: 209,
  RESUME_CONSUMER: 210,
  RESET_CONSUMER_OFFSET_IN_CONSUMER: 211,
  RESET_CONSUMER_OFFSET_IN_BROKER: 212,
  ADJUST_CONSUMER_THREAD_POOL: 213,
  WHO_CONSUME_THE_MESSAGE: 214,
  DELETE_TOPIC_IN_BROKER: 215,
  DELETE_TOPIC_IN_NAMESRV: 216,
  GET_KVLIST_BY_NAMESPACE: 219,
  /** Broker to client. */
  RESET_CONSUMER_CLIENT_OFFSET: 220,
  /** Broker to client. */
  GET_CONSUMER_STATUS_FROM_CLIENT: 221,
  INVOKE_BROKER_TO_RESET_OFFSET: 222,
  INVOKE_BROKER_TO_GET_CONSUMER_STATUS: 223,
  GET_TOPICS_BY_CLUSTER: 224,
  QUERY_TOPIC_CONSUME_BY_WHO: 300,
  REGISTER_FILTER_SERVER: 301,
  REGISTER_MESSAGE_FILTER_CLASS: 302,
  QUERY_CONSUME_TIME_SPAN: 303,
  GET_SYSTEM_TOPIC_LIST_FROM_NS: 304,
  GET_SYSTEM_TOPIC_LIST_FROM_BROKER: 305,
  CLEAN_EXPIRED_CONSUMEQUEUE: 306,
  /** Broker to client, answered synchronously. */
  GET_CONSUMER_RUNNING_INFO: 307,
  QUERY_CORRECTION_OFFSET: 308,
  /** Broker to client, answered synchronously. */
  CONSUME_MESSAGE_DIRECTLY: 309,
  /** The send every modern client uses: the header fields are renamed `a` to `m` to save bytes. */
  SEND_MESSAGE_V2: 310,
  GET_UNIT_TOPIC_LIST: 311,
  GET_HAS_UNIT_SUB_TOPIC_LIST: 312,
  GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST: 313,
  CLONE_GROUP_OFFSET: 314,
  VIEW_BROKER_STATS_DATA: 315,
  CLEAN_UNUSED_TOPIC: 316,
  GET_BROKER_CONSUME_STATS: 317,
  UPDATE_NAMESRV_CONFIG: 318,
  GET_NAMESRV_CONFIG: 319,
  SEND_BATCH_MESSAGE: 320,
  QUERY_CONSUME_QUEUE: 321,
  QUERY_DATA_VERSION: 322,
  /** 4.9. */
  RESUME_CHECK_HALF_MESSAGE: 323,
  /** 4.9 (request/reply, added in 4.6). */
  SEND_REPLY_MESSAGE: 324,
  /** 4.9 (request/reply, added in 4.6). */
  SEND_REPLY_MESSAGE_V2: 325,
  /** 4.9 (request/reply, added in 4.6): broker to client. */
  PUSH_REPLY_MESSAGE_TO_CLIENT: 326,
  /** 4.9. */
  ADD_WRITE_PERM_OF_BROKER: 327,
  /** 4.9. */
  GET_ALL_PRODUCER_INFO: 328,
  /** 4.9. */
  DELETE_EXPIRED_COMMITLOG: 329,
} as const;

/** A request code name, e.g. `'SEND_MESSAGE_V2'`. */
export type RequestCodeName = keyof typeof RequestCode;

/** One of the known request code numbers. */
export type RequestCodeValue = (typeof RequestCode)[RequestCodeName];

// Number -> name, built once. Where two names share a number (105), the later one in the
// table above would win, so the 4.4 typo is skipped on purpose.
const NAMES = new Map<number, RequestCodeName>();
for (const [name, code] of Object.entries(RequestCode) as Array<[RequestCodeName, number]>) {
  if (name !== 'GET_ROUTEINTO_BY_TOPIC') NAMES.set(code, name);
}

/**
 * The name of a request code for logs and events, e.g. `requestCodeName(310)` is
 * `'SEND_MESSAGE_V2'`. An unknown code comes back as its decimal string (`'9999'`).
 */
export function requestCodeName(code: number): string {
  return NAMES.get(code) ?? String(code);
}
