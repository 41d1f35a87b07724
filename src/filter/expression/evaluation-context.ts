/**
 * EvaluationContext: where a compiled selector looks up the names it mentions.
 *
 * `a > 5 AND TAGS = 'x'` names two properties. On the broker they are the message's
 * user and system properties (the same map the consumer sees, where the tag sits under
 * `TAGS`), and every value is a string. The engine never sees the message itself, only
 * this lookup, which keeps it independent of the store:
 *
 * ```
 *   commit-log record ──► properties map {a: "10", TAGS: "x"} ──► MapEvaluationContext
 *                                                                     │ get("a") = "10"
 *                                          compiled selector ◄────────┘
 * ```
 *
 * A name that is not there reads as `undefined` (Java `null`), which the comparisons treat
 * as SQL's unknown.
 *
 * Differences from RocketMQ 4.9.x:
 * - `MapEvaluationContext` plays the part of the broker's `MessageEvaluationContext`
 *   (a properties map, `null` allowed), so tests and the broker share it.
 * - `keyValues()` returns a read-only view instead of a fresh copy.
 *
 * @mirrors org.apache.rocketmq.filter.expression.EvaluationContext
 * @mirrors org.apache.rocketmq.filter.expression.EmptyEvaluationContext
 * @mirrors org.apache.rocketmq.broker.filter.MessageEvaluationContext
 * @article filtersrv "Evaluating a selector against a message"
 * @category Filter
 * @module
 */

/** Looks up the value of a property name; `undefined` or `null` means "not there". */
export interface EvaluationContext {
  get(name: string): unknown;
  /** All names and values, when the context has a map behind it. */
  keyValues(): ReadonlyMap<string, unknown> | undefined;
}

/** A context with nothing in it: every name is missing. */
export const EmptyEvaluationContext: EvaluationContext = {
  get: () => undefined,
  keyValues: () => undefined,
};

/** A context over a map of message properties (string values, as on the broker). */
export class MapEvaluationContext implements EvaluationContext {
  private readonly properties: ReadonlyMap<string, unknown> | undefined;

  /** `properties` may be a Map, a plain record, or undefined (no properties at all). */
  constructor(properties: ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>> | undefined) {
    this.properties = properties === undefined || properties instanceof Map
      ? properties as ReadonlyMap<string, unknown> | undefined
      : new Map(Object.entries(properties));
  }

  get(name: string): unknown {
    return this.properties?.get(name);
  }

  keyValues(): ReadonlyMap<string, unknown> | undefined {
    return this.properties;
  }
}
