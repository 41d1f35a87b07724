/**
 * FilterFactory: the registry of expression languages, looked up by type name.
 *
 * It starts with SQL92 registered. A language is registered once; registering the same
 * type again is refused, as Java refuses it:
 *
 * ```
 *   FilterFactory.get('SQL92')            -> SqlFilter
 *   FilterFactory.INSTANCE.get('SQL92')   -> the same (Java's spelling)
 *   FilterFactory.get('TAG')              -> undefined (tags are not compiled)
 *   FilterFactory.register(spi)           -> Error when spi.ofType() is already there
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - The static methods `get`, `register` and `unRegister` forward to `INSTANCE`, so both
 *   `FilterFactory.get(...)` and Java's `FilterFactory.INSTANCE.get(...)` work.
 * - Like Java's, the registry is one per process (a static). Registering is meant for
 *   start-up; nothing in this code base registers anything but SQL92.
 *
 * @mirrors org.apache.rocketmq.filter.FilterFactory
 * @article filtersrv "Compiling a SQL92 selector"
 * @category Filter
 * @module
 */
import type { FilterSpi } from './filter-spi.js';
import { SqlFilter } from './sql-filter.js';

/** The registry of filter languages. */
export class FilterFactory {
  /** The one registry (Java `FilterFactory.INSTANCE`). */
  static readonly INSTANCE = new FilterFactory();

  private readonly filterSpiTable = new Map<string, FilterSpi>();

  private constructor() {
    this.register(new SqlFilter());
  }

  /** Look a language up on the one registry. */
  static get(type: string): FilterSpi | undefined {
    return FilterFactory.INSTANCE.get(type);
  }

  /** Register a language on the one registry. */
  static register(spi: FilterSpi): void {
    FilterFactory.INSTANCE.register(spi);
  }

  /** Remove a language from the one registry; returns what was removed. */
  static unRegister(type: string): FilterSpi | undefined {
    return FilterFactory.INSTANCE.unRegister(type);
  }

  /** Add `spi` under `spi.ofType()`; throws when that type is taken. */
  register(spi: FilterSpi): void {
    const type = spi.ofType();
    if (this.filterSpiTable.has(type)) throw new Error(`Filter spi type(${type}) already exist!`);
    this.filterSpiTable.set(type, spi);
  }

  unRegister(type: string): FilterSpi | undefined {
    const spi = this.filterSpiTable.get(type);
    this.filterSpiTable.delete(type);
    return spi;
  }

  get(type: string): FilterSpi | undefined {
    return this.filterSpiTable.get(type);
  }
}
