/**
 * The Random port and a small seeded generator for it.
 *
 * RocketMQ draws randomness in a few places that change behaviour: the start index of a
 * producer's round-robin queue choice (`ThreadLocalIndex`), the salt of client message ids,
 * and jitter. A simulation is only reproducible when those draws come from a seed, so every
 * component takes a {@link Random} instead of calling `Math.random()`.
 *
 * The generator is SplitMix32: one 32-bit state word, a Weyl-sequence step and an
 * avalanche mix. It is tiny, fast, passes the usual statistical smoke tests, and its whole
 * state is one number, which makes it easy to print and to restore.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java uses `ThreadLocalRandom` and `java.util.Random`; the sequences differ, the
 *   purposes are the same.
 *
 * @mirrors java.util.concurrent.ThreadLocalRandom (as used by org.apache.rocketmq.client.common.ThreadLocalIndex)
 * @article why-read "Reading RocketMQ with a clock you control"
 * @category Platform
 * @module
 */

/** A source of uniform random numbers. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). `n` must be a positive safe integer. */
  int(n: number): number;
}

/** SplitMix32 seeded from a 32-bit integer. The same seed always yields the same sequence. */
export class SeededRandom implements Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed | 0;
  }

  /** The next raw 32-bit unsigned value. */
  nextUint32(): number {
    // Weyl step: add the golden-ratio constant; then mix the bits (Murmur3-style finalizer).
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  int(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`Random.int needs a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** A new generator whose seed is drawn from this one: gives each simulated node its own stream. */
  fork(): SeededRandom {
    return new SeededRandom(this.nextUint32());
  }
}
