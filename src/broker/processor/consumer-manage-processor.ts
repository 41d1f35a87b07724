/**
 * ConsumerManageProcessor: answers the consumer's group and offset questions:
 * GET_CONSUMER_LIST_BY_GROUP (38), QUERY_CONSUMER_OFFSET (14) and UPDATE_CONSUMER_OFFSET (15).
 *
 * ```
 *   38  consumerGroup                      body {"consumerIdList":["10.0.0.9@1234",...]}
 *                                          or SYSTEM_ERROR "no consumer for this group, <g>"
 *   14  consumerGroup, topic, queueId      header offset, or QUERY_NOT_FOUND (22)
 *   15  ... + commitOffset                 SUCCESS (usually sent one-way: no answer at all)
 * ```
 *
 * QUERY_CONSUMER_OFFSET decides where a *new* group starts, and has a rule that surprises
 * people. When the group has no stored offset on the queue:
 *
 * ```
 *   store minOffset <= 0  and  the message at queue offset 0 is still in memory
 *        ──► SUCCESS, offset 0        (the whole queue is young: read it all)
 *   otherwise
 *        ──► QUERY_NOT_FOUND          (the client applies consumeFromWhere, e.g. the max offset)
 * ```
 *
 * So on a fresh or small broker a new group with CONSUME_FROM_LAST_OFFSET still starts at
 * 0 and sees every message already there; only on a broker whose queue start has aged
 * out of the page cache does "last offset" mean "only new messages".
 *
 * Differences from RocketMQ 4.9.x:
 * - A negative commitOffset is ignored (ConsumerOffsetManager), which ali-ons sends as -1.
 *
 * @mirrors org.apache.rocketmq.broker.processor.ConsumerManageProcessor
 * @mirrors org.apache.rocketmq.common.protocol.body.GetConsumerListByGroupResponseBody
 * @article pull-consume-2 "Consumer offsets on the broker"
 * @emits broker.offset.queried
 * @category Broker
 * @module
 */
import { encodeFastjson } from '../../common/json/fastjson.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { NodeEvents } from '../../events/event-sink.js';
import { RemotingCommandError } from '../../remoting/errors.js';
import { createResponseCommand, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { RequestContext, RequestProcessor } from '../../remoting/request-processor.js';
import type { MessageStore } from '../../store/message-store.js';
import type { ConsumerManager } from '../client/consumer-manager.js';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';

export interface ConsumerManageProcessorOptions {
  consumerManager: Pick<ConsumerManager, 'getConsumerGroupInfo'>;
  consumerOffsetManager: Pick<ConsumerOffsetManager, 'commitOffset' | 'queryOffset'>;
  messageStore: Pick<MessageStore, 'getMinOffsetInQueue' | 'checkInDiskByConsumeOffset'>;
  events: NodeEvents;
}

export class ConsumerManageProcessor implements RequestProcessor {
  constructor(private readonly options: ConsumerManageProcessorOptions) {}

  rejectRequest(): boolean {
    return false;
  }

  processRequest(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    try {
      switch (request.code) {
        case RequestCode.GET_CONSUMER_LIST_BY_GROUP:
          return this.getConsumerListByGroup(request);
        case RequestCode.UPDATE_CONSUMER_OFFSET:
          return this.updateConsumerOffset(ctx, request);
        case RequestCode.QUERY_CONSUMER_OFFSET:
          return this.queryConsumerOffset(request);
        default:
          return createResponseCommand(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${request.code} not supported`);
      }
    } catch (error) {
      if (error instanceof RemotingCommandError) return createResponseCommand(ResponseCode.SYSTEM_ERROR, error.message);
      throw error;
    }
  }

  /** GET_CONSUMER_LIST_BY_GROUP: the client ids of the group's live members (rebalance input). */
  getConsumerListByGroup(request: RemotingCommand): RemotingCommand {
    const group = request.getString('consumerGroup');
    const clientIds = this.options.consumerManager.getConsumerGroupInfo(group)?.getAllClientId() ?? [];
    if (clientIds.length === 0) return createResponseCommand(ResponseCode.SYSTEM_ERROR, `no consumer for this group, ${group}`);
    const response = createResponseCommand(ResponseCode.SUCCESS);
    response.body = encodeFastjson({ consumerIdList: clientIds });
    return response;
  }

  /** UPDATE_CONSUMER_OFFSET: store the group's progress (one-way requests get no answer from the remoting layer). */
  updateConsumerOffset(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    const group = request.getString('consumerGroup');
    const topic = request.getString('topic');
    const queueId = request.getInt('queueId');
    const commitOffset = request.getLong('commitOffset');
    this.options.consumerOffsetManager.commitOffset(ctx.remoteAddress, group, topic, queueId, commitOffset);
    return createResponseCommand(ResponseCode.SUCCESS);
  }

  /** QUERY_CONSUMER_OFFSET: the stored offset, or the "0 instead of not found" rule of the module header. */
  queryConsumerOffset(request: RemotingCommand): RemotingCommand {
    const group = request.getString('consumerGroup');
    const topic = request.getString('topic');
    const queueId = request.getInt('queueId');
    const stored = this.options.consumerOffsetManager.queryOffset(group, topic, queueId);
    let minOffset = 0;
    let inMemory = false;
    let outcome = stored;
    if (stored < 0) {
      const store = this.options.messageStore;
      minOffset = store.getMinOffsetInQueue(topic, queueId);
      inMemory = !store.checkInDiskByConsumeOffset(topic, queueId, 0);
      outcome = minOffset <= 0 && inMemory ? 0 : -1;
    }
    const why = { rule: 'query-consumer-offset', inputs: { stored, minOffset, inMemory }, outcome };
    this.options.events.emit('broker.offset.queried', { group, topic, queueId, stored, minOffset, inMemory, outcome }, { flow: 'offset', why });
    if (outcome < 0) return createResponseCommand(ResponseCode.QUERY_NOT_FOUND, 'Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first');
    return createResponseCommand(ResponseCode.SUCCESS).setExtField('offset', outcome);
  }
}
