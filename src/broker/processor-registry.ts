/**
 * The broker's processor table: which processor answers which request code, installed on
 * both of the broker's servers.
 *
 * Java's `BrokerController.registerProcessor()` is thirty-odd `registerProcessor` calls;
 * here it is one table. Every code is served on the main port and on the VIP port
 * (`listenPort - 2`), because 4.4 clients send most calls to the VIP port by default:
 *
 * ```
 *   processor                codes
 *   SendMessageProcessor     SEND_MESSAGE 10, SEND_MESSAGE_V2 310, SEND_BATCH_MESSAGE 320, CONSUMER_SEND_MSG_BACK 36
 *   PullMessageProcessor     PULL_MESSAGE 11
 *   QueryMessageProcessor    QUERY_MESSAGE 12, VIEW_MESSAGE_BY_ID 33
 *   ClientManageProcessor    HEART_BEAT 34, UNREGISTER_CLIENT 35, CHECK_CLIENT_CONFIG 46
 *   ConsumerManageProcessor  GET_CONSUMER_LIST_BY_GROUP 38, UPDATE_CONSUMER_OFFSET 15, QUERY_CONSUMER_OFFSET 14
 *   EndTransactionProcessor  END_TRANSACTION 37 (usually one-way: the answer is dropped)
 *   AdminBrokerProcessor     every other code (the default processor)
 * ```
 *
 * A processor that is not built yet is simply absent; its codes then fall to the default
 * processor (which answers REQUEST_CODE_NOT_SUPPORTED for codes it does not know), or,
 * without one, to the remoting layer's REQUEST_CODE_NOT_SUPPORTED.
 *
 * Still to come (TODO): SEND_REPLY_MESSAGE 324 / SEND_REPLY_MESSAGE_V2 325 (ReplyMessageProcessor, not planned).
 *
 * Differences from RocketMQ 4.9.x:
 * - PULL_MESSAGE is served on the VIP port too (4.4's VIP server left it out, and a pull
 *   sent there got no answer at all).
 * - No executors: every processor runs on the caller's turn or returns a promise.
 *
 * @mirrors org.apache.rocketmq.broker.BrokerController#registerProcessor
 * @article send-receive "Processors: who answers which code"
 * @category Broker
 * @module
 */
import { RequestCode } from '../common/protocol/request-code.js';
import type { RemotingServer } from '../remoting/remoting-server.js';
import type { RequestProcessor } from '../remoting/request-processor.js';

/** The broker's processors; all but `send` are optional while they are being written. */
export interface BrokerProcessors {
  readonly send: RequestProcessor;
  readonly pull?: RequestProcessor | undefined;
  readonly query?: RequestProcessor | undefined;
  readonly clientManage?: RequestProcessor | undefined;
  readonly consumerManage?: RequestProcessor | undefined;
  readonly endTransaction?: RequestProcessor | undefined;
  /** Answers every code without its own processor. */
  readonly admin?: RequestProcessor | undefined;
}

/** Which codes each processor answers (the table above). */
export const PROCESSOR_CODES: Readonly<Record<Exclude<keyof BrokerProcessors, 'admin'>, readonly number[]>> = {
  send: [RequestCode.SEND_MESSAGE, RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE, RequestCode.CONSUMER_SEND_MSG_BACK],
  pull: [RequestCode.PULL_MESSAGE],
  query: [RequestCode.QUERY_MESSAGE, RequestCode.VIEW_MESSAGE_BY_ID],
  clientManage: [RequestCode.HEART_BEAT, RequestCode.UNREGISTER_CLIENT, RequestCode.CHECK_CLIENT_CONFIG],
  consumerManage: [RequestCode.GET_CONSUMER_LIST_BY_GROUP, RequestCode.UPDATE_CONSUMER_OFFSET, RequestCode.QUERY_CONSUMER_OFFSET],
  endTransaction: [RequestCode.END_TRANSACTION],
};

/** The table as code → processor, plus the default processor. */
export function buildProcessorTable(processors: BrokerProcessors): { byCode: Map<number, RequestProcessor>; defaultProcessor: RequestProcessor | undefined } {
  const byCode = new Map<number, RequestProcessor>();
  for (const [name, codes] of Object.entries(PROCESSOR_CODES) as Array<[keyof typeof PROCESSOR_CODES, readonly number[]]>) {
    const processor = processors[name];
    if (processor === undefined) continue;
    for (const code of codes) byCode.set(code, processor);
  }
  return { byCode, defaultProcessor: processors.admin };
}

/** Install the table on every server (the main one and the VIP one share the same processors). */
export function registerProcessors(
  servers: ReadonlyArray<Pick<RemotingServer, 'registerProcessor' | 'registerDefaultProcessor'>>,
  processors: BrokerProcessors,
): void {
  const { byCode, defaultProcessor } = buildProcessorTable(processors);
  for (const server of servers) {
    for (const [code, processor] of byCode) server.registerProcessor(code, processor);
    if (defaultProcessor !== undefined) server.registerDefaultProcessor(defaultProcessor);
  }
}
