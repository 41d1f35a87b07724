/**
 * Event payloads of the client instance, routes, heartbeats and the producer.
 *
 * @article send-receive "The producer sends"
 * @category Events
 * @module
 */

/** A queue as events carry it: plain data. */
export interface MqRef {
  topic: string;
  brokerName: string;
  queueId: number;
}

export interface ClientEventMap {
  /** A route refresh found a new or changed route for a topic and updated producers and consumers. */
  'client.route.updated': {
    topic: string;
    /** Publish queues as `broker/queueId`. */
    writeQueues: string[];
    /** Subscribe queues as `broker/queueId`. */
    readQueues: string[];
    /** True when the route came from TBW102 (the topic does not exist yet). */
    fromDefaultTopic: boolean;
  };
  /** A producer stamped a message with its UNIQ_KEY and is about to send it. */
  'client.message.created': {
    uniqKey: string;
    topic: string;
    tags?: string;
    keys?: string;
    bodyLen: number;
    /** Count of properties. */
    props: number;
    /** True when the body was zlib-compressed before sending. */
    compressed: boolean;
  };
  /** A producer chose the queue for one attempt of one send (the `why` extra says which rule). */
  'client.queue.selected': {
    mq: MqRef;
    strategy: 'round-robin' | 'selector' | 'latency-fault' | 'explicit';
    /** 1 for the first attempt. */
    attempt: number;
    /** The broker of the previous failed attempt, avoided when possible. */
    lastBrokerName?: string;
  };
  /** A send succeeded (any of the four SendStatus values). */
  'client.send.completed': {
    status: 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';
    mq: MqRef;
    queueOffset: number;
    offsetMsgId: string;
    uniqKey: string;
    attempts: number;
    mode: 'SYNC' | 'ASYNC';
  };
  /** A send ran out of its time budget; whether the broker stored it is unknown. */
  'client.send.timed-out': {
    uniqKey: string;
    topic: string;
    elapsedMs: number;
    timeoutMs: number;
    attempts: number;
  };
  /** One attempt of a send failed and the producer tries again on another queue. */
  'client.send.retried': {
    uniqKey: string;
    /** The attempt about to start (2 for the first retry). */
    attempt: number;
    failedMq: MqRef;
    /** The error name and message of the failed attempt. */
    error: string;
  };
  /** A heartbeat went to one broker address (ok false when it failed). */
  'client.heartbeat.sent': {
    brokerName: string;
    brokerId: number;
    addr: string;
    ok: boolean;
    /** The broker's version from the response, when ok. */
    version?: number;
    producerGroups: string[];
    consumerGroups: string[];
  };
}
