// Just enough types for the parts of ali-ons 3.12.0 the compatibility tests use (the
// package ships plain JavaScript without declarations).
declare module 'ali-ons' {
  export interface ClientOptions {
    nameSrv: string | string[];
    httpclient: object;
    instanceName?: string;
    logger?: { info(...args: unknown[]): void; warn(...args: unknown[]): void; error(...args: unknown[]): void; debug(...args: unknown[]): void };
    rebalanceInterval?: number;
    persistConsumerOffsetInterval?: number;
    heartbeatBrokerInterval?: number;
    pollNameServerInteval?: number;
  }

  export class Message {
    constructor(topic: string, tags: string, body: string | Buffer);
    topic: string;
    body: Buffer;
    tags: string | undefined;
    keys: string | string[] | undefined;
    properties: Record<string, string>;
    shardingKey: string | undefined;
    msgId: string;
    queueId: number;
    queueOffset: number;
    commitLogOffset: number;
    sysFlag: number;
    reconsumeTimes: number;
  }

  export interface MessageQueue {
    topic: string;
    brokerName: string;
    /** A number for allocated queues; the string of the header field in a SendResult. */
    queueId: number | string;
  }

  export interface SendResult {
    sendStatus: string;
    msgId: string;
    messageQueue: MessageQueue;
    queueOffset: number;
  }

  export class Producer {
    constructor(options: ClientOptions & { producerGroup: string });
    static defaultProducer: Producer | null;
    ready(): Promise<void>;
    send(msg: Message): Promise<SendResult>;
    close(): Promise<void>;
    on(event: 'error', listener: (error: Error) => void): this;
  }

  export class Consumer {
    constructor(options: ClientOptions & { consumerGroup: string; consumeFromWhere?: string });
    static readonly ACTION_RETRY: string;
    readonly processQueueTable: Map<string, { messageQueue: MessageQueue }>;
    ready(): Promise<void>;
    subscribe(topic: string, subExpression: string, handler: (msg: Message) => Promise<unknown>): void;
    close(): Promise<void>;
    on(event: 'error', listener: (error: Error) => void): this;
  }
}
