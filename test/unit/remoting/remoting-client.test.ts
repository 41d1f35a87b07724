// RemotingClient: one lazily opened connection per address, exact per-call timeouts on a
// ManualClock, typed failures on close and on connect, reconnect after a close, the
// async/one-way permits, hooks, and the events of a call.
import { describe, expect, it } from 'vitest';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import type { Connection, Transport } from '../../../src/platform/transport.js';
import {
  RemotingConnectError,
  RemotingConnectionClosedError,
  RemotingTimeoutError,
  RemotingTooMuchRequestError,
} from '../../../src/remoting/errors.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import type { RemotingClientConfig } from '../../../src/remoting/remoting-config.js';
import { createRequestCommand, createResponseCommand, isOneway, type RemotingCommand } from '../../../src/remoting/remoting-command.js';
import { RemotingServer } from '../../../src/remoting/remoting-server.js';
import type { RequestContext, RequestProcessor } from '../../../src/remoting/request-processor.js';
import { FakeTransport } from './fake-transport.js';

function processor(fn: RequestProcessor['processRequest']): RequestProcessor {
  return { processRequest: fn, rejectRequest: () => false };
}

async function setup(config: Partial<RemotingClientConfig> = {}) {
  const clock = new ManualClock();
  const transport = new FakeTransport();
  const sink = new RecordingSink(clock);
  const server = new RemotingServer({ transport, clock, events: new NodeEvents(sink, 'broker') });
  const address = await server.start('broker:10911');
  const client = new RemotingClient({ transport, clock, events: new NodeEvents(sink, 'producer'), config });
  const held: Array<{ ctx: RequestContext; request: RemotingCommand }> = [];
  server.registerProcessor(RequestCode.HEART_BEAT, processor((_ctx, req) => createResponseCommand(ResponseCode.SUCCESS, `pong ${req.optString('n') ?? ''}`)));
  // PULL_MESSAGE is never answered by itself: the test decides when (or whether) to answer.
  server.registerProcessor(RequestCode.PULL_MESSAGE, processor((ctx, request) => {
    held.push({ ctx, request });
    return null;
  }));
  return { clock, transport, sink, server, address, client, held };
}

function heartbeat(n: number | string = ''): RemotingCommand {
  return createRequestCommand(RequestCode.HEART_BEAT, { n });
}

describe('RemotingClient', () => {
  it('invokeSync() opens one connection per address lazily and reuses it for every call', async () => {
    const { client, address, transport, clock } = await setup();
    expect(client.isConnected(address)).toBe(false);
    const responses = await Promise.all([1, 2, 3].map((n) => client.invokeSync(address, heartbeat(n), 1000)));
    expect(responses.map((r) => r.remark)).toEqual(['pong 1', 'pong 2', 'pong 3']);
    await client.invokeSync(address, heartbeat(4), 1000);
    expect(transport.connections).toHaveLength(2); // one client end + one server end
    expect(client.isConnected(address)).toBe(true);
    expect(clock.pendingTimers).toBe(0); // every timeout timer was cancelled
  });

  it('invokeSync() assigns opaques from a per-client counter starting at 0', async () => {
    const { client, address } = await setup();
    const a = heartbeat();
    const b = heartbeat();
    await client.invokeSync(address, a, 1000);
    await client.invokeSync(address, b, 1000);
    expect([a.opaque, b.opaque]).toEqual([0, 1]);
    const other = new RemotingClient({ transport: new FakeTransport(), clock: new ManualClock(), events: new NodeEvents(new RecordingSink(new ManualClock()), 'x') });
    expect(other.pendingRequestCount).toBe(0); // a second client has its own table and counter
  });

  it('invokeSync() rejects only the unanswered call with RemotingTimeoutError after exactly timeoutMs', async () => {
    const { client, address, clock, sink } = await setup();
    await client.invokeSync(address, heartbeat(), 1000); // connect first
    const start = clock.now();
    let failedAt = -1;
    const slow = client.invokeSync(address, createRequestCommand(RequestCode.PULL_MESSAGE), 3000).catch((error: unknown) => {
      failedAt = clock.now();
      return error;
    });
    const fast = client.invokeSync(address, heartbeat('fast'), 3000);
    await clock.advance(2999);
    expect(failedAt).toBe(-1);
    expect((await fast).remark).toBe('pong fast');
    await clock.advance(1);
    const error = await slow;
    expect(error).toBeInstanceOf(RemotingTimeoutError);
    expect(failedAt - start).toBe(3000);
    expect((error as Error).message).toBe('wait response on the channel <broker:10911> timeout, 3000(ms)');
    expect(sink.ofKind('remoting.request.timed-out').map((e) => [e.data.timeoutMs, e.rpc?.code])).toEqual([[3000, 'PULL_MESSAGE']]);
    expect(client.isConnected(address)).toBe(true);
  });

  it('a response that arrives after its timeout is dropped with a remoting.response.dropped event', async () => {
    const { client, address, clock, sink, held } = await setup();
    const call = client.invokeSync(address, createRequestCommand(RequestCode.PULL_MESSAGE), 100).catch((e: unknown) => e);
    await clock.advance(100);
    expect(await call).toBeInstanceOf(RemotingTimeoutError);
    held[0]!.ctx.writeResponse(held[0]!.request, createResponseCommand(0));
    await clock.settle();
    expect(sink.ofKind('remoting.response.dropped').map((e) => e.data.opaque)).toEqual([held[0]!.request.opaque]);
  });

  it('a closed connection fails its pending calls with RemotingConnectionClosedError; the next call reconnects', async () => {
    const { client, address, clock, held, transport, server } = await setup();
    const pending = [1, 2].map(() => client.invokeSync(address, createRequestCommand(RequestCode.PULL_MESSAGE), 30_000).catch((e: unknown) => e));
    await clock.settle();
    expect(held).toHaveLength(2);
    held[0]!.ctx.connection.close(); // the broker drops the client
    await clock.settle();
    for (const error of await Promise.all(pending)) {
      expect(error).toBeInstanceOf(RemotingConnectionClosedError);
      expect((error as RemotingConnectionClosedError).reason).toBe('closed by peer');
    }
    expect(client.pendingRequestCount).toBe(0);
    expect(client.isConnected(address)).toBe(false);
    expect((await client.invokeSync(address, heartbeat('again'), 1000)).remark).toBe('pong again');
    expect(transport.connections).toHaveLength(4); // a second connection was opened
    expect(server.connectionCount).toBe(1);
  });

  it('invokeSync() to an address nobody listens on rejects with RemotingConnectError and leaves no table entry', async () => {
    const { client } = await setup();
    const error = await client.invokeSync('nowhere:1', heartbeat(), 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemotingConnectError);
    expect((error as RemotingConnectError).cause).toBeInstanceOf(Error);
    expect(client.isConnected('nowhere:1')).toBe(false);
  });

  it('a connect that takes longer than connectTimeoutMillis fails with RemotingConnectError on the clock', async () => {
    const clock = new ManualClock();
    const hanging: Transport = {
      listen: () => Promise.reject(new Error('unused')),
      connect: () => new Promise<Connection>(() => {}),
    };
    const client = new RemotingClient({ transport: hanging, clock, events: new NodeEvents(new RecordingSink(clock), 'c'), config: { connectTimeoutMillis: 500 } });
    const call = client.invokeSync('slow:1', heartbeat(), 10_000).catch((e: unknown) => e);
    await clock.advance(500);
    const error = await call;
    expect(error).toBeInstanceOf(RemotingConnectError);
    expect((error as Error).message).toBe('connect to slow:1 failed: not connected after 500 ms');
    expect(clock.pendingTimers).toBe(0);
  });

  it('invokeAsync() calls the callback and holds an async permit; with none left it fails with RemotingTooMuchRequestError', async () => {
    const { client, address, clock, held } = await setup({ clientAsyncSemaphoreValue: 2 });
    await client.invokeSync(address, heartbeat(), 1000);
    const outcomes: Array<[string | undefined, string | undefined]> = [];
    const record = (error: Error | undefined, response: RemotingCommand | undefined) => void outcomes.push([error?.name, response?.remark]);
    void client.invokeAsync(address, createRequestCommand(RequestCode.PULL_MESSAGE), 1000, record);
    void client.invokeAsync(address, createRequestCommand(RequestCode.PULL_MESSAGE), 1000, record);
    const third = await client.invokeAsync(address, heartbeat(), 1000).catch((e: unknown) => e);
    expect(third).toBeInstanceOf(RemotingTooMuchRequestError);
    await clock.settle();
    held[0]!.ctx.writeResponse(held[0]!.request, createResponseCommand(0, 'held answer'));
    await clock.settle();
    expect(outcomes).toEqual([[undefined, 'held answer']]);
    // One permit is back: another async call goes through.
    expect((await client.invokeAsync(address, heartbeat('x'), 1000)).remark).toBe('pong x');
    await clock.advance(1000);
    expect(outcomes).toEqual([[undefined, 'held answer'], ['RemotingTimeoutError', undefined]]);
  });

  it('invokeOneway() sets the ONEWAY bit, gets no answer, and returns its permit once written', async () => {
    const { client, address, clock, server } = await setup({ clientOnewaySemaphoreValue: 1 });
    const seen: boolean[] = [];
    server.registerProcessor(RequestCode.UPDATE_CONSUMER_OFFSET, processor((_ctx, req) => {
      seen.push(isOneway(req));
      return createResponseCommand(0);
    }));
    await client.invokeSync(address, heartbeat(), 1000); // connect first
    // Two one-way calls in the same turn: the first holds the only permit until its bytes are flushed.
    const first = client.invokeOneway(address, createRequestCommand(RequestCode.UPDATE_CONSUMER_OFFSET), 1000);
    const tooMany = client.invokeOneway(address, createRequestCommand(RequestCode.UPDATE_CONSUMER_OFFSET), 1000).catch((e: unknown) => e);
    await first;
    expect(await tooMany).toBeInstanceOf(RemotingTooMuchRequestError);
    await clock.settle();
    await client.invokeOneway(address, createRequestCommand(RequestCode.UPDATE_CONSUMER_OFFSET), 1000);
    await clock.settle();
    expect(seen).toEqual([true, true]);
    expect(client.pendingRequestCount).toBe(0);
  });

  it('registerRPCHook(): the before hook can add extFields the server sees; the after hook sees the response', async () => {
    const { client, address } = await setup();
    const after: string[] = [];
    client.registerRPCHook({
      doBeforeRequest: (_addr, req) => void req.setExtField('n', 'signed'),
      doAfterResponse: (addr, _req, res) => void after.push(`${addr} ${res?.remark}`),
    });
    const response = await client.invokeSync(address, createRequestCommand(RequestCode.HEART_BEAT), 1000);
    expect(response.remark).toBe('pong signed');
    expect(after).toEqual(['broker:10911 pong signed']);
  });

  it('clientCloseSocketIfTimeout closes the connection when a sync call times out, failing its neighbours', async () => {
    const { client, address, clock } = await setup({ clientCloseSocketIfTimeout: true });
    const a = client.invokeSync(address, createRequestCommand(RequestCode.PULL_MESSAGE), 100).catch((e: unknown) => e);
    const b = client.invokeSync(address, createRequestCommand(RequestCode.PULL_MESSAGE), 5000).catch((e: unknown) => e);
    await clock.advance(100);
    expect(await a).toBeInstanceOf(RemotingTimeoutError);
    expect(await b).toBeInstanceOf(RemotingConnectionClosedError);
    expect(client.isConnected(address)).toBe(false);
  });

  it('emits request.sent and response.received with the client-side rpc envelope', async () => {
    const { client, address, sink } = await setup();
    await client.invokeSync(address, heartbeat(), 1000);
    const clientEvents = sink.events.filter((e) => e.node === 'producer').map((e) => [e.kind, e.rpc?.side, e.rpc?.code]);
    expect(clientEvents).toEqual([
      ['remoting.connection.opened', undefined, undefined],
      ['remoting.request.sent', 'client', 'HEART_BEAT'],
      ['remoting.response.received', 'client', 'HEART_BEAT'],
    ]);
    expect(sink.ofKind('remoting.request.sent')[0]!.data).toEqual({ to: 'broker:10911', code: 34, oneway: false, bodyLength: 0, timeoutMs: 1000 });
  });

  it('shutdown() closes every connection and later calls fail with RemotingConnectError', async () => {
    const { client, address, clock } = await setup();
    const pending = client.invokeSync(address, createRequestCommand(RequestCode.PULL_MESSAGE), 5000).catch((e: unknown) => e);
    await clock.settle();
    client.shutdown();
    expect(await pending).toBeInstanceOf(RemotingConnectionClosedError);
    expect(await client.invokeSync(address, heartbeat(), 1000).catch((e: unknown) => e)).toBeInstanceOf(RemotingConnectError);
  });
});
