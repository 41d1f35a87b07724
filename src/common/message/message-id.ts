/**
 * The two message ids: the broker's offset msgId and the client's UNIQ_KEY.
 *
 * **Offset msgId.** A send response's `msgId` names a record by where it is: the broker's
 * address and the record's physical offset, 16 bytes printed as 32 uppercase hex chars.
 * Anyone holding it can find the message without an index: decode it, connect to that
 * broker, read at that offset. The Java client does exactly that for `viewMessage` and for
 * END_TRANSACTION (whose commit-log offset it takes from the msgId we returned).
 *
 * ```
 *   0A000001 00002A9F 00000000000001F4   = 10.0.0.1 : 10911, physical offset 500
 *   └ IPv4 ┘ └ port ┘ └── offset ────┘     (IPv6 store host: 16-byte IP, 56 hex chars)
 * ```
 *
 * **UNIQ_KEY.** The producer cannot know the offset before the send, so it also makes up an
 * id of its own, stored as the `UNIQ_KEY` property, indexed by the broker, and shown as
 * `SendResult.msgId` by the Java client. Only uniqueness matters; Java builds it as:
 *
 * ```
 *   C0A80001 04D2 1B6E7A3F 0C2F3A41 0007
 *   └ IPv4 ┘ └pid┘└classLdr┘└ ms since ┘└ counter (16 bits, wraps)
 *            low 16 hash    month start
 *            bits           (int32)
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - `MessageClientIDSetter` is an object with injected clock, IP, pid and hash instead of
 *   static state, so two simulated producers in one process make different ids.
 * - "Start of month" uses a fixed UTC offset (see `time-format.ts`), not the JVM zone.
 * - `decodeMessageId` answers `undefined` for a malformed id; Java throws.
 *
 * @mirrors org.apache.rocketmq.common.message.MessageDecoder#createMessageId
 * @mirrors org.apache.rocketmq.common.message.MessageDecoder#decodeMessageId
 * @mirrors org.apache.rocketmq.common.message.MessageClientIDSetter
 * @article message "Two message ids"
 * @category Common
 * @module
 */
import { assert, AssertionError } from '../assert.js';
import { fromHex, toHex } from '../bytes.js';
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import { readLong, writeLong } from '../java-compat.js';
import { startOfMonth, startOfNextMonth } from '../time-format.js';
import { formatHostAddress, formatIp, parseHostAddress } from './host-address.js';
import { MessageConst } from './message-const.js';
import type { Message } from './message.js';

// ---------------------------------------------------------------------------------------
// Offset msgId.

/**
 * The offset msgId of the record at `commitLogOffset` stored by the broker at `ip:port`:
 * IP (4 or 16 bytes) + int32 port + int64 offset, as uppercase hex.
 */
export function createMessageId(storeHostIp: Uint8Array, port: number, commitLogOffset: number): string {
  // Once per stored message: hex digits straight from the numbers, no byte array in between.
  if (storeHostIp.length !== 4 && storeHostIp.length !== 16) throw new AssertionError(`store host IP must be 4 or 16 bytes, got ${storeHostIp.length}`);
  if (!Number.isSafeInteger(commitLogOffset)) throw new AssertionError(`cannot write ${commitLogOffset} as a long`);
  let id = '';
  for (let i = 0; i < storeHostIp.length; i++) id += HEX_BYTE[storeHostIp[i]!]!;
  const high = Math.floor(commitLogOffset / TWO_POW_32); // two's complement for a negative offset, as writeLong
  return id + hex32(port) + hex32(high) + hex32(commitLogOffset - high * TWO_POW_32);
}

const TWO_POW_32 = 2 ** 32;
/** `HEX_BYTE[b]` is the two uppercase hex digits of byte `b`. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => toHex(Uint8Array.of(b)));

/** Eight uppercase hex digits of the low 32 bits of `value`, big-endian. */
function hex32(value: number): string {
  const v = value >>> 0;
  return HEX_BYTE[v >>> 24]! + HEX_BYTE[(v >>> 16) & 0xff]! + HEX_BYTE[(v >>> 8) & 0xff]! + HEX_BYTE[v & 0xff]!;
}

/** {@link createMessageId} from a `"ip:port"` store host string. */
export function createMessageIdFromHost(storeHost: string, commitLogOffset: number): string {
  const parsed = parseHostAddress(storeHost);
  assert(parsed !== undefined, `store host "${storeHost}" is not an ip:port address`);
  return createMessageId(parsed.ip, parsed.port, commitLogOffset);
}

/** What an offset msgId says: the broker's address and the record's physical offset. */
export interface MessageId {
  /** `"ip:port"` of the broker that stored the record. */
  readonly address: string;
  readonly ip: Uint8Array;
  readonly port: number;
  /** Physical offset of the record in that broker's commit log. */
  readonly offset: number;
}

/** Decode a 32-char (IPv4) or 56-char (IPv6) offset msgId; `undefined` when malformed. */
export function decodeMessageId(msgId: string): MessageId | undefined {
  if ((msgId.length !== 32 && msgId.length !== 56) || /[^0-9a-fA-F]/.test(msgId)) return undefined;
  const bytes = fromHex(msgId);
  const ipLength = msgId.length === 32 ? 4 : 16;
  const view = new DataView(bytes.buffer);
  const ip = bytes.slice(0, ipLength);
  const port = view.getInt32(ipLength, false);
  const offset = readLong(view, ipLength + 4);
  if (Number.isNaN(offset)) return undefined;
  return { address: formatHostAddress(ip, port), ip, port, offset };
}

// ---------------------------------------------------------------------------------------
// UNIQ_KEY.

/** What a {@link MessageClientIDSetter} needs from its surroundings. */
export interface MessageClientIDSetterOptions {
  readonly clock: Clock;
  /** The client's IP (4 or 16 bytes). Default: a fake IP made from the clock, as Java does when it finds none. */
  readonly ip?: Uint8Array;
  /** Process id; only its low 16 bits are used. */
  readonly pid: number;
  /** Java writes `ClassLoader.hashCode()` here. Default: drawn from `random`, else 0. */
  readonly classLoaderHash?: number;
  readonly random?: Random;
  /** Local time zone as minutes east of UTC, for "start of month". Default 0. */
  readonly utcOffsetMinutes?: number;
}

/** Makes UNIQ_KEY ids the way the Java client does. One instance per simulated client process. */
export class MessageClientIDSetter {
  /** Hex of IP + pid + class-loader hash: the fixed prefix of every id. */
  private readonly fixString: string;
  private readonly clock: Clock;
  private readonly utcOffsetMinutes: number;
  private startTime = 0;
  private nextStartTime = 0;
  private counter = 0;

  constructor(options: MessageClientIDSetterOptions) {
    this.clock = options.clock;
    this.utcOffsetMinutes = options.utcOffsetMinutes ?? 0;
    const ip = options.ip ?? createFakeIP(this.clock.now());
    assert(ip.length === 4 || ip.length === 16, `client IP must be 4 or 16 bytes, got ${ip.length}`);
    const classLoaderHash = options.classLoaderHash ?? (options.random ? options.random.int(0x1_0000_0000) | 0 : 0);
    const fixed = new Uint8Array(ip.length + 6);
    fixed.set(ip, 0);
    const view = new DataView(fixed.buffer);
    view.setInt16(ip.length, options.pid, false); // Java: (short) pid keeps the low 16 bits
    view.setInt32(ip.length + 2, classLoaderHash, false);
    this.fixString = toHex(fixed);
    this.setStartTime(this.clock.now());
  }

  private setStartTime(ms: number): void {
    this.startTime = startOfMonth(ms, this.utcOffsetMinutes);
    this.nextStartTime = startOfNextMonth(ms, this.utcOffsetMinutes);
  }

  /** A new id: the fixed prefix, then ms since the start of this month (int32), then the counter (16 bits). */
  createUniqID(): string {
    const current = this.clock.now();
    if (current >= this.nextStartTime) this.setStartTime(current);
    let diff = (current - this.startTime) | 0;
    if (diff < 0 && diff > -1_000_000) diff = 0; // Java: a small step backwards (NTP) counts as 0
    const counter = this.counter;
    this.counter = (this.counter + 1) | 0;
    return this.fixString + hex32(diff) + hex32(counter).slice(4);
  }

  /** Give `msg` a UNIQ_KEY unless it already has one. */
  setUniqID(msg: Message): void {
    if (msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) === undefined) {
      msg.putProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, this.createUniqID());
    }
  }
}

/** The UNIQ_KEY of a message, if it has one. */
export function getUniqID(msg: Message): string | undefined {
  return msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
}

/** The IP bytes inside a UNIQ_KEY (4, or 16 for a 56-char id). */
export function getIPFromID(uniqId: string): Uint8Array {
  return fromHex(uniqId).slice(0, uniqId.length === 56 ? 16 : 4);
}

/** The IP inside a UNIQ_KEY as text. */
export function getIPStrFromID(uniqId: string): string {
  return formatIp(getIPFromID(uniqId));
}

/** The low 16 bits of the producer's pid inside a UNIQ_KEY. */
export function getPidFromID(uniqId: string): number {
  const bytes = fromHex(uniqId);
  return new DataView(bytes.buffer).getUint16(bytes.length - 12, false);
}

/**
 * Roughly when a UNIQ_KEY was made, given `now`: this month's start plus the stored
 * offset, or last month's if that would be in the future.
 */
export function getNearlyTimeFromID(uniqId: string, now: number, utcOffsetMinutes = 0): number {
  const bytes = fromHex(uniqId);
  const span = new DataView(bytes.buffer).getUint32(bytes.length - 6, false);
  let monthStart = startOfMonth(now, utcOffsetMinutes);
  if (monthStart + span >= now) monthStart = startOfMonth(monthStart - 1, utcOffsetMinutes);
  return monthStart + span;
}

/** Java's fallback IP: bytes 4-7 of the current time as a big-endian long. */
function createFakeIP(now: number): Uint8Array {
  const bytes = new Uint8Array(8);
  writeLong(new DataView(bytes.buffer), 0, now);
  return bytes.slice(4, 8);
}

