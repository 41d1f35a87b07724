/**
 * LatencyFaultTolerance: which brokers a producer should avoid for a while, and for how long.
 *
 * With `sendLatencyFaultEnable` on, every send reports how long it took and whether it
 * failed. A slow or failed broker gets a fault item: "not available until T". Queue
 * selection then skips brokers whose T is still in the future. When every broker is
 * marked, `pickOneAtLeast` still names one, preferring the least bad:
 *
 * ```
 *   items sorted: available first, then lower latency, then earlier recovery time
 *   [ b(avail, 80ms) | a(avail, 120ms) | c(out, 3000ms) | d(out, 15000ms) ]
 *     └─────── better half ──────────┘
 *   pick = items[counter++ % half]     (half = size / 2; item 0 when size < 2)
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - The shuffle before sorting (Java `Collections.shuffle`) draws from the Random port,
 *   so the pick among equal items is reproducible with a seed.
 *
 * @mirrors org.apache.rocketmq.client.latency.LatencyFaultToleranceImpl
 * @mirrors org.apache.rocketmq.client.latency.LatencyFaultTolerance
 * @article send-receive "Avoiding slow brokers"
 * @category Client
 * @module
 */
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';

/** One broker's record (Java `FaultItem`). */
export interface FaultItem {
  readonly name: string;
  /** The latency of the send that created or last updated the item, ms. */
  currentLatency: number;
  /** When the broker becomes available again (clock ms). */
  startTimestamp: number;
}

export class LatencyFaultToleranceImpl {
  private readonly faultItemTable = new Map<string, FaultItem>();
  private whichItemWorst: number;

  constructor(private readonly clock: Clock, private readonly random: Random) {
    this.whichItemWorst = random.int(0x7fff_ffff);
  }

  /** Record that `name` took `currentLatency` ms and should be avoided for `notAvailableDuration` ms. */
  updateFaultItem(name: string, currentLatency: number, notAvailableDuration: number): void {
    const startTimestamp = this.clock.now() + notAvailableDuration;
    const item = this.faultItemTable.get(name);
    if (item === undefined) {
      this.faultItemTable.set(name, { name, currentLatency, startTimestamp });
      return;
    }
    item.currentLatency = currentLatency;
    item.startTimestamp = startTimestamp;
  }

  /** True unless `name` has a fault item whose time is still in the future. */
  isAvailable(name: string): boolean {
    const item = this.faultItemTable.get(name);
    return item === undefined || this.clock.now() - item.startTimestamp >= 0;
  }

  remove(name: string): void {
    this.faultItemTable.delete(name);
  }

  /** A broker to try when every queue's broker is unavailable; undefined when nothing is recorded. */
  pickOneAtLeast(): string | undefined {
    const items = [...this.faultItemTable.values()];
    if (items.length === 0) return undefined;
    this.shuffle(items);
    const now = this.clock.now();
    items.sort((a, b) => compareFaultItems(a, b, now));
    const half = Math.floor(items.length / 2);
    if (half <= 0) return items[0]!.name;
    this.whichItemWorst = (this.whichItemWorst + 1) & 0x7fff_ffff;
    return items[this.whichItemWorst % half]!.name;
  }

  /** A copy of the table (tests, the viz). */
  snapshot(): FaultItem[] {
    return [...this.faultItemTable.values()].map((item) => ({ ...item }));
  }

  /** Fisher-Yates from the end, as `Collections.shuffle` does. */
  private shuffle(items: FaultItem[]): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.random.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
  }
}

/** Java `FaultItem.compareTo`: available first, then lower latency, then earlier start. */
export function compareFaultItems(a: FaultItem, b: FaultItem, now: number): number {
  const aAvailable = now - a.startTimestamp >= 0;
  const bAvailable = now - b.startTimestamp >= 0;
  if (aAvailable !== bAvailable) return aAvailable ? -1 : 1;
  if (a.currentLatency !== b.currentLatency) return a.currentLatency < b.currentLatency ? -1 : 1;
  if (a.startTimestamp !== b.startTimestamp) return a.startTimestamp < b.startTimestamp ? -1 : 1;
  return 0;
}
