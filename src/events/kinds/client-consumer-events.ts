/**
 * Event payloads of the push consumer.
 *
 * @article  rebalance, pulling, process queues, consumption and offsets:pull-consume-2 "The push consumer"
 * @category Events
 * @module
 */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ClientConsumerEventMap {}
