/**
 * Event payloads of the client instance, routes, heartbeats and the producer.
 *
 * @article send-receive "The producer sends"
 * @category Events
 * @module
 */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ClientEventMap {}
