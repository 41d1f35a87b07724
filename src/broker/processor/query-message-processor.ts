/**
 * QueryMessageProcessor: finds messages for operators, by key or by offset msgId, without
 * going through any consume queue.
 *
 * A consumer reads a queue front to back; an operator wants one message: "the order with
 * key ORDER-42" (`mqadmin queryMsgByKey`) or "message 7F00000100002A9F000000000001F4A0"
 * (`queryMsgById`). The store answers the first from its index files and the second
 * directly, because an offset msgId *is* a physical offset:
 *
 * ```
 *   QUERY_MESSAGE (12)        topic, key, maxNum, beginTimestamp, endTimestamp
 *     store.queryMessage ──► index: hash(topic#key) → physical offsets → records
 *     ◄── SUCCESS  header indexLastUpdateTimestamp, indexLastUpdatePhyoffset
 *                  body   record | record | ...        (QUERY_NOT_FOUND when none)
 *
 *   VIEW_MESSAGE_BY_ID (33)   offset  (the client decoded it from the msgId)
 *     store.selectOneMessageByOffset ──► one record     (SYSTEM_ERROR when none)
 * ```
 *
 * The body is raw commit-log records back to back, the same layout a pull returns; the
 * client decodes them and, because the index can return hash collisions, drops the ones
 * whose keys do not match. A query with the ext field `_UNIQUE_KEY_QUERY=true` looks up a
 * UNIQ_KEY (one message, maybe stored twice after a retry), and the broker then ignores the
 * client's `maxNum` and uses `defaultQueryMaxNum` (32).
 *
 * Differences from RocketMQ 4.9.x:
 * - The records are copied into the response body (Java streams them from the page cache
 *   with a `FileRegion`).
 * - A `maxNum` below 1 is answered SYSTEM_ERROR (Java passes it to the store as it is).
 *
 * @mirrors org.apache.rocketmq.broker.processor.QueryMessageProcessor
 * @article store "IndexFile: finding a message by key"
 * @category Broker
 * @module
 */
import type { MessageStoreConfig } from '../../common/config/message-store-config.js';
import { UNIQUE_MSG_QUERY_FLAG } from '../../common/mix-all.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import { RemotingCommandError } from '../../remoting/errors.js';
import { createResponseCommand, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { RequestContext, RequestProcessor } from '../../remoting/request-processor.js';
import type { MessageStore } from '../../store/message-store.js';
import { guarded, success, systemError } from './admin/admin-responses.js';

export interface QueryMessageProcessorOptions {
  messageStore: Pick<MessageStore, 'queryMessage' | 'selectOneMessageByOffset'>;
  storeConfig: Pick<MessageStoreConfig, 'defaultQueryMaxNum'>;
}

export class QueryMessageProcessor implements RequestProcessor {
  /** The request codes this processor answers. */
  static readonly REQUEST_CODES: readonly number[] = [RequestCode.QUERY_MESSAGE, RequestCode.VIEW_MESSAGE_BY_ID];

  private readonly store: QueryMessageProcessorOptions['messageStore'];
  private readonly config: QueryMessageProcessorOptions['storeConfig'];

  constructor(options: QueryMessageProcessorOptions) {
    this.store = options.messageStore;
    this.config = options.storeConfig;
  }

  rejectRequest(): boolean {
    return false;
  }

  processRequest(_ctx: RequestContext, request: RemotingCommand): RemotingCommand | null | Promise<RemotingCommand | null> {
    switch (request.code) {
      case RequestCode.QUERY_MESSAGE:
        return guarded(() => this.queryMessage(request));
      case RequestCode.VIEW_MESSAGE_BY_ID:
        return guarded(() => this.viewMessageById(request));
      default:
        return createResponseCommand(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${request.code} not supported`);
    }
  }

  /** QUERY_MESSAGE (12): the records indexed under `topic#key` within the time range. */
  queryMessage(request: RemotingCommand): RemotingCommand {
    const topic = request.getString('topic');
    const key = request.getString('key');
    let maxNum = request.getInt('maxNum');
    const beginTimestamp = request.getLong('beginTimestamp');
    const endTimestamp = request.getLong('endTimestamp');
    if (request.optString(UNIQUE_MSG_QUERY_FLAG) === 'true') maxNum = this.config.defaultQueryMaxNum;
    if (maxNum < 1) throw new RemotingCommandError('maxNum', `must be at least 1, got ${maxNum}`);

    const result = this.store.queryMessage(topic, key, maxNum, beginTimestamp, endTimestamp);
    const response = result.bufferTotalSize > 0
      ? success(result.body)
      : createResponseCommand(ResponseCode.QUERY_NOT_FOUND, 'can not find message, maybe time range not correct');
    // Java fills the header on both outcomes: it tells the client how far the index got.
    response.setExtField('indexLastUpdateTimestamp', result.indexLastUpdateTimestamp);
    response.setExtField('indexLastUpdatePhyoffset', result.indexLastUpdatePhyoffset);
    return response;
  }

  /** VIEW_MESSAGE_BY_ID (33): the one record at physical offset `offset`. */
  viewMessageById(request: RemotingCommand): RemotingCommand {
    const offset = request.getLong('offset');
    const found = offset < 0 ? undefined : this.store.selectOneMessageByOffset(offset);
    if (found === undefined) return systemError(`can not find message by the offset, ${offset}`);
    return success(found.bytes);
  }
}
