// FilterFactory and SqlFilter: SQL92 is registered from the start, under both spellings.
import { describe, expect, it } from 'vitest';
import { MapEvaluationContext } from '../../../src/filter/expression/evaluation-context.js';
import { FilterFactory } from '../../../src/filter/filter-factory.js';
import type { FilterSpi } from '../../../src/filter/filter-spi.js';
import { MQFilterException } from '../../../src/filter/mq-filter-exception.js';
import { SqlFilter } from '../../../src/filter/sql-filter.js';

describe('FilterFactory', () => {
  it("get('SQL92') and INSTANCE.get('SQL92') give the SQL filter, which compiles selectors", () => {
    const spi = FilterFactory.get('SQL92');
    expect(spi).toBeInstanceOf(SqlFilter);
    expect(FilterFactory.INSTANCE.get('SQL92')).toBe(spi);
    expect(spi?.ofType()).toBe('SQL92');
    const selector = spi!.compile("TAGS = 'a' AND n > 3");
    expect(selector.matches(new MapEvaluationContext({ TAGS: 'a', n: '4' }))).toBe(true);
    expect(() => spi!.compile('n >')).toThrow(MQFilterException);
    expect(FilterFactory.get('TAG')).toBeUndefined();
  });

  it('refuses a second registration of a type, and can unregister one', () => {
    expect(() => FilterFactory.register(new SqlFilter())).toThrow('Filter spi type(SQL92) already exist!');
    const custom: FilterSpi = { ofType: () => 'TEST_ONLY', compile: (e) => new SqlFilter().compile(e) };
    FilterFactory.register(custom);
    expect(FilterFactory.get('TEST_ONLY')).toBe(custom);
    expect(FilterFactory.unRegister('TEST_ONLY')).toBe(custom);
    expect(FilterFactory.get('TEST_ONLY')).toBeUndefined();
  });
});
