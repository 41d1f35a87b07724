/**
 * The Platform bundle: the four ports a top-level role needs, handed over as one value.
 *
 * `NamesrvController`, `BrokerController` and `MQClientInstance` each receive a Platform,
 * an EventSink and a node name. Inner classes receive only the single ports they use
 * (a `StoreCheckpoint` gets a FileSystem, a `ReputMessageService` gets a Clock), never the
 * whole bundle, so a reader can see from a constructor what a class may touch.
 *
 * Differences from RocketMQ 4.9.x: none to speak of; Java reaches these facilities
 * through static calls and globals.
 *
 * @article why-read "Reading RocketMQ with a clock you control"
 * @category Platform
 * @module
 */
import type { Clock } from './clock.js';
import type { Random } from './random.js';
import type { FileSystem } from './storage.js';
import type { Transport } from './transport.js';

export interface Platform {
  readonly clock: Clock;
  readonly random: Random;
  readonly fs: FileSystem;
  readonly transport: Transport;
}
