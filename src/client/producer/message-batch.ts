/**
 * MessageBatch: several messages to one topic sent as one SEND_BATCH_MESSAGE request.
 *
 * A batch saves round trips: one request, one append lock on the broker, one response. The
 * broker stores each member as its own record (they get consecutive queue offsets in one
 * queue), so a consumer cannot tell a batched message from a single one. To keep that
 * true, the client refuses what the broker could not store as independent records: members
 * with a delay level, retry topics, mixed topics, or mixed `WAIT` flags.
 *
 * The batch itself is a Message: its topic and `WAIT` are its members', its body is the
 * batch encoding (see `common/message/message-batch.ts`), and it is never compressed. Each
 * member carries its own UNIQ_KEY inside its item; the batch's `msgId` in the SendResult is
 * those keys joined by commas, as Java's `processSendResponse` builds it.
 *
 * Differences from RocketMQ 4.9.x:
 * - Validation errors are `MQClientError`s with Java's texts, thrown by `generateFromList`.
 *
 * @mirrors org.apache.rocketmq.common.message.MessageBatch
 * @article send-receive "Sending a batch"
 * @category Client
 * @module
 */
import { MessageConst } from '../../common/message/message-const.js';
import { Message } from '../../common/message/message.js';
import { encodeBatchMessages } from '../../common/message/message-batch.js';
import { isRetryTopic } from '../../common/mix-all.js';
import { MQClientError } from '../errors.js';

export class MessageBatch extends Message {
  private constructor(readonly messages: readonly Message[]) {
    super();
  }

  /**
   * Wrap `messages` in a batch, checking Java's rules (non-empty, no delay, no retry topic,
   * one topic, one WAIT flag). Throws {@link MQClientError} (code -1) otherwise.
   */
  static generateFromList(messages: readonly Message[]): MessageBatch {
    const first = messages[0];
    if (first === undefined) throw new MQClientError(-1, 'MessageBatch: the message list is empty');
    for (const message of messages) {
      if (message.delayTimeLevel > 0) throw new MQClientError(-1, 'TimeDelayLevel is not supported for batching');
      if (isRetryTopic(message.topic)) throw new MQClientError(-1, 'Retry Group is not supported for batching');
      if (message.topic !== first.topic) throw new MQClientError(-1, 'The topic of the messages in one batch should be the same');
      if (message.waitStoreMsgOK !== first.waitStoreMsgOK) throw new MQClientError(-1, 'The waitStoreMsgOK of the messages in one batch should the same');
    }
    const batch = new MessageBatch(messages);
    batch.topic = first.topic;
    batch.waitStoreMsgOK = first.waitStoreMsgOK;
    return batch;
  }

  /** Encode the members into the body (after each member got its UNIQ_KEY). */
  encode(): Uint8Array {
    this.body = encodeBatchMessages(this.messages);
    return this.body;
  }

  /** The members' UNIQ_KEYs joined by commas: the SendResult `msgId` of a batch. */
  joinedUniqIds(): string {
    return this.messages.map((m) => m.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? '').join(',');
  }
}
