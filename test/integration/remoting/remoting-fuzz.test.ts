// Seeded fuzzing of a real RemotingServer over SimNetwork.
//
// Goal: bad bytes never crash the server, a connection that sends a malformed frame is
// closed (with remoting.frame.rejected and remoting.connection.closed) and nothing else is
// disturbed. Method: for a few hundred seeded cases, a raw "fuzzer" host connects and sends
// (a) good frames followed by one surely-bad frame and random trailing garbage, (b) random
// bytes, or (c) good frames with a few bytes flipped, all cut into random chunks. A timer
// callback that threw would make clock.advance() throw, failing the test. Meanwhile a
// well-behaved RemotingClient on another host keeps getting correct answers.
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../src/common/bytes.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { SimNetwork } from '../../../src/platform/sim/sim-network.js';
import type { Connection } from '../../../src/platform/transport.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { RemotingCommandCodec } from '../../../src/remoting/remoting-command-codec.js';
import { createRequestCommand, createResponseCommand } from '../../../src/remoting/remoting-command.js';
import { RemotingServer } from '../../../src/remoting/remoting-server.js';

const utf8 = new TextEncoder();
const text = new TextDecoder();
const codec = new RemotingCommandCodec();

function int32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, value | 0, false);
  return out;
}

function randomBytes(random: SeededRandom, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => random.int(256));
}

function goodFrame(random: SeededRandom, opaque: number): Uint8Array {
  const request = createRequestCommand(random.int(2) === 0 ? RequestCode.HEART_BEAT : random.int(400), { k: random.int(1000), boom: random.int(5) === 0 ? 'x' : undefined });
  request.opaque = opaque;
  request.body = randomBytes(random, random.int(40));
  if (random.int(4) === 0) request.serializeType = 'ROCKETMQ';
  return codec.encode(request);
}

/** A frame every check rejects, of a random kind; `reason` is what the rejection event says. */
function badFrame(random: SeededRandom): { bytes: Uint8Array; reason: RegExp } {
  switch (random.int(7)) {
    case 0:
      return { bytes: int32(-1 - random.int(0x7fffffff)), reason: /negative length field/ };
    case 1:
      return { bytes: int32(16_777_213 + random.int(0x7f000000)), reason: /exceeds the maximum of 16777216/ };
    case 2:
      return { bytes: int32(random.int(4)), reason: /shorter than the 4-byte header-length word/ };
    case 3: {
      const length = 4 + random.int(100);
      return { bytes: concatBytes([int32(length), int32(length - 3 + random.int(1000)), randomBytes(random, length - 4)]), reason: /header length \d+ exceeds/ };
    }
    case 4: {
      const header = utf8.encode('{"code":' + '9'.repeat(random.int(5))); // cut short: never valid JSON
      return { bytes: concatBytes([int32(4 + header.length), int32(header.length), header]), reason: /not valid JSON/ };
    }
    case 5: {
      const type = 2 + random.int(254);
      return { bytes: concatBytes([int32(6), int32((type << 24) | 2), utf8.encode('{}')]), reason: /unknown serialize type/ };
    }
    default: {
      const header = new Uint8Array(17 + random.int(8)); // binary header whose remark length overruns it
      new DataView(header.buffer).setInt32(13, header.length, false);
      return { bytes: concatBytes([int32(4 + header.length), int32((1 << 24) | header.length), header]), reason: /binary header/ };
    }
  }
}

/** Send `stream` cut into random chunks, each one SimNetwork unit. */
function sendChunked(connection: Connection, stream: Uint8Array, random: SeededRandom): void {
  let at = 0;
  while (at < stream.length) {
    const size = 1 + random.int(random.int(3) === 0 ? 64 : 7);
    connection.send(stream.subarray(at, at + size));
    at += size;
  }
}

describe('RemotingServer under fuzzing', () => {
  it('survives random and mutated frames: only the bad connection closes, with events; a good client keeps working', async () => {
    const random = new SeededRandom(20240601);
    const clock = new ManualClock();
    const sink = new RecordingSink(clock);
    const network = new SimNetwork({ clock, random: new SeededRandom(99) });
    const server = new RemotingServer({ transport: network.host('broker'), clock, events: new NodeEvents(sink, 'broker') });
    const address = await server.start('broker:10911');
    let processed = 0;
    server.registerProcessor(RequestCode.HEART_BEAT, {
      rejectRequest: () => false,
      processRequest: (_ctx, request) => {
        processed++;
        if (request.optString('boom') !== undefined) throw new Error('boom');
        const response = createResponseCommand(ResponseCode.SUCCESS);
        response.body = request.body;
        return response;
      },
    });
    const client = new RemotingClient({ transport: network.host('good-client'), clock, events: new NodeEvents(sink, 'good-client') });
    const fuzzer = network.host('fuzzer');

    const checkGoodClient = async (n: number) => {
      const request = createRequestCommand(RequestCode.HEART_BEAT);
      request.body = utf8.encode(`good ${n}`);
      let body: string | undefined;
      void client.invokeSync(address, request, 1000).then((response) => (body = text.decode(response.body)));
      await clock.runUntil(() => body !== undefined, 1000);
      expect(body).toBe(`good ${n}`);
    };
    await checkGoodClient(0);

    let surelyBad = 0;
    for (let round = 0; round < 300; round++) {
      let connection: Connection | undefined;
      void fuzzer.connect(address).then((c) => (connection = c));
      await clock.runUntil(() => connection !== undefined, 100);
      const conn = connection!;
      const answers: number[] = [];
      const peerCodec = new RemotingCommandCodec();
      let pending: Uint8Array = new Uint8Array(0);
      conn.onData((chunk) => void (pending = concatBytes([pending, chunk])));
      const rejectedBefore = sink.ofKind('remoting.frame.rejected').length;
      const kind = round % 3;
      if (kind === 0) {
        // Good frames, one surely-bad frame, then garbage: the good ones are answered, then the connection closes.
        const goods = Array.from({ length: random.int(4) }, (_, i) => goodFrame(random, 1000 + i));
        const bad = badFrame(random);
        sendChunked(conn, concatBytes([...goods, bad.bytes, randomBytes(random, random.int(50))]), random);
        await clock.advance(20);
        const rejected = sink.ofKind('remoting.frame.rejected').slice(rejectedBefore);
        expect(rejected).toHaveLength(1);
        expect(rejected[0]!.data.remote).toBe(conn.localAddress);
        expect(rejected[0]!.data.reason).toMatch(bad.reason);
        expect(conn.closed).toBe(true);
        expect(sink.ofKind('remoting.connection.closed').at(-1)!.data.remote).toBe(conn.localAddress);
        // Every answer that did arrive is a well-formed frame echoing one of the good opaques.
        for (let at = 0; at + 4 <= pending.length;) {
          const length = new DataView(pending.buffer, pending.byteOffset + at).getInt32(0, false);
          answers.push(peerCodec.decode(pending.subarray(at + 4, at + 4 + length)).opaque);
          at += 4 + length;
        }
        expect(answers.sort()).toEqual(goods.map((_, i) => 1000 + i));
        surelyBad++;
      } else {
        // Random bytes, or good frames with bytes flipped: anything may happen except a crash,
        // and a rejection always closes the connection.
        const stream = kind === 1
          ? randomBytes(random, 1 + random.int(200))
          : concatBytes(Array.from({ length: 1 + random.int(4) }, (_, i) => goodFrame(random, i)));
        if (kind === 2) for (let flips = 1 + random.int(3); flips > 0; flips--) stream[random.int(stream.length)] = random.int(256);
        sendChunked(conn, stream, random);
        await clock.advance(20);
        const rejected = sink.ofKind('remoting.frame.rejected').length > rejectedBefore;
        if (rejected) expect(conn.closed).toBe(true);
      }
      conn.close();
      await clock.advance(5);
      if (round % 25 === 0) await checkGoodClient(round + 1);
    }
    await checkGoodClient(-1);
    expect(surelyBad).toBe(100);
    expect(server.connectionCount).toBe(1); // only the good client is left
    expect(processed).toBeGreaterThan(100);
  });
});
