// SYNC_MASTER waits: requests answered from the front of the line by acks, timeouts by one
// timer at the first deadline, and everything answered at shutdown.
import { describe, expect, it } from 'vitest';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { GroupTransferService, type GroupTransferStatus } from '../../../../src/store/ha/group-transfer-service.js';

function rig() {
  const clock = new ManualClock(0);
  const sink = new RecordingSink(clock);
  let acked = 0;
  const service = new GroupTransferService({
    clock, events: new NodeEvents(sink, 'master'), config: { syncFlushTimeout: 5000 }, ackedOffset: () => acked,
  });
  service.start();
  const answers = new Map<number, { status: GroupTransferStatus; at: number }>();
  const put = (nextOffset: number): void => {
    void service.putRequest(nextOffset).then((status) => answers.set(nextOffset, { status, at: clock.now() }));
  };
  const ack = (offset: number): void => {
    acked = offset;
    service.notifyTransferSome();
  };
  return { clock, sink, service, answers, put, ack };
}

describe('GroupTransferService', () => {
  it('notifyTransferSome() answers PUT_OK to every request the ack covers, in one group', async () => {
    const { clock, sink, service, answers, put, ack } = rig();
    for (const offset of [120, 260, 390, 505]) put(offset);
    await clock.advance(3);
    ack(300);
    await clock.settle();
    expect([...answers.keys()]).toEqual([120, 260]);
    expect(service.waitingCount).toBe(2);
    await clock.advance(2);
    ack(505);
    await clock.settle();
    expect([...answers.entries()].map(([o, a]) => [o, a.status, a.at])).toEqual([
      [120, 'PUT_OK', 3], [260, 'PUT_OK', 3], [390, 'PUT_OK', 5], [505, 'PUT_OK', 5],
    ]);
    expect(sink.ofKind('store.ha.sync-waited').map((e) => [e.data.requests, e.data.status, e.data.nextOffsetMax])).toEqual([
      [2, 'PUT_OK', 260], [2, 'PUT_OK', 505],
    ]);
  });

  it('answers a request the slaves already covered at once', async () => {
    const { clock, answers, put, ack } = rig();
    ack(1000);
    put(800);
    await clock.settle();
    expect(answers.get(800)?.status).toBe('PUT_OK');
  });

  it('answers FLUSH_SLAVE_TIMEOUT syncFlushTimeout after filing, each at its own deadline, with one timer', async () => {
    const { clock, answers, put, service } = rig();
    put(100);
    await clock.advance(1000);
    put(200);
    put(300);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(3999);
    expect(answers.size).toBe(0);
    await clock.advance(1);
    expect([...answers.entries()].map(([o, a]) => [o, a.status, a.at])).toEqual([[100, 'FLUSH_SLAVE_TIMEOUT', 5000]]);
    await clock.advance(1000);
    expect([...answers.values()].map((a) => [a.status, a.at])).toEqual([
      ['FLUSH_SLAVE_TIMEOUT', 5000], ['FLUSH_SLAVE_TIMEOUT', 6000], ['FLUSH_SLAVE_TIMEOUT', 6000],
    ]);
    expect(service.waitingCount).toBe(0);
    await clock.advance(60_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('shutdown() answers every waiting request FLUSH_SLAVE_TIMEOUT, and later requests too', async () => {
    const { clock, answers, put, service } = rig();
    put(10);
    put(20);
    service.shutdown();
    put(30);
    await clock.settle();
    expect([...answers.values()].map((a) => a.status)).toEqual(['FLUSH_SLAVE_TIMEOUT', 'FLUSH_SLAVE_TIMEOUT', 'FLUSH_SLAVE_TIMEOUT']);
  });
});
