/**
 * MessageSelector: a subscription expression together with its language, TAG or SQL92.
 *
 * `subscribe(topic, "TagA || TagB")` is a TAG expression: the broker filters by tag hash in
 * the consume queue and the client re-checks the tag string. `subscribe(topic,
 * MessageSelector.bySql("a > 5"))` is evaluated by the broker against each message's
 * properties; it needs a broker with `enablePropertyFilter=true`, and any other broker
 * refuses the heartbeat's subscription and the pulls, which the consumer reports as pull
 * failures.
 *
 * Differences from RocketMQ 4.9.x: a plain object plus two factory functions.
 *
 * @mirrors org.apache.rocketmq.client.consumer.MessageSelector
 * @article pull-consume-1 "Filtering by tag or by SQL92"
 * @category Client
 * @module
 */
import { ExpressionType } from '../../common/protocol/heartbeat/subscription-data.js';

export interface MessageSelector {
  /** `'TAG'` or `'SQL92'`. */
  readonly type: string;
  readonly expression: string;
}

export const MessageSelector = {
  /** A SQL92 condition over message properties, e.g. `"region = 'eu' AND price > 10"`. */
  bySql(sql: string): MessageSelector {
    return { type: ExpressionType.SQL92, expression: sql };
  },
  /** A tag expression: `"*"`, `"TagA"` or `"TagA || TagB"`. */
  byTag(tag: string): MessageSelector {
    return { type: ExpressionType.TAG, expression: tag };
  },
} as const;
