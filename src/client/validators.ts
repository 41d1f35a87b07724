/**
 * Validators: what the client checks before it bothers a broker.
 *
 * A message with a blank or illegal topic, an empty body or a body over `maxMessageSize`
 * would be rejected by the broker anyway; checking first gives the application a clear
 * error at once, without a round trip and without a retry loop. Group names are checked
 * when a producer or consumer starts.
 *
 * ```
 *   checkMessage(msg, maxMessageSize)
 *     topic   blank? too long (> 127)? outside [%|a-zA-Z0-9_-]? a system topic no one may send to?
 *     body    missing or empty? longer than maxMessageSize (4 MiB)?
 *   → MQClientError(13 MESSAGE_ILLEGAL, Java's text)
 * ```
 *
 * Differences from RocketMQ 4.9.x: none in the checks; errors are MQClientError.
 *
 * @mirrors org.apache.rocketmq.client.Validators
 * @article message "What a valid message is"
 * @category Client
 * @module
 */
import type { Message } from '../common/message/message.js';
import { ResponseCode } from '../common/protocol/response-code.js';
import { checkGroup as groupProblem, checkTopic as topicProblem, isNotAllowedSendTopic, notAllowedSendRemark } from '../common/topic/topic-validator.js';
import { MQClientError } from './errors.js';

/** Throw MQClientError(-1) when `group` is blank, too long or illegal. */
export function checkGroup(group: string | undefined): void {
  const problem = groupProblem(group);
  if (problem !== undefined) throw new MQClientError(-1, problem);
}

/** Throw MQClientError(MESSAGE_ILLEGAL) when `topic` is blank, too long or illegal. */
export function checkTopic(topic: string | undefined): void {
  const problem = topicProblem(topic);
  if (problem !== undefined) throw new MQClientError(ResponseCode.MESSAGE_ILLEGAL, problem);
}

/** Throw MQClientError(MESSAGE_ILLEGAL) unless `msg` may be sent. */
export function checkMessage(msg: Message | undefined, maxMessageSize: number): void {
  if (msg === undefined || msg === null) throw new MQClientError(ResponseCode.MESSAGE_ILLEGAL, 'the message is null');
  checkTopic(msg.topic);
  if (isNotAllowedSendTopic(msg.topic)) throw new MQClientError(ResponseCode.MESSAGE_ILLEGAL, notAllowedSendRemark(msg.topic));
  const body = msg.body as Uint8Array | undefined;
  if (body === undefined || body === null) throw new MQClientError(ResponseCode.MESSAGE_ILLEGAL, 'the message body is null');
  if (body.length === 0) throw new MQClientError(ResponseCode.MESSAGE_ILLEGAL, 'the message body length is zero');
  if (body.length > maxMessageSize) {
    throw new MQClientError(ResponseCode.MESSAGE_ILLEGAL, `the message body size over max value, MAX: ${maxMessageSize}`);
  }
}
