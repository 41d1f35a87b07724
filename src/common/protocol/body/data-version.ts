/**
 * DataVersion: a (timestamp, counter) pair a broker bumps every time its topic table changes.
 *
 * A broker registers with every name server every 30 seconds and sends its whole topic
 * table each time. Rebuilding every route from it every time would be wasteful, so the
 * table travels with a version, and the name server remembers the last version it saw per
 * broker address. Only a new broker or a different version makes it read the topics:
 *
 * ```
 *   broker-a creates TopicB ──► dataVersion.nextVersion(): {timestamp: now, counter: 3 → 4}
 *   next REGISTER_BROKER    ──► namesrv: stored {.., 3} != received {.., 4} → update the routes
 *   30 s later, no change   ──► stored {.., 4} == received {.., 4}          → refresh liveness only
 * ```
 *
 * Two versions are equal when both fields are equal. As JSON: `{"counter":4,"timestamp":1700000000000}`.
 *
 * Differences from RocketMQ 4.9.x:
 * - A new DataVersion starts at timestamp 0 unless given one (Java reads the wall clock in
 *   its field initialiser); {@link DataVersion.nextVersion} takes the time from the caller's Clock.
 * - `counter` is a plain number (Java: `AtomicLong`, written as a plain number anyway).
 *
 * @mirrors org.apache.rocketmq.common.DataVersion
 * @article namesrv "Registering a broker"
 * @category Common
 * @module
 */
import { decodeFastjson, encodeFastjson } from '../../json/fastjson.js';
import { asObject, optLong } from '../../json/json-fields.js';

export class DataVersion {
  constructor(public timestamp = 0, public counter = 0) {}

  /** Read `{"counter":..,"timestamp":..}`; missing fields are 0. */
  static fromJson(value: unknown, path = 'DataVersion'): DataVersion {
    const obj = asObject(value, path);
    return new DataVersion(optLong(obj, 'timestamp', path) ?? 0, optLong(obj, 'counter', path) ?? 0);
  }

  /** Decode a DataVersion body (QUERY_DATA_VERSION). */
  static decode(bytes: Uint8Array): DataVersion {
    return DataVersion.fromJson(decodeFastjson(bytes, 'DataVersion'));
  }

  /** The body bytes: `{"counter":4,"timestamp":1700000000000}`. */
  encode(): Uint8Array {
    return encodeFastjson(this);
  }

  /** A new version: `timestamp = now`, `counter + 1`. */
  nextVersion(now: number): void {
    this.timestamp = now;
    this.counter += 1;
  }

  /** Copy another version's fields into this one. */
  assignNewOne(other: DataVersion): void {
    this.timestamp = other.timestamp;
    this.counter = other.counter;
  }

  /** Equal when timestamp and counter are both equal. */
  equals(other: DataVersion | undefined): boolean {
    return other !== undefined && this.timestamp === other.timestamp && this.counter === other.counter;
  }

  clone(): DataVersion {
    return new DataVersion(this.timestamp, this.counter);
  }

  toString(): string {
    return `DataVersion[timestamp=${this.timestamp}, counter=${this.counter}]`;
  }
}
