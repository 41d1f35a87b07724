// The slave's side: report on connect, append frames verbatim, ack growth, heartbeats,
// housekeeping, reconnects, and refusing frames that do not continue its log.
import { describe, expect, it } from 'vitest';
import { concatBytes, toHex } from '../../../../src/common/bytes.js';
import { defaultMessageStoreConfig } from '../../../../src/common/config/message-store-config.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import type { Connection, Listener, Transport } from '../../../../src/platform/transport.js';
import { HA_CLIENT_RECONNECT_INTERVAL_MS, HAClient, type HASlaveStore } from '../../../../src/store/ha/ha-client.js';
import { encodeTransferHeader } from '../../../../src/store/ha/ha-protocol.js';
import { logBytes, ScriptedConnection } from './ha-test-support.js';

/** Connects to anything unless `refusing`; keeps every client end it handed out. */
class ScriptedTransport implements Transport {
  readonly opened: Array<{ address: string; connection: ScriptedConnection }> = [];
  refusing = false;
  listen(): Promise<Listener> {
    return Promise.reject(new Error('not used'));
  }
  connect(address: string): Promise<Connection> {
    if (this.refusing) return Promise.reject(new Error(`connect to ${address} failed: connection refused`));
    const connection = new ScriptedConnection(address, 'slave:50000');
    this.opened.push({ address, connection });
    return Promise.resolve(connection);
  }
  get last(): ScriptedConnection {
    return this.opened.at(-1)!.connection;
  }
}

/** A slave log: one byte array from `start`; appends must continue it exactly. */
class FakeSlaveStore implements HASlaveStore {
  start = 0;
  bytes: Uint8Array = new Uint8Array(0);
  getMaxPhyOffset(): number {
    return this.bytes.length === 0 ? this.start : this.start + this.bytes.length;
  }
  appendToCommitLog(startOffset: number, data: Uint8Array, dataStart: number, dataLength: number): boolean {
    if (this.bytes.length === 0 && this.start === 0) this.start = startOffset;
    if (startOffset !== this.getMaxPhyOffset()) return false;
    this.bytes = concatBytes([this.bytes, data.subarray(dataStart, dataStart + dataLength)]);
    return true;
  }
}

function frame(offset: number, size: number): Uint8Array {
  return concatBytes([encodeTransferHeader(offset, size), logBytes(offset, size)]);
}

function rig() {
  const clock = new ManualClock(0);
  const sink = new RecordingSink(clock);
  const transport = new ScriptedTransport();
  const store = new FakeSlaveStore();
  const client = new HAClient({ transport, clock, events: new NodeEvents(sink, 'slave'), config: defaultMessageStoreConfig(), store });
  client.start();
  client.updateMasterAddress('master:10912');
  return { clock, sink, transport, store, client };
}

const acksOf = (sent: readonly Uint8Array[]): string[] => sent.map(toHex);

describe('HAClient', () => {
  it('connects once it knows the master and reports its max offset at once (8 bytes)', async () => {
    const { clock, transport, sink, client } = rig();
    await clock.advance(0);
    expect(client.isConnected).toBe(true);
    expect(transport.opened.map((o) => o.address)).toEqual(['master:10912']);
    expect(acksOf(transport.last.sent)).toEqual(['0000000000000000']);
    expect(sink.ofKind('store.ha.client-connected').map((e) => e.data)).toEqual([{ master: 'master:10912', reportedOffset: 0 }]);
  });

  it('appends each frame verbatim and acks every growth, even across chunk boundaries', async () => {
    const { clock, transport, store, sink } = rig();
    await clock.advance(0);
    const socket = transport.last;
    socket.clearSent();
    const stream = concatBytes([frame(8192, 100), frame(8292, 0), frame(8292, 50)]);
    socket.feed(stream.subarray(0, 30));
    expect(store.getMaxPhyOffset()).toBe(0); // the first frame is not complete yet
    socket.feed(stream.subarray(30));
    expect(store.start).toBe(8192); // an empty slave takes the master's start
    expect(store.bytes).toEqual(logBytes(8192, 150));
    expect(acksOf(socket.sent)).toEqual(['0000000000002064', '0000000000002096']); // 8292, 8342: none for the heartbeat
    expect(sink.ofKind('store.ha.appended').map((e) => e.data)).toEqual([
      { from: 8192, size: 100, maxPhyOffset: 8292 }, { from: 8292, size: 50, maxPhyOffset: 8342 },
    ]);
  });

  it('closes on a frame that does not start where its log ends, and reconnects 5 s later', async () => {
    const { clock, transport, store, sink } = rig();
    await clock.advance(0);
    transport.last.feed(frame(0, 10));
    transport.last.feed(frame(11, 10));
    expect(store.getMaxPhyOffset()).toBe(10);
    expect(transport.last.closed).toBe(true);
    expect(sink.ofKind('store.ha.client-disconnected').map((e) => e.data.reason)).toEqual(['offset-mismatch']);
    await clock.advance(HA_CLIENT_RECONNECT_INTERVAL_MS - 1);
    expect(transport.opened.length).toBe(1);
    await clock.advance(1);
    expect(transport.opened.length).toBe(2);
    expect(acksOf(transport.last.sent)).toEqual(['000000000000000A']);
  });

  it('reports again every haSendHeartbeatInterval, and drops a master silent for haHousekeepingInterval', async () => {
    const { clock, transport, sink } = rig();
    await clock.advance(0);
    const socket = transport.last;
    socket.feed(frame(0, 64));
    await clock.advance(15_000);
    expect(acksOf(socket.sent)).toEqual(['0000000000000000', '0000000000000040', '0000000000000040', '0000000000000040', '0000000000000040']);
    socket.feed(encodeTransferHeader(64, 0)); // the master's heartbeat keeps the link alive
    await clock.advance(19_999);
    expect(socket.closed).toBe(false);
    await clock.advance(1);
    expect(socket.closed).toBe(true);
    expect(sink.ofKind('store.ha.client-disconnected').map((e) => e.data.reason)).toEqual(['housekeeping']);
    await clock.advance(0);
    expect(transport.opened.length).toBe(2); // Java reconnects at once
    expect(acksOf(transport.last.sent)).toEqual(['0000000000000040']);
  });

  it('retries a refused connect every 5 s, and reconnects when the master hangs up', async () => {
    const { clock, transport, sink, client } = rig();
    transport.refusing = true;
    await clock.advance(12_000);
    expect(sink.ofKind('store.ha.client-connect-failed').map((e) => e.at)).toEqual([0, 5000, 10_000]);
    transport.refusing = false;
    await clock.advance(3000);
    expect(client.isConnected).toBe(true);
    transport.last.peerClose();
    await clock.advance(0);
    expect(transport.opened.length).toBe(2);
    expect(sink.ofKind('store.ha.client-disconnected').map((e) => e.data.reason)).toEqual(['peer-closed']);
  });

  it('updateMasterAddress() to another master closes the old connection and opens a new one', async () => {
    const { clock, transport, client } = rig();
    await clock.advance(0);
    const first = transport.last;
    client.updateMasterAddress('other:10912');
    await clock.advance(0);
    expect(first.closed).toBe(true);
    expect(transport.opened.map((o) => o.address)).toEqual(['master:10912', 'other:10912']);
    client.shutdown();
    expect(transport.last.closed).toBe(true);
    await clock.advance(60_000);
    expect(transport.opened.length).toBe(2);
  });
});
