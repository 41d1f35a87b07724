/**
 * The browser-safe public API: everything a walkthrough, a test or the visualizer needs,
 * without anything that touches Node.
 *
 * A program that runs the name server or the broker for real adds `src/node.ts` (real files
 * and TCP); a simulation uses the in-memory adapters exported here (`ManualClock`,
 * `MemoryFileSystem`, `SimNetwork`) and runs the very same classes.
 *
 * Differences from RocketMQ 4.9.x: RocketMQ ships one jar per module; this is one package.
 *
 * @article why-read "How the code is organised"
 * @category Entry points
 * @module
 */

// Ports and their browser-safe adapters.
export type { Clock, TimerHandle } from './platform/clock.js';
export { SeededRandom, type Random } from './platform/random.js';
export { FileSystemError, joinPath, type FileHandle, type FileSystem } from './platform/storage.js';
export type { Connection, Listener, Transport } from './platform/transport.js';
export type { Platform } from './platform/platform.js';
export { SystemClock } from './platform/system-clock.js';
export { ManualClock } from './platform/sim/manual-clock.js';
export { MemoryFileSystem } from './platform/sim/memory-file-system.js';
export { SimNetwork } from './platform/sim/sim-network.js';

// Events.
export { EVENT_SCHEMA_VERSION, type EventKind, type InstrumentEvent, type RunHeader } from './events/event-types.js';
export { FanOutSink, NodeEvents, NoopSink, RecordingSink, type EventSink } from './events/event-sink.js';
export { decodeEventLog, encodeEventLog, EventLogDecodeError } from './events/jsonl.js';

// Remoting.
export { RemotingCommand, createRequestCommand, createResponseCommand } from './remoting/remoting-command.js';
export { RemotingClient } from './remoting/remoting-client.js';
export { RemotingServer } from './remoting/remoting-server.js';
export { RequestCode, requestCodeName } from './common/protocol/request-code.js';
export { ResponseCode, responseCodeName } from './common/protocol/response-code.js';

// The roles.
export { DefaultMessageStore } from './store/default-message-store.js';
export { NamesrvController } from './namesrv/namesrv-controller.js';
export { BrokerController } from './broker/broker-controller.js';
export { MQClientInstance } from './client/mq-client-instance.js';
export { DefaultMQProducer } from './client/producer/default-mq-producer.js';
export { TransactionMQProducer } from './client/producer/transaction-mq-producer.js';
export { LocalTransactionState } from './client/producer/local-transaction-state.js';
export type { TransactionListener } from './client/producer/transaction-listener.js';
export type { TransactionSendResult } from './client/producer/transaction-send-result.js';
export { DefaultMQPushConsumer } from './client/consumer/default-mq-push-consumer.js';
export { DefaultLitePullConsumer } from './client/consumer/default-lite-pull-consumer.js';
export { Message } from './common/message/message.js';
export { MessageExt } from './common/message/message-ext.js';
