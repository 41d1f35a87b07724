/**
 * BitsArray: a fixed number of bits over a byte array, the bit map of the broker's bloom
 * pre-filter (one per message, stored in the consume queue's extension file).
 *
 * Bit `i` lives in byte `i / 8` under mask `1 << (i % 8)`, so bit 0 is the lowest bit of
 * the first byte. For a 112-bit map (14 bytes):
 *
 * ```
 *   byte:   0          1                     13
 *   bits:  [7 ... 0]  [15 ... 8]   ...   [111 ... 104]
 *   setBit(10) -> bytes[1] |= 0b0000_0100
 * ```
 *
 * The bytes are what goes to disk, so this layout must match Java's exactly.
 *
 * Differences from RocketMQ 4.9.x:
 * - A bit position must be below `bitLength` (Java also lets `bitLength` itself through
 *   and then fails inside the array when the length is a multiple of 8).
 * - `create(bytes, bitLength)` requires the bits to fit the bytes (Java checks the
 *   opposite inequality, which breaks its own `clone()` for lengths that are not a
 *   multiple of 8).
 * - Errors are `RangeError`s (Java: `IllegalArgumentException`); `toString` prints the
 *   bits from the highest down without Java's line breaks.
 *
 * @mirrors org.apache.rocketmq.filter.util.BitsArray
 * @article filtersrv "Bloom filter bit maps"
 * @category Filter
 * @module
 */

const BYTE_SIZE = 8;

/** A bit map of `bitLength` bits. */
export class BitsArray {
  private constructor(readonly bytes: Uint8Array, readonly bitLength: number) {}

  /**
   * `create(bitLength)`: all bits clear. `create(bytes)`: a copy of `bytes`, 8 bits each.
   * `create(bytes, bitLength)`: a copy of `bytes` holding `bitLength` bits.
   */
  static create(source: number | Uint8Array, bitLength?: number): BitsArray {
    if (typeof source === 'number') {
      if (!Number.isSafeInteger(source) || source < 0) throw new RangeError(`Bit length must be a non-negative integer, got ${source}`);
      return new BitsArray(new Uint8Array(Math.ceil(source / BYTE_SIZE)), source);
    }
    if (source.length < 1) throw new RangeError('Bytes is empty!');
    const bits = bitLength ?? source.length * BYTE_SIZE;
    if (!Number.isSafeInteger(bits) || bits < 1) throw new RangeError('Bit is less than 1.');
    if (bits > source.length * BYTE_SIZE) throw new RangeError(`BitLength ${bits} does not fit ${source.length} bytes`);
    return new BitsArray(source.slice(), bits);
  }

  get byteLength(): number {
    return this.bytes.length;
  }

  getBit(bitPos: number): boolean {
    this.checkBitPosition(bitPos);
    return (this.bytes[bitPos >>> 3]! & (1 << (bitPos % BYTE_SIZE))) !== 0;
  }

  setBit(bitPos: number, set: boolean): void {
    this.checkBitPosition(bitPos);
    const index = bitPos >>> 3;
    const mask = 1 << (bitPos % BYTE_SIZE);
    this.bytes[index] = set ? this.bytes[index]! | mask : this.bytes[index]! & ~mask;
  }

  getByte(bytePos: number): number {
    this.checkBytePosition(bytePos);
    return this.bytes[bytePos]!;
  }

  setByte(bytePos: number, value: number): void {
    this.checkBytePosition(bytePos);
    this.bytes[bytePos] = value;
  }

  /** Flip one bit. */
  not(bitPos: number): void {
    this.setBit(bitPos, !this.getBit(bitPos));
  }

  /** Byte-wise OR with `other`, over the bytes both have. */
  or(other: BitsArray): void {
    this.combine(other, (a, b) => a | b);
  }

  /** Byte-wise AND with `other`, over the bytes both have. */
  and(other: BitsArray): void {
    this.combine(other, (a, b) => a & b);
  }

  /** Byte-wise XOR with `other`, over the bytes both have. */
  xor(other: BitsArray): void {
    this.combine(other, (a, b) => a ^ b);
  }

  clone(): BitsArray {
    return new BitsArray(this.bytes.slice(), this.bitLength);
  }

  /** The bits as 0/1 characters, highest bit first. */
  toString(): string {
    let out = '';
    for (let i = this.bitLength - 1; i >= 0; i--) out += this.getBit(i) ? '1' : '0';
    return out;
  }

  private combine(other: BitsArray, op: (a: number, b: number) => number): void {
    const count = Math.min(this.bytes.length, other.bytes.length);
    for (let i = 0; i < count; i++) this.bytes[i] = op(this.bytes[i]!, other.bytes[i]!);
  }

  private checkBitPosition(bitPos: number): void {
    if (!Number.isInteger(bitPos) || bitPos < 0 || bitPos >= this.bitLength) {
      throw new RangeError(`BitPos ${bitPos} is outside 0..${this.bitLength - 1}`);
    }
  }

  private checkBytePosition(bytePos: number): void {
    if (!Number.isInteger(bytePos) || bytePos < 0 || bytePos >= this.bytes.length) {
      throw new RangeError(`BytePos ${bytePos} is outside 0..${this.bytes.length - 1}`);
    }
  }
}
