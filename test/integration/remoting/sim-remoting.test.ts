// RemotingClient and RemotingServer over SimNetwork on a ManualClock: a run is a pure
// function of its seed (same seed, same event log byte for byte; another seed, other
// timings), timeouts happen at exact virtual times, and a client reconnects after the
// server drops it.
import { describe, expect, it } from 'vitest';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { SimNetwork } from '../../../src/platform/sim/sim-network.js';
import { RemotingConnectionClosedError, RemotingTimeoutError } from '../../../src/remoting/errors.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createRequestCommand, createResponseCommand, type RemotingCommand } from '../../../src/remoting/remoting-command.js';
import { RemotingServer } from '../../../src/remoting/remoting-server.js';
import type { RequestContext, RequestProcessor } from '../../../src/remoting/request-processor.js';

const utf8 = new TextEncoder();
const text = new TextDecoder();

async function cluster(seed: number) {
  const clock = new ManualClock();
  const sink = new RecordingSink(clock);
  const network = new SimNetwork({ clock, random: new SeededRandom(seed), latencyMs: { min: 1, max: 25 }, events: new NodeEvents(sink, 'sim') });
  const server = new RemotingServer({ transport: network.host('broker-a'), clock, events: new NodeEvents(sink, 'broker-a') });
  const address = await server.start('broker-a:10911');
  const client = new RemotingClient({ transport: network.host('producer-1'), clock, events: new NodeEvents(sink, 'producer-1') });
  const held: Array<{ ctx: RequestContext; request: RemotingCommand }> = [];
  const echoLater: RequestProcessor = {
    rejectRequest: () => false,
    // Every third request is answered 7 ms later, the rest at once: answers overtake each other.
    processRequest: (_ctx, request) => {
      const response = createResponseCommand(ResponseCode.SUCCESS);
      response.body = request.body;
      if (request.getInt('i') % 3 !== 0) return response;
      return new Promise((resolve) => clock.setTimer(7, () => resolve(response)));
    },
  };
  server.registerProcessor(RequestCode.SEND_MESSAGE_V2, echoLater);
  server.registerProcessor(RequestCode.PULL_MESSAGE, {
    rejectRequest: () => false,
    processRequest: (ctx, request) => {
      held.push({ ctx, request });
      return null;
    },
  });
  return { clock, sink, network, server, client, address, held };
}

/** 60 concurrent sends; returns the bodies in completion order and the recorded events. */
async function run(seed: number) {
  const { clock, sink, client, address } = await cluster(seed);
  const done: string[] = [];
  const calls = Array.from({ length: 60 }, (_, i) => {
    const request = createRequestCommand(RequestCode.SEND_MESSAGE_V2, { i });
    request.body = utf8.encode(`m${i}`);
    return client.invokeSync(address, request, 3000).then((response) => {
      expect(text.decode(response.body)).toBe(`m${i}`);
      done.push(`m${i}`);
    });
  });
  await clock.runUntil(() => done.length === 60, 10_000);
  await Promise.all(calls);
  return { done, events: JSON.stringify(sink.events) };
}

describe('RemotingClient + RemotingServer on SimNetwork', () => {
  it('a run with the same seed twice records an identical event log; another seed changes the timing', async () => {
    const first = await run(7);
    const second = await run(7);
    const other = await run(8);
    expect(second.events).toBe(first.events);
    expect(second.done).toEqual(first.done);
    expect(other.events).not.toBe(first.events);
    expect(new Set(other.done)).toEqual(new Set(first.done)); // every call still completes
    const events = JSON.parse(first.events) as Array<{ kind: string }>;
    expect(events.filter((e) => e.kind === 'remoting.response.received')).toHaveLength(60);
    expect(events.filter((e) => e.kind === 'remoting.request.received')).toHaveLength(60);
  });

  it('invokeSync() on a request that is never answered rejects with RemotingTimeoutError after exactly timeoutMs; a concurrent call succeeds', async () => {
    const { clock, client, address } = await cluster(3);
    const start = clock.now();
    let timedOutAt = -1;
    const silent = client.invokeSync(address, createRequestCommand(RequestCode.PULL_MESSAGE), 2500).catch((error: unknown) => {
      timedOutAt = clock.now();
      return error;
    });
    const answered = createRequestCommand(RequestCode.SEND_MESSAGE_V2, { i: 1 });
    answered.body = utf8.encode('ok');
    const ok = client.invokeSync(address, answered, 2500);
    await clock.advance(2499);
    expect(text.decode((await ok).body)).toBe('ok');
    expect(timedOutAt).toBe(-1);
    await clock.advance(1);
    expect(await silent).toBeInstanceOf(RemotingTimeoutError);
    expect(timedOutAt - start).toBe(2500); // the connect time counts against the call's budget
  });

  it('a server-side close fails the pending calls with RemotingConnectionClosedError; the next call reconnects', async () => {
    const { clock, client, address, held, server, sink } = await cluster(5);
    let failed = false;
    const pending = client.invokeSync(address, createRequestCommand(RequestCode.PULL_MESSAGE), 30_000).catch((e: unknown) => {
      failed = true;
      return e;
    });
    await clock.runUntil(() => held.length === 1, 1000);
    held[0]!.ctx.connection.close(); // the FIN takes one network latency to reach the client
    await clock.runUntil(() => failed, 1000);
    const error = await pending;
    expect(error).toBeInstanceOf(RemotingConnectionClosedError);
    expect(client.isConnected(address)).toBe(false);
    const again = createRequestCommand(RequestCode.SEND_MESSAGE_V2, { i: 2 });
    again.body = utf8.encode('again');
    let answer: RemotingCommand | undefined;
    void client.invokeSync(address, again, 3000).then((response) => (answer = response));
    await clock.runUntil(() => answer !== undefined, 1000);
    expect(text.decode(answer!.body)).toBe('again');
    expect(server.connectionCount).toBe(1);
    const opened = sink.ofKind('remoting.connection.opened').filter((e) => e.node === 'producer-1');
    expect(opened).toHaveLength(2);
    expect(opened[0]!.data.local).not.toBe(opened[1]!.data.local); // a new local port
  });
});
