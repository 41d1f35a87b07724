// ConsumeRequestCache on a ManualClock: FIFO hand-out, a waiting poll() served by put(),
// the timeout in virtual time, removeIf (seek) and close (shutdown).
import { describe, expect, it } from 'vitest';
import { MessageExt } from '../../../../src/common/message/message-ext.js';
import { ConsumeRequestCache, type ConsumeRequest } from '../../../../src/client/consumer/lite/consume-request-cache.js';
import { ProcessQueue } from '../../../../src/client/consumer/process-queue.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';

function request(clock: ManualClock, queueId: number, offset: number): ConsumeRequest {
  return { messageExts: [new MessageExt({ queueId, queueOffset: offset })], messageQueue: { topic: 'T', brokerName: 'b', queueId }, processQueue: new ProcessQueue(clock) };
}

describe('ConsumeRequestCache', () => {
  it('poll() hands out requests oldest first and answers at once when one is waiting', async () => {
    const clock = new ManualClock(0);
    const cache = new ConsumeRequestCache(clock);
    cache.put(request(clock, 0, 0));
    cache.put(request(clock, 1, 0));
    cache.put(request(clock, 0, 10));
    expect(cache.size).toBe(3);
    const got = [await cache.poll(0), await cache.poll(0), await cache.poll(0), await cache.poll(0)];
    expect(got.map((r) => r && `${r.messageQueue.queueId}:${r.messageExts[0]!.queueOffset}`)).toEqual(['0:0', '1:0', '0:10', undefined]);
  });

  it('a waiting poll(timeout) is served by the next put(), or resolves undefined when the timeout passes on the clock', async () => {
    const clock = new ManualClock(0);
    const cache = new ConsumeRequestCache(clock);
    let first: ConsumeRequest | undefined | 'pending' = 'pending';
    void cache.poll(1000).then((r) => (first = r));
    await clock.advance(400);
    expect(first).toBe('pending');
    cache.put(request(clock, 2, 5));
    await clock.settle();
    expect(first).not.toBe('pending');
    expect((first as unknown as ConsumeRequest).messageQueue.queueId).toBe(2);
    expect(cache.size).toBe(0);

    let second: ConsumeRequest | undefined | 'pending' = 'pending';
    void cache.poll(1000).then((r) => (second = r));
    await clock.advance(999);
    expect(second).toBe('pending');
    await clock.advance(1);
    expect(second).toBeUndefined();
  });

  it('removeIf() drops the matching requests (a seek) and close() wakes every waiter with nothing', async () => {
    const clock = new ManualClock(0);
    const cache = new ConsumeRequestCache(clock);
    for (let i = 0; i < 6; i++) cache.put(request(clock, i % 2, i));
    expect(cache.removeIf((r) => r.messageQueue.queueId === 1)).toBe(3);
    expect(cache.size).toBe(3);
    expect((await cache.poll(0))!.messageExts[0]!.queueOffset).toBe(0);
    cache.close();
    expect(cache.size).toBe(0);
    const waiting = cache.poll(60_000);
    cache.close();
    expect(await waiting).toBeUndefined();
  });
});
