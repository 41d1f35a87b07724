// ProcessQueue's commit-offset rules: the concurrent commit offset never passes an
// unfinished message (smallest buffered offset, or queueOffsetMax + 1 when empty), the
// orderly commit is max + 1 of the taken batch, and retry-in-place puts messages back first.
import { describe, expect, it } from 'vitest';
import { ProcessQueue } from '../../../../src/client/consumer/process-queue.js';
import { MessageExt } from '../../../../src/common/message/message-ext.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';

function msgs(...offsets: number[]): MessageExt[] {
  return offsets.map((queueOffset) => new MessageExt({ topic: 'T', queueOffset, body: new Uint8Array(10) }));
}

describe('ProcessQueue', () => {
  it('removeMessage() answers the smallest offset still buffered, then queueOffsetMax + 1 once empty', () => {
    const pq = new ProcessQueue(new ManualClock());
    const [m10, m11, m12, m13, m14] = msgs(10, 11, 12, 13, 14);
    pq.putMessage([m10!, m11!, m12!, m13!, m14!]);
    expect([pq.msgCount, pq.msgSize, pq.queueOffsetMax, pq.getMaxSpan()]).toEqual([5, 50, 14, 4]);
    expect(pq.removeMessage([m12!])).toBe(10);
    expect(pq.removeMessage([m10!])).toBe(11);
    expect(pq.removeMessage([m11!, m13!])).toBe(14);
    expect(pq.removeMessage([m14!])).toBe(15);
    expect([pq.msgCount, pq.msgSize]).toEqual([0, 0]);
    expect(pq.removeMessage([m14!])).toBe(-1);
  });

  it('putMessage() ignores offsets already buffered and asks for a dispatch only when none is running', () => {
    const pq = new ProcessQueue(new ManualClock());
    expect(pq.putMessage(msgs(0, 1))).toBe(true);
    expect(pq.putMessage(msgs(1, 2))).toBe(false);
    expect([pq.msgCount, pq.queueOffsetMax]).toEqual([3, 2]);
  });

  it('putMessage() records msgAccCnt from the MAX_OFFSET property of the last message', () => {
    const pq = new ProcessQueue(new ManualClock());
    const batch = msgs(5, 6);
    batch[1]!.putProperty('MAX_OFFSET', '20');
    pq.putMessage(batch);
    expect(pq.msgAccCnt).toBe(14);
  });

  it('takeMessages() and commit() give the orderly commit offset max + 1 and forget the batch', () => {
    const pq = new ProcessQueue(new ManualClock());
    pq.putMessage(msgs(3, 4, 5, 6));
    expect(pq.takeMessages(2).map((m) => m.queueOffset)).toEqual([3, 4]);
    expect(pq.msgCount).toBe(4);
    expect(pq.commit()).toBe(5);
    expect(pq.msgCount).toBe(2);
    expect(pq.commit()).toBe(-1);
  });

  it('makeMessageToConsumeAgain() puts a failed batch back so the next takeMessages() returns it first', () => {
    const pq = new ProcessQueue(new ManualClock());
    pq.putMessage(msgs(3, 4, 5));
    const taken = pq.takeMessages(1);
    pq.makeMessageToConsumeAgain(taken);
    expect(pq.takeMessages(3).map((m) => m.queueOffset)).toEqual([3, 4, 5]);
    expect(pq.takeMessages(1)).toEqual([]);
    expect(pq.consuming).toBe(false);
  });

  it('rollback() returns the whole batch in progress to the buffer', () => {
    const pq = new ProcessQueue(new ManualClock());
    pq.putMessage(msgs(1, 2, 3));
    pq.takeMessages(2);
    pq.rollback();
    expect(pq.messages().map((m) => m.queueOffset)).toEqual([1, 2, 3]);
  });

  it('keeps offsets ordered when older offsets come back after newer ones were removed', () => {
    const pq = new ProcessQueue(new ManualClock());
    const batch = msgs(...Array.from({ length: 3000 }, (_, i) => i));
    pq.putMessage(batch);
    pq.removeMessage(batch.slice(0, 2500));
    pq.putMessage(msgs(100, 7));
    expect(pq.messages().slice(0, 3).map((m) => m.queueOffset)).toEqual([7, 100, 2500]);
    expect(pq.getMaxSpan()).toBe(2999 - 7);
  });

  it('isLockExpired() after 30 s and isPullExpired() after 120 s on the clock', async () => {
    const clock = new ManualClock(1_000);
    const pq = new ProcessQueue(clock);
    await clock.advance(30_001);
    expect([pq.isLockExpired(), pq.isPullExpired()]).toEqual([true, false]);
    await clock.advance(90_000);
    expect(pq.isPullExpired()).toBe(true);
  });

  it('cleanExpiredMsg() sends back (level 3) and removes buffered messages whose consumption started too long ago', async () => {
    const clock = new ManualClock(0);
    const pq = new ProcessQueue(clock);
    const batch = msgs(0, 1, 2);
    batch[0]!.putProperty('CONSUME_START_TIME', '0');
    batch[1]!.putProperty('CONSUME_START_TIME', '0');
    pq.putMessage(batch);
    await clock.advance(900_001);
    const sent: Array<[number, number]> = [];
    const cleaned = await pq.cleanExpiredMsg(900_000, async (msg, level) => void sent.push([msg.queueOffset, level]));
    expect([cleaned, sent]).toEqual([2, [[0, 3], [1, 3]]]);
    expect(pq.messages().map((m) => m.queueOffset)).toEqual([2]);
  });
});
