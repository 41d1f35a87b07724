/**
 * Assertions: how a broken invariant stops the program.
 *
 * Expected outcomes (a full disk, an unknown topic) are status values; failures seen by a
 * remote caller are response codes; transport failures are typed errors. What is left is
 * a bug, and a bug should stop at the exact place (and, in a simulation, the exact
 * virtual millisecond) where it happened. That is what {@link assert} is for: domain code
 * never catches an {@link AssertionError}.
 *
 * Differences from RocketMQ 4.9.x: Java mostly logs and continues; we fail loudly.
 *
 * @article why-read "How this code base fails"
 * @category Common
 * @module
 */

/** Thrown when an invariant does not hold. Always a bug in this code base. */
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

/** Throw an {@link AssertionError} with `message` unless `condition` holds. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Assert that `value` is a non-negative safe integer (a Java `long` we can hold in a `number`). */
export function assertSafeInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new AssertionError(`${what} must be a non-negative safe integer, got ${value}`);
  }
}

/** For exhaustive `switch` statements: compiling fails when a case is missing. */
export function assertNever(value: never, what = 'value'): never {
  throw new AssertionError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
