/**
 * EndTransactionProcessor: the broker's answer to END_TRANSACTION (37), the producer's
 * "commit" or "rollback" for a half message it stored earlier.
 *
 * A transactional send stores a half message nobody can consume (see
 * `transaction/transactional-message-bridge.ts`). When the producer's local transaction is
 * done it sends END_TRANSACTION, one-way, naming the half message by the offsets the send
 * returned. Commit copies the half message into its real topic, which makes it visible;
 * rollback does nothing to it. Both then write an op record, so the check service knows the
 * half message is finished:
 *
 * ```
 *   END_TRANSACTION  producerGroup=pg tranStateTableOffset=17 commitLogOffset=4096
 *                    commitOrRollback=8|12|0 fromTransactionCheck=false msgId=<UNIQ_KEY>
 *     bad header (missing field, type not 0/8/12)  ──► SYSTEM_ERROR "... is missing"
 *     this broker is a SLAVE                       ──► SLAVE_NOT_AVAILABLE
 *     type 0 (still unknown)                       ──► nothing done (no answer when one-way)
 *     the record at 4096: a half message?           no ──► SYSTEM_ERROR "Find prepared transaction message failed"
 *       PGROUP == pg?                                no ──► SYSTEM_ERROR "The producer group wrong"
 *       its queueOffset == 17?                       no ──► SYSTEM_ERROR "The transaction state table offset wrong"
 *       its commitLogOffset == 4096?                 no ──► SYSTEM_ERROR "The commit log offset wrong"
 *     commit:   store { topic REAL_TOPIC, queue REAL_QID, sysFlag COMMIT (8),
 *                       preparedTransactionOffset 4096, body/flag/born/properties of the half }
 *               stored ──► op record "17" in RMQ_SYS_TRANS_OP_HALF_TOPIC ──► SUCCESS
 *     rollback: op record "17" ──► SUCCESS
 * ```
 *
 * The request is usually one-way, so nobody reads the answer; the remoting layer drops it.
 * The committed record keeps the half's properties string as it was stored: `REAL_TOPIC`,
 * `REAL_QID` and `TRAN_MSG` are removed from the property map only after the string was
 * built, so they stay in the record, as in Java. `WAIT` is false in the map, so the put never
 * waits for a flush or a slave. Java also sets the half's store timestamp and queue offset on
 * the new message, but the store assigns both again while appending (in Java too). The half
 * message never carries `DELAY` (the send processor drops it), so a commit is never delayed.
 *
 * Differences from RocketMQ 4.9.x:
 * - SLAVE_NOT_AVAILABLE carries a remark (Java sends none).
 * - A two-way END_TRANSACTION of type 0 gets SUCCESS with a remark; Java answers nothing, and
 *   the caller times out. Producers send it one-way, so they see no difference.
 * - The record named by `commitLogOffset` must be in the half topic, and its REAL_QID must be
 *   a number (Java throws on a bad REAL_QID, which also answers SYSTEM_ERROR).
 * - `WAIT=false` really is in the committed message's map. Java sets it before replacing the
 *   map with the half's, so its put waits as the producer's original `WAIT` said.
 *
 * @mirrors org.apache.rocketmq.broker.processor.EndTransactionProcessor
 * @mirrors org.apache.rocketmq.common.protocol.header.EndTransactionRequestHeader
 * @article transaction "Commit and rollback"
 * @emits broker.tx.ended
 * @category Broker
 * @module
 */
import { BrokerRole, type MessageStoreConfig } from '../../common/config/message-store-config.js';
import { javaParseInt } from '../../common/java-compat.js';
import { MessageConst } from '../../common/message/message-const.js';
import { MessageExtBrokerInner, tagsString2tagsCode, type MessageExt } from '../../common/message/message-ext.js';
import { messageProperties2String } from '../../common/message/message-properties.js';
import { MessageSysFlag, resetTransactionValue } from '../../common/message/message-sys-flag.js';
import { ResponseCode, responseCodeName } from '../../common/protocol/response-code.js';
import type { Why } from '../../events/event-types.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { TxResolution } from '../../events/kinds/broker-tx-events.js';
import { RemotingCommandError } from '../../remoting/errors.js';
import { createResponseCommand, isOneway, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { RequestContext, RequestProcessor } from '../../remoting/request-processor.js';
import type { MessageStore } from '../../store/message-store.js';
import { PutMessageStatus, type PutMessageResult } from '../../store/results.js';
import type { TransactionalMessageServiceImpl } from '../transaction/transactional-message-service.js';
import { HALF_TOPIC } from '../transaction/transactional-message-util.js';

/** END_TRANSACTION's header (Java `EndTransactionRequestHeader`). */
export interface EndTransactionRequestHeader {
  readonly producerGroup: string;
  /** The half message's queue offset in the half topic (the send's `queueOffset`). */
  readonly tranStateTableOffset: number;
  /** The half message's commit-log offset (decoded from the send's offset msgId). */
  readonly commitLogOffset: number;
  /** 8 commit, 12 rollback, 0 unknown. */
  readonly commitOrRollback: number;
  /** True when this answers a CHECK_TRANSACTION_STATE. @defaultValue false */
  readonly fromTransactionCheck: boolean;
  /** The message's UNIQ_KEY. */
  readonly msgId: string;
  readonly transactionId: string | undefined;
}

/**
 * Read the header. Throws `RemotingCommandError` naming a missing or malformed field, or
 * `commitOrRollback` when it is not 0, 8 or 12 (Java: "commitOrRollback field wrong").
 */
export function parseEndTransactionRequestHeader(request: RemotingCommand): EndTransactionRequestHeader {
  const header: EndTransactionRequestHeader = {
    producerGroup: request.getString('producerGroup'),
    tranStateTableOffset: request.getLong('tranStateTableOffset'),
    commitLogOffset: request.getLong('commitLogOffset'),
    commitOrRollback: request.getInt('commitOrRollback'),
    fromTransactionCheck: request.optBool('fromTransactionCheck') ?? false,
    msgId: request.getString('msgId'),
    transactionId: request.optString('transactionId'),
  };
  const type = header.commitOrRollback;
  if (type !== MessageSysFlag.TRANSACTION_NOT_TYPE && type !== MessageSysFlag.TRANSACTION_COMMIT_TYPE && type !== MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) {
    throw new RemotingCommandError('commitOrRollback', `is wrong: ${type} (0, 8 or 12)`);
  }
  return header;
}

export interface EndTransactionProcessorOptions {
  /** Read per request: the role can change at run time. */
  readonly storeConfig: Pick<MessageStoreConfig, 'brokerRole' | 'maxMessageSize'>;
  readonly messageStore: Pick<MessageStore, 'putMessage'>;
  readonly transactionalMessageService: Pick<TransactionalMessageServiceImpl, 'commitMessage' | 'rollbackMessage' | 'deletePrepareMessage'>;
  readonly events: NodeEvents;
}

type Refusal = { code: number; remark: string };

/** The remark of the answer to a two-way END_TRANSACTION of type 0 (Java sends no answer). */
export const UNKNOWN_STATE_REMARK = 'transaction state unknown: nothing done, the broker will check back';

export class EndTransactionProcessor implements RequestProcessor {
  constructor(private readonly options: EndTransactionProcessorOptions) {}

  rejectRequest(): boolean {
    return false;
  }

  async processRequest(_ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand | null> {
    let header: EndTransactionRequestHeader;
    try {
      header = parseEndTransactionRequestHeader(request);
    } catch (error) {
      if (!(error instanceof RemotingCommandError)) throw error;
      return createResponseCommand(ResponseCode.SYSTEM_ERROR, error.message);
    }
    const resolution = resolutionOf(header.commitOrRollback);
    if (this.options.storeConfig.brokerRole === BrokerRole.SLAVE) {
      return this.refuse(header, resolution, { code: ResponseCode.SLAVE_NOT_AVAILABLE, remark: 'the broker is a slave, end transaction is forbidden' });
    }
    if (resolution === 'unknown') {
      // The producer does not know yet; the check service will ask again. Java answers nothing
      // at all (it returns null), which leaves a two-way caller waiting for its timeout.
      this.emitEnded(header, resolution, 'ignored', undefined, { rule: 'end-transaction', inputs: { commitOrRollback: 0 }, outcome: 'ignored' });
      return isOneway(request) ? null : createResponseCommand(ResponseCode.SUCCESS, UNKNOWN_STATE_REMARK);
    }
    const service = this.options.transactionalMessageService;
    const found = resolution === 'commit' ? service.commitMessage(header) : service.rollbackMessage(header);
    const half = found.prepareMessage;
    if (found.responseCode !== ResponseCode.SUCCESS || half === undefined) {
      return this.refuse(header, resolution, { code: found.responseCode, remark: found.responseRemark ?? 'Find prepared transaction message failed' });
    }
    const mismatch = checkPrepareMessage(half, header);
    if (mismatch !== undefined) return this.refuse(header, resolution, mismatch, half);

    if (resolution === 'rollback') {
      await service.deletePrepareMessage(half);
      this.emitEnded(header, resolution, 'rolled-back', half, { rule: 'end-transaction', inputs: matchInputs(half, header), outcome: 'rolled-back' });
      return createResponseCommand(ResponseCode.SUCCESS);
    }
    const msgInner = endMessageTransaction(half);
    if (msgInner === undefined) {
      return this.refuse(header, resolution, { code: ResponseCode.SYSTEM_ERROR, remark: 'The half message has no valid REAL_TOPIC/REAL_QID' }, half);
    }
    const result = await this.options.messageStore.putMessage(msgInner);
    const response = this.sendFinalMessageResponse(result);
    if (response.code !== ResponseCode.SUCCESS) return this.refuse(header, resolution, { code: response.code, remark: response.remark ?? '' }, half);
    await service.deletePrepareMessage(half);
    const appended = result.appendMessageResult;
    this.emitEnded(header, resolution, 'committed', half, { rule: 'end-transaction', inputs: matchInputs(half, header), outcome: 'committed' }, {
      commitQueueOffset: appended?.logicsOffset ?? -1, commitPhysOffset: appended?.wroteOffset ?? -1, queueId: msgInner.queueId,
    });
    return response;
  }

  /** Java `sendFinalMessage`: stored (even with a flush or slave timeout) is SUCCESS. */
  private sendFinalMessageResponse(result: PutMessageResult): RemotingCommand {
    switch (result.putMessageStatus) {
      case PutMessageStatus.PUT_OK:
      case PutMessageStatus.FLUSH_DISK_TIMEOUT:
      case PutMessageStatus.FLUSH_SLAVE_TIMEOUT:
      case PutMessageStatus.SLAVE_NOT_AVAILABLE:
        return createResponseCommand(ResponseCode.SUCCESS);
      case PutMessageStatus.CREATE_MAPPED_FILE_FAILED:
        return createResponseCommand(ResponseCode.SYSTEM_ERROR, 'Create mapped file failed.');
      case PutMessageStatus.MESSAGE_ILLEGAL:
      case PutMessageStatus.PROPERTIES_SIZE_EXCEEDED:
        return createResponseCommand(
          ResponseCode.MESSAGE_ILLEGAL,
          `The message is illegal, maybe msg body or properties length not matched. msg body length limit ${this.options.storeConfig.maxMessageSize}B, msg properties length limit 32KB.`,
        );
      case PutMessageStatus.SERVICE_NOT_AVAILABLE:
        return createResponseCommand(ResponseCode.SERVICE_NOT_AVAILABLE, 'Service not available now.');
      case PutMessageStatus.OS_PAGECACHE_BUSY:
        return createResponseCommand(ResponseCode.SYSTEM_ERROR, 'OS page cache busy, please try another machine');
      case PutMessageStatus.UNKNOWN_ERROR:
        return createResponseCommand(ResponseCode.SYSTEM_ERROR, 'UNKNOWN_ERROR');
    }
  }

  private refuse(header: EndTransactionRequestHeader, resolution: TxResolution, refusal: Refusal, half?: MessageExt): RemotingCommand {
    const why: Why = { rule: 'end-transaction', inputs: half === undefined ? { found: false } : matchInputs(half, header), outcome: responseCodeName(refusal.code) };
    this.emitEnded(header, resolution, 'refused', half, why, { refused: responseCodeName(refusal.code), remark: refusal.remark });
    return createResponseCommand(refusal.code, refusal.remark);
  }

  private emitEnded(
    header: EndTransactionRequestHeader, resolution: TxResolution, outcome: 'committed' | 'rolled-back' | 'ignored' | 'refused',
    half: MessageExt | undefined, why: Why,
    extra: { refused?: string; remark?: string; commitQueueOffset?: number; commitPhysOffset?: number; queueId?: number } = {},
  ): void {
    const realTopic = half?.getProperty(MessageConst.PROPERTY_REAL_TOPIC);
    const { queueId, ...fields } = extra;
    const committed = outcome === 'committed' && realTopic !== undefined;
    this.options.events.emit('broker.tx.ended', {
      producerGroup: header.producerGroup, commitOrRollback: resolution, fromTransactionCheck: header.fromTransactionCheck,
      tranStateTableOffset: header.tranStateTableOffset, commitLogOffset: header.commitLogOffset, msgId: header.msgId, outcome,
      ...(realTopic === undefined ? {} : { realTopic }), ...fields,
    }, {
      flow: 'tx', why,
      msg: committed
        ? { uniqKey: header.msgId, topic: realTopic, queueId: queueId ?? 0, queueOffset: fields.commitQueueOffset ?? -1, physOffset: fields.commitPhysOffset ?? -1, realTopic, tx: 'commit' }
        : {
          uniqKey: header.msgId, topic: half?.topic ?? HALF_TOPIC, queueId: half?.queueId ?? 0, queueOffset: header.tranStateTableOffset,
          physOffset: header.commitLogOffset, ...(realTopic === undefined ? {} : { realTopic }), tx: resolution === 'commit' ? 'commit' : resolution === 'rollback' ? 'rollback' : 'unknown',
        },
    });
  }
}

function resolutionOf(commitOrRollback: number): TxResolution {
  if (commitOrRollback === MessageSysFlag.TRANSACTION_COMMIT_TYPE) return 'commit';
  if (commitOrRollback === MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) return 'rollback';
  return 'unknown';
}

/** Java `checkPrepareMessage`: the half message must be the one the producer means. */
function checkPrepareMessage(half: MessageExt, header: EndTransactionRequestHeader): Refusal | undefined {
  if (half.getProperty(MessageConst.PROPERTY_PRODUCER_GROUP) !== header.producerGroup) {
    return { code: ResponseCode.SYSTEM_ERROR, remark: 'The producer group wrong' };
  }
  if (half.queueOffset !== header.tranStateTableOffset) {
    return { code: ResponseCode.SYSTEM_ERROR, remark: 'The transaction state table offset wrong' };
  }
  if (half.commitLogOffset !== header.commitLogOffset) {
    return { code: ResponseCode.SYSTEM_ERROR, remark: 'The commit log offset wrong' };
  }
  return undefined;
}

function matchInputs(half: MessageExt, header: EndTransactionRequestHeader): Record<string, unknown> {
  return {
    pgroup: half.getProperty(MessageConst.PROPERTY_PRODUCER_GROUP) ?? null, producerGroup: header.producerGroup,
    halfQueueOffset: half.queueOffset, tranStateTableOffset: header.tranStateTableOffset,
    halfCommitLogOffset: half.commitLogOffset, commitLogOffset: header.commitLogOffset,
  };
}

/**
 * Java `endMessageTransaction` plus the caller's touches: the half message as it goes to
 * its real topic, with the COMMIT type and a pointer back to the half record. `undefined`
 * when the half message does not say where it belongs.
 */
function endMessageTransaction(half: MessageExt): MessageExtBrokerInner | undefined {
  const topic = half.getProperty(MessageConst.PROPERTY_REAL_TOPIC);
  const queueId = javaParseInt(half.getProperty(MessageConst.PROPERTY_REAL_QUEUE_ID) ?? '');
  if (topic === undefined || queueId === undefined) return undefined;
  const properties = new Map(half.properties);
  const msgInner = new MessageExtBrokerInner({
    topic, queueId, body: half.body, flag: half.flag, bornTimestamp: half.bornTimestamp, bornHost: half.bornHost,
    storeHost: half.storeHost, reconsumeTimes: half.reconsumeTimes, transactionId: half.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX),
    sysFlag: resetTransactionValue(half.sysFlag, MessageSysFlag.TRANSACTION_COMMIT_TYPE), tagsCode: tagsString2tagsCode(half.tags),
    properties, propertiesString: messageProperties2String(properties), preparedTransactionOffset: half.commitLogOffset,
    storeTimestamp: half.storeTimestamp, queueOffset: half.queueOffset,
  });
  // After the string: the record keeps these, as in Java.
  msgInner.clearProperty(MessageConst.PROPERTY_REAL_TOPIC);
  msgInner.clearProperty(MessageConst.PROPERTY_REAL_QUEUE_ID);
  msgInner.clearProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED);
  msgInner.waitStoreMsgOK = false;
  return msgInner;
}
