/**
 * TopicValidator: which topic names are legal, and which topics belong to RocketMQ itself.
 *
 * A topic name travels in every send header, is stored in every commit-log record behind a
 * one-byte length (so at most 127 bytes), and becomes a directory name under
 * `consumequeue/`. So the broker accepts only a small safe alphabet, and the Java client
 * checks the same rule before sending. Group names share the alphabet (but may be up to
 * 255 characters long).
 *
 * ```
 *   legal:   ^[%|a-zA-Z0-9_-]+$   and   1 <= length <= 127
 *            "%" and "|" are there for %RETRY%group, %DLQ%group and %LMQ% names
 *   system:  TBW102  SCHEDULE_TOPIC_XXXX  BenchmarkTest  RMQ_SYS_TRANS_HALF_TOPIC
 *            RMQ_SYS_TRACE_TOPIC  RMQ_SYS_TRANS_OP_HALF_TOPIC  TRANS_CHECK_MAX_TIME_TOPIC
 *            SELF_TEST_TOPIC  OFFSET_MOVED_EVENT   and anything starting with "rmq_sys_"
 *   no send: the system topics above except TBW102, BenchmarkTest, RMQ_SYS_TRACE_TOPIC
 * ```
 *
 * The broker's check ({@link validateTopic}) and the client's ({@link checkTopic}) test
 * the same things in a different order and with different wording; both texts are kept,
 * because they are what a user sees in a remark or an exception.
 *
 * Differences from RocketMQ 4.9.x:
 * - Results are values (`{ valid: false, remark }`, or the message text) instead of a
 *   mutated response or a thrown `MQClientException`.
 * - No `addSystemTopic`: the system topic set is a constant (no module-level mutable state).
 *
 * @mirrors org.apache.rocketmq.common.topic.TopicValidator
 * @mirrors org.apache.rocketmq.client.Validators
 * @article topic "Topic names and system topics"
 * @category Common
 * @module
 */

/** The template topic auto-created topics copy (exists on a broker only when autoCreateTopicEnable). */
export const AUTO_CREATE_TOPIC_KEY_TOPIC = 'TBW102';
/** Where delayed messages wait for their delivery time. */
export const RMQ_SYS_SCHEDULE_TOPIC = 'SCHEDULE_TOPIC_XXXX';
export const RMQ_SYS_BENCHMARK_TOPIC = 'BenchmarkTest';
/** Where half (prepared) transaction messages are stored until commit or rollback. */
export const RMQ_SYS_TRANS_HALF_TOPIC = 'RMQ_SYS_TRANS_HALF_TOPIC';
export const RMQ_SYS_TRACE_TOPIC = 'RMQ_SYS_TRACE_TOPIC';
/** Where the broker records which half messages were committed or rolled back. */
export const RMQ_SYS_TRANS_OP_HALF_TOPIC = 'RMQ_SYS_TRANS_OP_HALF_TOPIC';
/** Where half messages checked too often are parked (4.9). */
export const RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC = 'TRANS_CHECK_MAX_TIME_TOPIC';
export const RMQ_SYS_SELF_TEST_TOPIC = 'SELF_TEST_TOPIC';
export const RMQ_SYS_OFFSET_MOVED_EVENT = 'OFFSET_MOVED_EVENT';

/** Any topic starting with this is a system topic. */
export const SYSTEM_TOPIC_PREFIX = 'rmq_sys_';
/** The longest legal topic name: the record stores its length in one signed byte. */
export const TOPIC_MAX_LENGTH = 127;
/** The longest legal group name (`Validators.CHARACTER_MAX_LENGTH`). */
export const CHARACTER_MAX_LENGTH = 255;
/** The legal alphabet, as the messages print it. */
export const VALID_PATTERN_STR = '^[%|a-zA-Z0-9_-]+$';

const SYSTEM_TOPICS: ReadonlySet<string> = new Set([
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  RMQ_SYS_SCHEDULE_TOPIC,
  RMQ_SYS_BENCHMARK_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRACE_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  RMQ_SYS_SELF_TEST_TOPIC,
  RMQ_SYS_OFFSET_MOVED_EVENT,
]);

const NOT_ALLOWED_SEND_TOPICS: ReadonlySet<string> = new Set([
  RMQ_SYS_SCHEDULE_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  RMQ_SYS_SELF_TEST_TOPIC,
  RMQ_SYS_OFFSET_MOVED_EVENT,
]);

/** The outcome of {@link validateTopic}. */
export type TopicValidation = { valid: true } | { valid: false; remark: string };

/** True when the name holds a character outside `[%|a-zA-Z0-9_-]` (an empty name is not illegal here). */
export function isTopicOrGroupIllegal(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const legal =
      (c >= 0x30 && c <= 0x39) || // 0-9
      (c >= 0x41 && c <= 0x5a) || // A-Z
      (c >= 0x61 && c <= 0x7a) || // a-z
      c === 0x25 || c === 0x2d || c === 0x5f || c === 0x7c; // % - _ |
    if (!legal) return true;
  }
  return false;
}

/** Java's `UtilAll.isBlank`: empty or only whitespace. */
function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim().length === 0;
}

/**
 * The broker's check (`TopicValidator.validateTopic`): blank, then alphabet, then length.
 * A failure is answered with SYSTEM_ERROR and this remark.
 */
export function validateTopic(topic: string | undefined): TopicValidation {
  if (topic === undefined || isBlank(topic)) return { valid: false, remark: 'The specified topic is blank.' };
  if (isTopicOrGroupIllegal(topic)) {
    return { valid: false, remark: `The specified topic contains illegal characters, allowing only ${VALID_PATTERN_STR}` };
  }
  if (topic.length > TOPIC_MAX_LENGTH) return { valid: false, remark: 'The specified topic is longer than topic max length.' };
  return { valid: true };
}

/**
 * The client's check (`Validators.checkTopic`): blank, then length, then alphabet.
 * Returns the text of the `MQClientException` Java would throw, or `undefined` when legal.
 */
export function checkTopic(topic: string | undefined): string | undefined {
  if (topic === undefined || isBlank(topic)) return 'The specified topic is blank';
  if (topic.length > TOPIC_MAX_LENGTH) return `The specified topic is longer than topic max length ${TOPIC_MAX_LENGTH}.`;
  if (isTopicOrGroupIllegal(topic)) {
    return `The specified topic[${topic}] contains illegal characters, allowing only ${VALID_PATTERN_STR}`;
  }
  return undefined;
}

/** The client's group check (`Validators.checkGroup`): the exception text, or `undefined` when legal. */
export function checkGroup(group: string | undefined): string | undefined {
  if (group === undefined || isBlank(group)) return 'the specified group is blank';
  if (group.length > CHARACTER_MAX_LENGTH) return 'the specified group is longer than group max length 255.';
  if (isTopicOrGroupIllegal(group)) {
    return `the specified group[${group}] contains illegal characters, allowing only ${VALID_PATTERN_STR}`;
  }
  return undefined;
}

/** True for the system topics listed above and for any `rmq_sys_*` topic. */
export function isSystemTopic(topic: string): boolean {
  return SYSTEM_TOPICS.has(topic) || topic.startsWith(SYSTEM_TOPIC_PREFIX);
}

/** The remark (and client exception text) for a user topic that collides with a system topic. */
export function systemTopicConflictRemark(topic: string): string {
  return `The topic[${topic}] is conflict with system topic.`;
}

/** True for the system topics a client may not send to (the broker answers NO_PERMISSION). */
export function isNotAllowedSendTopic(topic: string): boolean {
  return NOT_ALLOWED_SEND_TOPICS.has(topic);
}

/** The NO_PERMISSION remark for a send to a topic in {@link isNotAllowedSendTopic}. */
export function notAllowedSendRemark(topic: string): string {
  return `Sending message to topic[${topic}] is forbidden.`;
}

/** The system topic names, in Java's declaration order. */
export function getSystemTopicSet(): ReadonlySet<string> {
  return SYSTEM_TOPICS;
}

/** The topics no client may send to. */
export function getNotAllowedSendTopicSet(): ReadonlySet<string> {
  return NOT_ALLOWED_SEND_TOPICS;
}
