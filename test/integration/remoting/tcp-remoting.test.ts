// RemotingClient and RemotingServer over real TCP on 127.0.0.1.
//
// Goal: under load on one connection, every response reaches its own caller and the
// server batches its writes. Method: 10,000 requests with 256 in flight; the processor
// answers every 7th one after a real 0-5 ms timer, so answers overtake each other. Real
// time is fine here because this test is about real sockets; it takes well under a second.
import { afterEach, describe, expect, it } from 'vitest';
import { NodeEvents, NOOP_SINK } from '../../../src/events/event-sink.js';
import type { Clock, TimerHandle } from '../../../src/platform/clock.js';
import { TcpTransport } from '../../../src/platform/node/tcp-transport.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createRequestCommand, createResponseCommand } from '../../../src/remoting/remoting-command.js';
import { RemotingServer } from '../../../src/remoting/remoting-server.js';

/** The wall clock, for this real-socket test only. */
const wallClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const t = setTimeout(fn, delayMs);
    return { cancel: () => clearTimeout(t) };
  },
};

const ECHO_CODE = 9001;
const utf8 = new TextEncoder();
const text = new TextDecoder();

describe('RemotingServer + RemotingClient over TcpTransport', () => {
  const transports: TcpTransport[] = [];
  afterEach(() => {
    for (const t of transports.splice(0)) t.destroyAll();
  });

  it('10,000 requests with 256 in flight on one connection all reach their callers; the server writes in batches', async () => {
    const serverTransport = new TcpTransport();
    const clientTransport = new TcpTransport();
    transports.push(serverTransport, clientTransport);
    const server = new RemotingServer({ transport: serverTransport, clock: wallClock, events: new NodeEvents(NOOP_SINK, 'broker') });
    server.registerProcessor(ECHO_CODE, {
      rejectRequest: () => false,
      processRequest: (_ctx, request) => {
        const response = createResponseCommand(0, request.getString('i'));
        response.body = request.body;
        if (request.getInt('i') % 7 !== 0) return response;
        return new Promise((resolve) => setTimeout(() => resolve(response), request.getInt('i') % 6));
      },
    });
    const address = await server.start('127.0.0.1:0');
    const client = new RemotingClient({ transport: clientTransport, clock: wallClock, events: new NodeEvents(NOOP_SINK, 'client') });

    const total = 10_000;
    let next = 0;
    let matched = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const i = next++;
        const request = createRequestCommand(ECHO_CODE, { i });
        request.body = utf8.encode(`body-${i}`);
        const response = await client.invokeSync(address, request, 10_000);
        expect(response.opaque).toBe(request.opaque);
        expect(response.remark).toBe(String(i));
        expect(text.decode(response.body)).toBe(`body-${i}`);
        matched++;
      }
    };
    await Promise.all(Array.from({ length: 256 }, worker));

    expect(matched).toBe(total);
    expect(serverTransport.stats.connectionsAccepted).toBe(1);
    console.log(`server socket writes for ${total} responses: ${serverTransport.stats.writes}; client writes: ${clientTransport.stats.writes}`);
    expect(serverTransport.stats.writes).toBeLessThan(5000);
    await server.shutdown();
    client.shutdown();
  });
});
