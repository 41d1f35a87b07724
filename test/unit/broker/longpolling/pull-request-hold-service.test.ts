// PullRequestHoldService with the real PullMessageProcessor and DefaultMessageStore on a
// ManualClock. Goal: a held pull is answered as soon as a message arrives (virtual time does
// not move), at the first 5 s check at or after its deadline when nothing arrives, never
// when its connection closed; arrivals the filter rejects keep it held. Method: the hold
// service starts with the rig at T0, so its checks run at T0+5000, T0+10000, ...
import { describe, expect, it } from 'vitest';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { ManyPullRequest } from '../../../../src/broker/longpolling/many-pull-request.js';
import { FakeContext, pullCommand, pullHeader, pullRig, type PullRig } from '../processor/pull-test-support.js';

/** Hold a pull of TopicA/0 from `queueOffset` on `ctx`; the queue must be at that offset. */
function hold(rig: PullRig, ctx: FakeContext, fields: Record<string, string | number> = {}) {
  const request = pullCommand(fields);
  expect(rig.processor.processRequest(ctx, request)).toBeNull();
  return request;
}

describe('PullRequestHoldService', () => {
  it('a held pull is answered FOUND as soon as a message arrives, with its original opaque, without waiting for the 5 s check', async () => {
    const rig = pullRig();
    const t0 = rig.clock.now();
    const ctx = new FakeContext();
    rig.subscribe('CG', 'TopicA', '*', ctx);
    await rig.clock.advance(1000);
    const request = hold(rig, ctx);
    expect(rig.pullRequestHoldService.heldCount).toBe(1);
    expect(rig.sink.ofKind('broker.pull.suspended')[0]!.data).toEqual({ key: 'TopicA@0', group: 'CG', offset: 0, timeoutMillis: 15_000, deadline: t0 + 16_000, held: 1 });
    await rig.clock.advance(6000); // the check at T0+5000 finds nothing new: still held
    expect(ctx.written).toEqual([]);
    await rig.put('TopicA', 0, 'TagA'); // at T0+7000
    expect(ctx.written).toHaveLength(1);
    expect(rig.clock.now()).toBe(t0 + 7000);
    const { response } = ctx.written[0]!;
    expect([response.opaque, response.code, response.remark]).toEqual([request.opaque, ResponseCode.SUCCESS, 'FOUND']);
    expect(pullHeader(response)).toEqual({ suggestWhichBrokerId: 0, nextBeginOffset: 1, minOffset: 0, maxOffset: 1 });
    expect(rig.pullRequestHoldService.heldCount).toBe(0);
    expect(rig.sink.ofKind('broker.pull.woken').map((e) => [e.data.reason, e.data.heldMs, e.data.maxOffset])).toEqual([['arrival', 6000, 1]]);
    expect(rig.sink.ofKind('broker.pull.replied').map((e) => [e.data.code, e.data.status, e.data.opaque])).toEqual([['SUCCESS', 'FOUND', request.opaque]]);
    expect(rig.sink.ofKind('broker.pull.found').at(-1)!.data.resumed).toBe(true);
    // The arrival woke it in the same turn as the dispatch: woken comes right after the consume-queue append.
    const kinds = rig.sink.events.map((e) => e.kind);
    expect(kinds.indexOf('broker.pull.woken')).toBeGreaterThan(kinds.lastIndexOf('store.consumequeue.appended'));
  });

  it('a held pull with no message is answered PULL_NOT_FOUND exactly at the first 5 s check at or after its deadline', async () => {
    const rig = pullRig();
    const t0 = rig.clock.now();
    const ctx = new FakeContext();
    rig.subscribe('CG', 'TopicA', '*', ctx);
    await rig.put('TopicA', 0, 'TagA');
    await rig.clock.advanceTo(t0 + 1000);
    const request = hold(rig, ctx, { queueOffset: 1 }); // the end of the queue; deadline T0+16000
    await rig.clock.advanceTo(t0 + 19_999);
    expect(ctx.written).toEqual([]);
    await rig.clock.runUntil(() => ctx.written.length > 0, 10_000);
    expect(rig.clock.now()).toBe(t0 + 20_000);
    const { response } = ctx.written[0]!;
    expect([response.opaque, response.code, response.remark]).toEqual([request.opaque, ResponseCode.PULL_NOT_FOUND, 'OFFSET_OVERFLOW_ONE']);
    expect(pullHeader(response)).toEqual({ suggestWhichBrokerId: 0, nextBeginOffset: 1, minOffset: 0, maxOffset: 1 });
    expect(rig.sink.ofKind('broker.pull.woken').map((e) => [e.data.reason, e.data.heldMs])).toEqual([['timeout', 19_000]]);
    // Answered once, and not held again.
    await rig.clock.advance(30_000);
    expect(ctx.written).toHaveLength(1);
    expect(rig.pullRequestHoldService.pullRequestTable.size).toBe(0);
  });

  it('short polling: with longPollingEnable off a pull is held shortPollingTimeMills and checked every second', async () => {
    const rig = pullRig({ broker: { longPollingEnable: false } });
    const t0 = rig.clock.now();
    const ctx = new FakeContext();
    rig.subscribe('CG', 'TopicA', '*', ctx);
    rig.pullRequestHoldService.shutdown();
    rig.pullRequestHoldService.start(); // checks now every 1000 ms from T0
    await rig.clock.advance(300);
    hold(rig, ctx); // deadline T0+1300
    await rig.clock.runUntil(() => ctx.written.length > 0, 10_000);
    expect(rig.clock.now()).toBe(t0 + 2000);
    expect(ctx.written[0]!.response.code).toBe(ResponseCode.PULL_NOT_FOUND);
  });

  it('an arrival the filter rejects keeps the pull held; the next check re-runs it and answers PULL_RETRY_IMMEDIATELY past the unwanted message', async () => {
    const rig = pullRig();
    const t0 = rig.clock.now();
    const ctx = new FakeContext();
    rig.subscribe('CG', 'TopicA', 'TagA', ctx);
    hold(rig, ctx);
    await rig.clock.advance(1000);
    await rig.put('TopicA', 0, 'TagB');
    expect(ctx.written).toEqual([]);
    expect(rig.pullRequestHoldService.heldCount).toBe(1);
    await rig.clock.runUntil(() => ctx.written.length > 0, 10_000);
    expect(rig.clock.now()).toBe(t0 + 5000);
    const { response } = ctx.written[0]!;
    expect([response.code, response.remark, pullHeader(response).nextBeginOffset]).toEqual([ResponseCode.PULL_RETRY_IMMEDIATELY, 'NO_MATCHED_MESSAGE', 1]);
    expect(rig.sink.ofKind('broker.pull.woken').map((e) => e.data.reason)).toEqual(['periodic-check']);
  });

  it('an arrival on another queue does not wake the pull, and a matching arrival wakes every pull held on its queue', async () => {
    const rig = pullRig();
    const [a, b] = [new FakeContext('10.0.0.9:51000'), new FakeContext('10.0.0.8:52000')];
    rig.subscribe('CG', 'TopicA', '*', a);
    rig.subscribe('CG', 'TopicA', '*', b, 1000, 'client-2');
    hold(rig, a);
    hold(rig, b);
    await rig.put('TopicA', 1, 'TagA');
    expect(a.written.length + b.written.length).toBe(0);
    await rig.put('TopicA', 0, 'TagA');
    expect([a.written.length, b.written.length]).toEqual([1, 1]);
  });

  it('a pull held on a connection that closed is dropped unanswered at the next check', async () => {
    const rig = pullRig();
    const ctx = new FakeContext();
    rig.subscribe('CG', 'TopicA', '*', ctx);
    hold(rig, ctx);
    ctx.close();
    await rig.clock.advance(5000);
    expect(ctx.written).toEqual([]);
    expect(rig.pullRequestHoldService.pullRequestTable.size).toBe(0);
    expect(rig.sink.ofKind('broker.pull.dropped').map((e) => e.data)).toEqual([{ key: 'TopicA@0', group: 'CG', remote: '10.0.0.9:51000', reason: 'connection-closed' }]);
    await rig.put('TopicA', 0, 'TagA');
    expect(rig.sink.ofKind('broker.pull.woken')).toEqual([]);
  });

  it('notifyMessageArriving() does nothing when no pull is held (the arrival path of every dispatched message)', () => {
    const rig = pullRig();
    let reads = 0;
    const store = rig.store;
    const original = store.getMaxOffsetInQueue.bind(store);
    store.getMaxOffsetInQueue = (topic, queueId) => (reads++, original(topic, queueId));
    for (let i = 0; i < 1000; i++) rig.pullRequestHoldService.notifyMessageArriving('TopicA', 0, i + 1, 123, 0, undefined, new Map());
    expect(reads).toBe(0);
    expect(rig.sink.ofKind('broker.pull.woken')).toEqual([]);
  });
});

describe('ManyPullRequest', () => {
  it('cloneListAndClear() takes every request out once and answers undefined when empty', () => {
    const many = new ManyPullRequest();
    expect(many.cloneListAndClear()).toBeUndefined();
    const fake = {} as Parameters<ManyPullRequest['addPullRequest']>[0];
    many.addPullRequest(fake);
    many.addPullRequests([fake, fake]);
    expect(many.size).toBe(3);
    expect(many.cloneListAndClear()).toHaveLength(3);
    expect(many.size).toBe(0);
  });
});
