/**
 * The names of the message properties RocketMQ itself reads and writes.
 *
 * A message carries a small string map next to its body (tags, keys, the client message id,
 * delay level, transaction markers, retry bookkeeping). On the wire and on disk the map is
 * one string, `name \u0001 value \u0002 ...` (see `message-properties.ts`), and the names
 * below are the keys every RocketMQ component agrees on. The broker reads several of them
 * while storing: `TAGS` becomes the consume-queue tag hash, `KEYS` and `UNIQ_KEY` go into
 * the index, `DELAY` reroutes the message to the schedule topic, `WAIT` decides whether
 * a send waits for the flush.
 *
 * User code may add its own properties, but not under these names: see
 * {@link STRING_HASH_SET} and `Message.putUserProperty`.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java names every constant `PROPERTY_*`; we keep those names in {@link MessageConst}.
 *
 * @mirrors org.apache.rocketmq.common.message.MessageConst
 * @article message "Properties: the message's string map"
 * @category Common
 * @module
 */

/** Property names, under Java's constant names. Values are the on-the-wire keys. */
export const MessageConst = {
  /** Space-separated business keys; each one is indexed (`topic#key`). */
  PROPERTY_KEYS: 'KEYS',
  /** One tag; its `String.hashCode()` is the consume-queue tags code. */
  PROPERTY_TAGS: 'TAGS',
  /** `"true"` (the default) makes a send wait for sync flush / sync replication. */
  PROPERTY_WAIT_STORE_MSG_OK: 'WAIT',
  /** Delay level 1..18; the store reroutes the message to `SCHEDULE_TOPIC_XXXX`. */
  PROPERTY_DELAY_TIME_LEVEL: 'DELAY',
  /** Original topic of a message sent back for retry. */
  PROPERTY_RETRY_TOPIC: 'RETRY_TOPIC',
  /** Original topic of a delayed or half (transactional) message. */
  PROPERTY_REAL_TOPIC: 'REAL_TOPIC',
  /** Original queue id of a delayed or half message. */
  PROPERTY_REAL_QUEUE_ID: 'REAL_QID',
  /** `"true"` on a transactional (half) send. */
  PROPERTY_TRANSACTION_PREPARED: 'TRAN_MSG',
  /** Producer group of a transactional send, used for the check-back. */
  PROPERTY_PRODUCER_GROUP: 'PGROUP',
  /** Set by the client from the pull response: the queue's min offset. */
  PROPERTY_MIN_OFFSET: 'MIN_OFFSET',
  /** Set by the client from the pull response: the queue's max offset. */
  PROPERTY_MAX_OFFSET: 'MAX_OFFSET',
  PROPERTY_BUYER_ID: 'BUYER_ID',
  /** First offset msgId of a message that was sent back for retry. */
  PROPERTY_ORIGIN_MESSAGE_ID: 'ORIGIN_MESSAGE_ID',
  PROPERTY_TRANSFER_FLAG: 'TRANSFER_FLAG',
  PROPERTY_CORRECTION_FLAG: 'CORRECTION_FLAG',
  PROPERTY_MQ2_FLAG: 'MQ2_FLAG',
  /** Reconsume count carried by a retry the client re-sent itself. */
  PROPERTY_RECONSUME_TIME: 'RECONSUME_TIME',
  PROPERTY_MSG_REGION: 'MSG_REGION',
  PROPERTY_TRACE_SWITCH: 'TRACE_ON',
  /** The client-generated message id (see `message-id.ts`); indexed like a key. */
  PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX: 'UNIQ_KEY',
  PROPERTY_MAX_RECONSUME_TIMES: 'MAX_RECONSUME_TIMES',
  /** Set by the consumer when it starts consuming a message (for the timeout check). */
  PROPERTY_CONSUME_START_TIMESTAMP: 'CONSUME_START_TIME',
  /** Queue offset of the half message, set on the commit/rollback record. */
  PROPERTY_TRANSACTION_PREPARED_QUEUE_OFFSET: 'TRAN_PREPARED_QUEUE_OFFSET',
  /** How many times the broker asked the producer about a half message. */
  PROPERTY_TRANSACTION_CHECK_TIMES: 'TRANSACTION_CHECK_TIMES',
  /** How long a half message is left alone before the first check-back. */
  PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS: 'CHECK_IMMUNITY_TIME_IN_SECONDS',
  PROPERTY_INSTANCE_ID: 'INSTANCE_ID',
  PROPERTY_CORRELATION_ID: 'CORRELATION_ID',
  PROPERTY_MESSAGE_REPLY_TO_CLIENT: 'REPLY_TO_CLIENT',
  PROPERTY_MESSAGE_TTL: 'TTL',
  PROPERTY_REPLY_MESSAGE_ARRIVE_TIME: 'ARRIVE_TIME',
  PROPERTY_PUSH_REPLY_TIME: 'PUSH_REPLY_TIME',
  PROPERTY_CLUSTER: 'CLUSTER',
  PROPERTY_MESSAGE_TYPE: 'MSG_TYPE',
  PROPERTY_INNER_MULTI_DISPATCH: 'INNER_MULTI_DISPATCH',
  PROPERTY_INNER_MULTI_QUEUE_OFFSET: 'INNER_MULTI_QUEUE_OFFSET',
  /** Separator between the keys inside the `KEYS` property. */
  KEY_SEPARATOR: ' ',
} as const;

/**
 * Property names the Java client uses without a `MessageConst` entry: the ONS-style
 * deliver time and the transaction id a producer sets on its half message.
 */
export const PROPERTY_START_DELIVER_TIME = '__STARTDELIVERTIME';
export const PROPERTY_TRANSACTION_ID = '__transactionId__';

/** Between a property's name and its value. Java: `MessageDecoder.NAME_VALUE_SEPARATOR`. */
export const NAME_VALUE_SEPARATOR = '\u0001';
/** After each name/value pair. Java: `MessageDecoder.PROPERTY_SEPARATOR`. */
export const PROPERTY_SEPARATOR = '\u0002';

/**
 * Names reserved for the system: `putUserProperty` refuses them. Java builds the same set
 * in a static block; it leaves out `INNER_MULTI_DISPATCH`, and so do we.
 */
export const STRING_HASH_SET: ReadonlySet<string> = new Set<string>([
  MessageConst.PROPERTY_TRACE_SWITCH,
  MessageConst.PROPERTY_MSG_REGION,
  MessageConst.PROPERTY_KEYS,
  MessageConst.PROPERTY_TAGS,
  MessageConst.PROPERTY_WAIT_STORE_MSG_OK,
  MessageConst.PROPERTY_DELAY_TIME_LEVEL,
  MessageConst.PROPERTY_RETRY_TOPIC,
  MessageConst.PROPERTY_REAL_TOPIC,
  MessageConst.PROPERTY_REAL_QUEUE_ID,
  MessageConst.PROPERTY_TRANSACTION_PREPARED,
  MessageConst.PROPERTY_PRODUCER_GROUP,
  MessageConst.PROPERTY_MIN_OFFSET,
  MessageConst.PROPERTY_MAX_OFFSET,
  MessageConst.PROPERTY_BUYER_ID,
  MessageConst.PROPERTY_ORIGIN_MESSAGE_ID,
  MessageConst.PROPERTY_TRANSFER_FLAG,
  MessageConst.PROPERTY_CORRECTION_FLAG,
  MessageConst.PROPERTY_MQ2_FLAG,
  MessageConst.PROPERTY_RECONSUME_TIME,
  MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX,
  MessageConst.PROPERTY_MAX_RECONSUME_TIMES,
  MessageConst.PROPERTY_CONSUME_START_TIMESTAMP,
  MessageConst.PROPERTY_INSTANCE_ID,
  MessageConst.PROPERTY_CORRELATION_ID,
  MessageConst.PROPERTY_MESSAGE_REPLY_TO_CLIENT,
  MessageConst.PROPERTY_MESSAGE_TTL,
  MessageConst.PROPERTY_REPLY_MESSAGE_ARRIVE_TIME,
  MessageConst.PROPERTY_PUSH_REPLY_TIME,
  MessageConst.PROPERTY_CLUSTER,
  MessageConst.PROPERTY_MESSAGE_TYPE,
  MessageConst.PROPERTY_INNER_MULTI_QUEUE_OFFSET,
]);
