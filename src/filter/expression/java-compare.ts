/**
 * The comparison rule of the SQL92 engine: how two values of possibly different Java
 * classes are ordered. Every `=`, `<>`, `<`, `>`, `<=`, `>=` and BETWEEN ends up here.
 *
 * When the classes differ, one side is converted towards the other, and the table is
 * lopsided on purpose (it is ActiveMQ's, with string conversion switched on, which
 * RocketMQ always does). Read it row by row: the left value's class, then the right's.
 *
 * ```
 *   left \ right   Integer      Long         Double       String              Boolean
 *   Integer        compare      left->Long   left->Dbl    Integer.valueOf(r)  -1
 *   Long           right->Long  compare      left->Dbl    Long.valueOf(r)     -1
 *   Double         right->Dbl   right->Dbl   compare      Double.valueOf(r)   -1
 *   String         Integer.valueOf(l) Long.valueOf(l) Double.valueOf(l) compare  Boolean.valueOf(l)
 *   Boolean        -1           -1           -1           ClassCastException  compare
 * ```
 *
 * Consequences worth knowing, all kept from Java:
 * - A message property is a string, so `a = 5` parses `a` with `Integer.valueOf`:
 *   `"5"` matches, `"5.0"` and `"abc"` throw (the message does not match at all), and
 *   `a = 5.0` parses with `Double.valueOf` instead, so there `"5"` matches too.
 * - "-1" means "cannot compare" but is an ordinary answer: `Integer < Boolean` is true.
 * - `Boolean` on the left of a `String` throws: Java casts the wrong operand.
 *
 * A thrown Java exception becomes an {@link EvaluationError}, which unwinds the whole
 * selector (see `expression.ts`).
 *
 * Differences from RocketMQ 4.9.x: none for the classes that occur here (`Byte`, `Short`
 * and `Float` rows are left out because no value of those classes can arise).
 *
 * @mirrors org.apache.rocketmq.filter.expression.ComparisonExpression#__compare
 * @article filtersrv "How values are compared"
 * @category Filter
 * @module
 */
import { EvaluationError } from './expression.js';
import {
  booleanValueOf, doubleValueOf, integerValueOf, javaClassOf, JavaNumber, longValueOf, type JavaComparable,
} from './java-value.js';

/** Java `Boolean.compareTo`: false < true. */
function compareBooleans(a: boolean, b: boolean): number {
  return a === b ? 0 : a ? 1 : -1;
}

/** `compareTo` between two values of the same class. */
function compareSameClass(lv: JavaComparable, rv: JavaComparable): number {
  if (typeof lv === 'string' && typeof rv === 'string') return lv < rv ? -1 : lv > rv ? 1 : 0; // UTF-16 order, as Java
  if (typeof lv === 'boolean' && typeof rv === 'boolean') return compareBooleans(lv, rv);
  if (lv instanceof JavaNumber && rv instanceof JavaNumber) return lv.compareTo(rv);
  throw new EvaluationError(`java.lang.ClassCastException: cannot compare ${javaClassOf(lv)} with ${javaClassOf(rv)}`);
}

/** A number converted to `Long` (from `Integer`) or `Double` (from anything). */
function toLong(n: JavaNumber): JavaNumber {
  return JavaNumber.long(BigInt(n.value));
}
function toDouble(n: JavaNumber): JavaNumber {
  return JavaNumber.double(n.doubleValue());
}

/**
 * Java `ComparisonExpression.__compare(lv, rv, true)`: negative, zero or positive.
 * Throws an {@link EvaluationError} where Java throws (a string that does not parse).
 */
export function javaCompare(left: JavaComparable, right: JavaComparable): number {
  let lv = left;
  let rv = right;
  const lc = javaClassOf(lv);
  const rc = javaClassOf(rv);
  if (lc !== rc) {
    switch (lc) {
      case 'Boolean':
        // Java: `Boolean.valueOf((String) lv)` casts the Boolean itself to String.
        if (rc === 'String') throw new EvaluationError('java.lang.ClassCastException: java.lang.Boolean cannot be cast to java.lang.String');
        return -1;
      case 'Integer':
        if (rc === 'Long') lv = toLong(lv as JavaNumber);
        else if (rc === 'Double') lv = toDouble(lv as JavaNumber);
        else if (rc === 'String') rv = integerValueOf(rv as string);
        else return -1;
        break;
      case 'Long':
        if (rc === 'Integer') rv = toLong(rv as JavaNumber);
        else if (rc === 'Double') lv = toDouble(lv as JavaNumber);
        else if (rc === 'String') rv = longValueOf(rv as string);
        else return -1;
        break;
      case 'Double':
        if (rc === 'Integer' || rc === 'Long') rv = toDouble(rv as JavaNumber);
        else if (rc === 'String') rv = doubleValueOf(rv as string);
        else return -1;
        break;
      case 'String': {
        const text = lv as string;
        if (rc === 'Boolean') lv = booleanValueOf(text);
        else if (rc === 'Integer') lv = integerValueOf(text);
        else if (rc === 'Long') lv = longValueOf(text);
        else lv = doubleValueOf(text);
        break;
      }
    }
  }
  return compareSameClass(lv, rv);
}
