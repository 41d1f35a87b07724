/**
 * Event payloads of the lite pull consumer.
 *
 * @article pull-consume-2 "The lite pull consumer"
 * @category Events
 * @module
 */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ClientLiteEventMap {}
