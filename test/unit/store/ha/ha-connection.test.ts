// The master's side of one slave: where the transfer starts, how the log is cut into frames,
// the heartbeat when idle, the window of unacknowledged frames, and housekeeping.
import { describe, expect, it } from 'vitest';
import { defaultMessageStoreConfig } from '../../../../src/common/config/message-store-config.js';
import { toHex } from '../../../../src/common/bytes.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import type { HaCloseReason } from '../../../../src/events/kinds/store-ha-events.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { HAConnection, MAX_UNACKED_BATCHES } from '../../../../src/store/ha/ha-connection.js';
import { encodeAck, TRANSFER_HEADER_SIZE } from '../../../../src/store/ha/ha-protocol.js';
import { FakeLog, framesOf, logBytes, ScriptedConnection } from './ha-test-support.js';

function rig(fileSize: number, batch = 32 * 1024) {
  const clock = new ManualClock(1_000_000);
  const sink = new RecordingSink(clock);
  const config = { ...defaultMessageStoreConfig(), mappedFileSizeCommitLog: fileSize, haTransferBatchSize: batch };
  const log = new FakeLog(fileSize);
  const socket = new ScriptedConnection();
  const acks: number[] = [];
  const closed: HaCloseReason[] = [];
  const connection = new HAConnection({
    connection: socket, clock, events: new NodeEvents(sink, 'master'), config, source: log,
    onAck: (_, offset) => acks.push(offset),
    onClosed: (_, reason) => closed.push(reason),
  });
  connection.start();
  return { clock, sink, log, socket, acks, closed, connection };
}

describe('HAConnection', () => {
  it('sends nothing until the slave reports, then starts an empty slave at the start of the LAST file', async () => {
    const { clock, log, socket, sink, connection } = rig(1024);
    log.append(1024 * 2 + 300); // files 0 and 1 full, file 2 holds 300 bytes
    await clock.advance(100);
    expect(socket.sent).toEqual([]);
    socket.feed(encodeAck(0));
    await clock.advance(0);
    expect(framesOf(socket.sent)).toEqual([[2048, 300]]);
    expect(socket.sent[0]!.subarray(TRANSFER_HEADER_SIZE)).toEqual(logBytes(2048, 300));
    expect(toHex(socket.sent[0]!.subarray(0, TRANSFER_HEADER_SIZE))).toBe('0000000000000800' + '0000012C');
    expect(connection.slaveRequestOffset).toBe(0);
    const started = sink.ofKind('store.ha.transfer-started');
    expect(started.map((e) => e.data)).toEqual([{ slave: 'slave:50000', requestOffset: 0, fromOffset: 2048 }]);
    expect(started[0]!.why?.outcome).toBe(2048);
  });

  it('starts a slave that already has data at its own offset', async () => {
    const { clock, log, socket } = rig(1024);
    log.append(2500);
    socket.feed(encodeAck(1500));
    await clock.advance(0);
    expect(framesOf(socket.sent)).toEqual([[1500, 548], [2048, 452]]);
  });

  it('cuts frames at haTransferBatchSize and never across a file end', async () => {
    const { clock, log, socket } = rig(1000, 256);
    log.append(1000 + 100);
    socket.feed(encodeAck(0)); // max 1100: the last file starts at 1000
    await clock.advance(0);
    expect(framesOf(socket.sent)).toEqual([[1000, 100]]);
    const other = rig(1000, 256);
    other.log.append(1000 + 100);
    other.socket.feed(encodeAck(1)); // a slave at offset 1 gets the rest of file 0 first
    await other.clock.advance(0);
    expect(framesOf(other.socket.sent)).toEqual([[1, 256], [257, 256], [513, 256], [769, 231], [1000, 100]]);
    // New bytes go out when the log grows and the connection is woken (the store does that per append).
    other.log.append(50);
    other.connection.wakeup();
    await other.clock.advance(0);
    expect(framesOf(other.socket.sent).at(-1)).toEqual([1100, 50]);
  });

  it('sends a header-only heartbeat (size 0) after haSendHeartbeatInterval of idleness', async () => {
    const { clock, log, socket, sink } = rig(1024);
    log.append(100);
    socket.feed(encodeAck(0));
    await clock.advance(0);
    socket.clearSent();
    socket.feed(encodeAck(100));
    await clock.advance(4999);
    expect(socket.sent).toEqual([]);
    await clock.advance(1);
    expect(socket.sent.map(toHex)).toEqual(['0000000000000064' + '00000000']);
    expect(sink.ofKind('store.ha.chunk-sent').map((e) => e.data.size)).toEqual([100, 0]);
  });

  it('keeps at most MAX_UNACKED_BATCHES frames ahead of the slave, and every ack reopens the window', async () => {
    const { clock, log, socket } = rig(1024 * 1024, 1024);
    log.append(100 * 1024);
    socket.feed(encodeAck(0));
    await clock.advance(0);
    expect(socket.sent.length).toBe(MAX_UNACKED_BATCHES);
    socket.feed(encodeAck(10 * 1024));
    await clock.advance(0);
    expect(socket.sent.length).toBe(MAX_UNACKED_BATCHES + 10);
    expect(framesOf(socket.sent).at(-1)).toEqual([41 * 1024, 1024]);
  });

  it('remembers the last complete ack and reports every ack', async () => {
    const { clock, log, socket, acks, connection } = rig(1024);
    log.append(300);
    socket.feed(encodeAck(0));
    socket.feed(new Uint8Array([...encodeAck(100), ...encodeAck(200), ...encodeAck(300).subarray(0, 4)]));
    expect(connection.slaveAckOffset).toBe(200);
    socket.feed(encodeAck(300).subarray(4));
    await clock.advance(0);
    expect(acks).toEqual([0, 200, 300]);
    expect(connection.slaveAckOffset).toBe(300);
    expect(connection.slaveRequestOffset).toBe(0);
  });

  it('closes after haHousekeepingInterval without a byte from the slave', async () => {
    const { clock, log, socket, closed, connection } = rig(1024);
    log.append(10);
    socket.feed(encodeAck(0));
    for (let i = 0; i < 6; i++) {
      await clock.advance(5000); // a slave heartbeat every 5 s keeps it open
      socket.feed(encodeAck(10));
    }
    expect(closed).toEqual([]);
    await clock.advance(19_999);
    expect(socket.closed).toBe(false);
    await clock.advance(1);
    expect(socket.closed).toBe(true);
    expect(closed).toEqual(['housekeeping']);
    expect(connection.isClosed).toBe(true);
  });

  it('closes on an ack beyond its own log (diverged slave), on a malformed ack, and when the slave hangs up', async () => {
    const a = rig(1024);
    a.log.append(10);
    a.socket.feed(encodeAck(0));
    a.socket.feed(encodeAck(11));
    expect(a.closed).toEqual(['offset-mismatch']);
    const b = rig(1024);
    b.socket.feed(new Uint8Array(8).fill(0xff));
    expect(b.closed).toEqual(['bad-frame']);
    const c = rig(1024);
    c.socket.peerClose();
    c.connection.close('shutdown'); // idempotent: reported once
    expect(c.closed).toEqual(['peer-closed']);
    await c.clock.advance(60_000);
    expect(c.socket.sent).toEqual([]);
  });
});
