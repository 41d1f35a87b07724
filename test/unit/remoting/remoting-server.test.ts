// RemotingServer: the generic answers (3, 2, 1), one-way silence, concurrency with
// out-of-order answers, one write per burst, per-connection rejection of malformed frames,
// and calls from the server back to a client. Runs on the in-memory FakeTransport and a
// ManualClock; raw peers speak bytes through the real codec.
import { describe, expect, it } from 'vitest';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import type { Connection } from '../../../src/platform/transport.js';
import { RemotingSendRequestError } from '../../../src/remoting/errors.js';
import { FrameDecoder } from '../../../src/remoting/frame-decoder.js';
import { REJECT_REQUEST_REMARK } from '../../../src/remoting/remoting-abstract.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { RemotingCommandCodec } from '../../../src/remoting/remoting-command-codec.js';
import { RemotingCommand, createRequestCommand, createResponseCommand, isResponse, markOneway } from '../../../src/remoting/remoting-command.js';
import { RemotingServer } from '../../../src/remoting/remoting-server.js';
import type { RequestContext, RequestProcessor } from '../../../src/remoting/request-processor.js';
import { FakeTransport, type FakeConnection } from './fake-transport.js';

const utf8 = new TextEncoder();
const text = new TextDecoder();

function processor(fn: RequestProcessor['processRequest'], reject = false): RequestProcessor {
  return { processRequest: fn, rejectRequest: () => reject };
}

/** Echo the request body back with SUCCESS. */
const echo = processor((_ctx, request) => {
  const response = createResponseCommand(ResponseCode.SUCCESS);
  response.body = request.body;
  return response;
});

/** A peer that speaks raw frames: what it receives is decoded with the real codec. */
function rawPeer(connection: Connection) {
  const codec = new RemotingCommandCodec();
  const received: RemotingCommand[] = [];
  const decoder = new FrameDecoder((frame) => received.push(codec.decode(frame)));
  connection.onData((chunk) => decoder.push(chunk));
  return {
    received,
    send(...commands: RemotingCommand[]): void {
      connection.sendMany(commands.map((c) => codec.encode(c)));
    },
    sendBytes(bytes: Uint8Array): void {
      connection.send(bytes);
    },
  };
}

function request(code: number, opaque: number, body?: string): RemotingCommand {
  const c = createRequestCommand(code);
  c.opaque = opaque;
  if (body !== undefined) c.body = utf8.encode(body);
  return c;
}

async function setup() {
  const clock = new ManualClock();
  const transport = new FakeTransport();
  const sink = new RecordingSink(clock);
  const server = new RemotingServer({ transport, clock, events: new NodeEvents(sink, 'broker') });
  const address = await server.start('broker:0');
  const connect = async () => {
    const connection = await transport.connect(address);
    return { connection: connection as FakeConnection, peer: rawPeer(connection) };
  };
  return { clock, transport, sink, server, address, connect };
}

describe('RemotingServer', () => {
  it('start() resolves to the bound address; a request with no processor gets REQUEST_CODE_NOT_SUPPORTED with Java\'s remark', async () => {
    const { clock, connect, address } = await setup();
    expect(address).toBe('broker:40000');
    const { peer } = await connect();
    peer.send(request(999, 17));
    await clock.settle();
    expect(peer.received).toHaveLength(1);
    const response = peer.received[0]!;
    expect([response.code, response.remark, response.opaque, isResponse(response)]).toEqual([3, ' request type 999 not supported', 17, true]);
    expect(response.version).toBe(293);
  });

  it('registerProcessor(): a processor that throws yields SYSTEM_ERROR with the error text, and the connection stays open', async () => {
    const { clock, server, connect } = await setup();
    server.registerProcessor(RequestCode.GET_MAX_OFFSET, processor((_ctx, req) => {
      req.getInt('queueId'); // missing: throws a RemotingCommandError naming the field
      return createResponseCommand(0);
    }));
    server.registerProcessor(RequestCode.SEND_MESSAGE, processor(() => {
      throw new Error('boom');
    }));
    server.registerProcessor(RequestCode.PULL_MESSAGE, processor(async () => {
      throw new TypeError('async boom');
    }));
    server.registerProcessor(RequestCode.HEART_BEAT, echo);
    const { peer, connection } = await connect();
    peer.send(request(RequestCode.GET_MAX_OFFSET, 1), request(RequestCode.SEND_MESSAGE, 2), request(RequestCode.PULL_MESSAGE, 3), request(RequestCode.HEART_BEAT, 4, 'ok'));
    await clock.settle();
    const byOpaque = new Map(peer.received.map((r) => [r.opaque, r]));
    expect(byOpaque.get(1)?.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(byOpaque.get(1)?.remark).toBe('RemotingCommandError: the custom header field "queueId" is missing');
    expect([byOpaque.get(2)?.code, byOpaque.get(2)?.remark]).toEqual([1, 'Error: boom']);
    expect([byOpaque.get(3)?.code, byOpaque.get(3)?.remark]).toEqual([1, 'TypeError: async boom']);
    expect(text.decode(byOpaque.get(4)?.body)).toBe('ok');
    expect(connection.closed).toBe(false);
  });

  it('a response too large to encode (header over 16 MiB) becomes a short SYSTEM_ERROR; the server keeps serving', async () => {
    const { clock, server, connect } = await setup();
    server.registerProcessor(RequestCode.GET_MAX_OFFSET, processor(() => createResponseCommand(ResponseCode.TOPIC_NOT_EXIST, 'x'.repeat(17 * 1024 * 1024))));
    server.registerProcessor(RequestCode.HEART_BEAT, echo);
    const { peer, connection } = await connect();
    peer.send(request(RequestCode.GET_MAX_OFFSET, 1), request(RequestCode.HEART_BEAT, 2, 'still here'));
    await clock.settle();
    const byOpaque = new Map(peer.received.map((r) => [r.opaque, r]));
    expect(byOpaque.get(1)?.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(byOpaque.get(1)?.remark).toMatch(/^the response to request code 30 could not be encoded: /);
    expect(byOpaque.get(1)!.remark!.length).toBeLessThanOrEqual(512);
    expect(text.decode(byOpaque.get(2)?.body)).toBe('still here');
    expect(connection.closed).toBe(false);
  });

  it('rejectRequest() true yields SYSTEM_BUSY with the [REJECTREQUEST] remark and the processor is not called', async () => {
    const { clock, server, connect } = await setup();
    let called = 0;
    server.registerDefaultProcessor(processor(() => {
      called++;
      return createResponseCommand(0);
    }, true));
    const { peer } = await connect();
    peer.send(request(RequestCode.SEND_MESSAGE_V2, 9));
    await clock.settle();
    expect([peer.received[0]?.code, peer.received[0]?.remark, called]).toEqual([2, REJECT_REQUEST_REMARK, 0]);
    expect(REJECT_REQUEST_REMARK).toBe('[REJECTREQUEST]system busy, start flow control for a while');
  });

  it('a ONEWAY request is processed but never answered, not even for an unknown code', async () => {
    const { clock, server, connect } = await setup();
    const seen: number[] = [];
    server.registerProcessor(RequestCode.UPDATE_CONSUMER_OFFSET, processor((_ctx, req) => {
      seen.push(req.opaque);
      return createResponseCommand(0);
    }));
    const { peer } = await connect();
    peer.send(markOneway(request(RequestCode.UPDATE_CONSUMER_OFFSET, 5)), markOneway(request(12345, 6)), request(RequestCode.UPDATE_CONSUMER_OFFSET, 7));
    await clock.settle();
    expect(seen).toEqual([5, 7]);
    expect(peer.received.map((r) => r.opaque)).toEqual([7]);
  });

  it('answers every synchronous response of one read with a single write (sendMany)', async () => {
    const { clock, server, connect, transport } = await setup();
    server.registerProcessor(RequestCode.HEART_BEAT, echo);
    const { peer } = await connect();
    const burst = Array.from({ length: 50 }, (_, i) => request(RequestCode.HEART_BEAT, i, `b${i}`));
    peer.send(...burst);
    await clock.settle();
    const serverEnd = transport.connections[1]!;
    expect(serverEnd.writes).toBe(1);
    expect(peer.received.map((r) => text.decode(r.body))).toEqual(burst.map((_, i) => `b${i}`));
  });

  it('processes requests concurrently: late async answers go out in completion order and match by opaque', async () => {
    const { clock, server, transport, address } = await setup();
    server.registerProcessor(RequestCode.PULL_MESSAGE, processor((_ctx, req) => new Promise((resolve) => {
      clock.setTimer(req.getInt('delay'), () => {
        const response = createResponseCommand(0);
        response.body = req.body;
        resolve(response);
      });
    })));
    const client = new RemotingClient({ transport, clock, events: new NodeEvents(new RecordingSink(clock), 'client') });
    const delays = [30, 10, 20, 0];
    const order: number[] = [];
    const calls = delays.map((delay) => {
      const req = createRequestCommand(RequestCode.PULL_MESSAGE, { delay });
      req.body = utf8.encode(`d${delay}`);
      return client.invokeSync(address, req, 1000).then((response) => {
        order.push(delay);
        return text.decode(response.body);
      });
    });
    await clock.advance(50);
    expect(await Promise.all(calls)).toEqual(['d30', 'd10', 'd20', 'd0']);
    expect(order).toEqual([0, 10, 20, 30]);
  });

  it('a response mirrors the serialize type of its request (ROCKETMQ in, ROCKETMQ out)', async () => {
    const { clock, server, connect } = await setup();
    server.registerProcessor(RequestCode.HEART_BEAT, echo);
    const { peer } = await connect();
    const binary = request(RequestCode.HEART_BEAT, 3, 'x');
    binary.serializeType = 'ROCKETMQ';
    peer.send(binary, request(RequestCode.HEART_BEAT, 4, 'y'));
    await clock.settle();
    expect(peer.received.map((r) => [r.opaque, r.serializeType])).toEqual([[3, 'ROCKETMQ'], [4, 'JSON']]);
  });

  it('a malformed frame closes that connection only, with frame.rejected and connection.closed events', async () => {
    const { clock, server, connect, sink } = await setup();
    server.registerProcessor(RequestCode.HEART_BEAT, echo);
    const bad = await connect();
    const good = await connect();
    bad.peer.send(request(RequestCode.HEART_BEAT, 1, 'before'));
    bad.peer.sendBytes(new Uint8Array([0, 0, 0, 8, 0, 0, 0, 4, 0x7b, 0x22, 0x7d, 0x7d])); // header `{"}}` is not JSON
    await clock.settle();
    expect(bad.connection.closed).toBe(true);
    expect(bad.peer.received.map((r) => r.opaque)).toEqual([1]); // the good frame before it was answered
    const rejected = sink.ofKind('remoting.frame.rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.data.reason).toBe('header is not valid JSON');
    const closed = sink.ofKind('remoting.connection.closed');
    expect(closed.map((e) => e.data.reason)).toEqual(['malformed frame: header is not valid JSON']);
    expect(server.connectionCount).toBe(1);
    good.peer.send(request(RequestCode.HEART_BEAT, 2, 'after'));
    await clock.settle();
    expect(good.peer.received.map((r) => text.decode(r.body))).toEqual(['after']);
  });

  it('RequestContext.writeResponse() answers a held request later (long polling)', async () => {
    const { clock, server, connect } = await setup();
    server.registerProcessor(RequestCode.PULL_MESSAGE, processor((ctx, req) => {
      clock.setTimer(5000, () => ctx.writeResponse(req, createResponseCommand(ResponseCode.PULL_NOT_FOUND, 'NO_NEW_MSG')));
      return null;
    }));
    const { peer } = await connect();
    peer.send(request(RequestCode.PULL_MESSAGE, 41));
    await clock.advance(4999);
    expect(peer.received).toHaveLength(0);
    await clock.advance(1);
    expect(peer.received.map((r) => [r.opaque, r.code, r.remark])).toEqual([[41, 19, 'NO_NEW_MSG']]);
  });

  it('invokeOneway()/invokeSync() send requests to a connected client over its own connection', async () => {
    const { clock, server, transport, address } = await setup();
    let clientConnection: Connection | undefined;
    server.registerProcessor(RequestCode.HEART_BEAT, processor((ctx) => {
      clientConnection = ctx.connection;
      return createResponseCommand(0);
    }));
    const client = new RemotingClient({ transport, clock, events: new NodeEvents(new RecordingSink(clock), 'consumer') });
    const notified: string[] = [];
    client.registerProcessor(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, processor((_ctx, req) => {
      notified.push(req.getString('consumerGroup'));
      return null;
    }));
    client.registerProcessor(RequestCode.GET_CONSUMER_RUNNING_INFO, processor(() => createResponseCommand(0, 'running')));
    await client.invokeSync(address, createRequestCommand(RequestCode.HEART_BEAT), 1000);
    server.invokeOneway(clientConnection!, createRequestCommand(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, { consumerGroup: 'g1' }));
    const info = await server.invokeSync(clientConnection!, createRequestCommand(RequestCode.GET_CONSUMER_RUNNING_INFO), 1000);
    await clock.settle();
    expect(notified).toEqual(['g1']);
    expect(info.remark).toBe('running');
  });

  it('onConnectionClosed() listeners learn which connection closed; invoking on it afterwards fails typed', async () => {
    const { clock, server, connect } = await setup();
    const closed: Array<[string, string]> = [];
    server.onConnectionClosed((ctx: RequestContext, reason) => closed.push([ctx.remoteAddress, reason]));
    let serverSide: Connection | undefined;
    server.registerDefaultProcessor(processor((ctx) => {
      serverSide = ctx.connection;
      return null;
    }));
    const { connection, peer } = await connect();
    peer.send(request(1, 1));
    await clock.settle();
    connection.close();
    await clock.settle();
    expect(closed).toEqual([[connection.localAddress, 'closed by peer']]);
    expect(() => server.invokeOneway(serverSide!, createRequestCommand(40))).toThrow(RemotingSendRequestError);
    await expect(server.invokeSync(serverSide!, createRequestCommand(307), 100)).rejects.toBeInstanceOf(RemotingSendRequestError);
  });

  it('RequestContext.close(reason) closes the connection and reports that reason to listeners and events', async () => {
    const { clock, server, connect, sink } = await setup();
    const reasons: string[] = [];
    server.onConnectionClosed((_ctx, reason) => reasons.push(reason));
    server.registerDefaultProcessor(processor((ctx) => {
      ctx.close('kicked by test');
      return createResponseCommand(0);
    }));
    const { connection, peer } = await connect();
    peer.send(request(1, 1), request(1, 2));
    await clock.settle();
    expect([connection.closed, peer.received.length]).toEqual([true, 0]);
    expect(reasons).toEqual(['kicked by test']);
    expect(sink.ofKind('remoting.connection.closed').map((e) => e.data.reason)).toEqual(['kicked by test']);
  });

  it('registerRPCHook(): a before hook that throws yields SYSTEM_ERROR; the after hook sees the response', async () => {
    const { clock, server, connect } = await setup();
    const after: Array<[number, number | undefined]> = [];
    server.registerRPCHook({
      doBeforeRequest: (_addr, req) => {
        if (req.optString('AccessKey') !== 'ak') throw new Error('No accessKey is configured');
      },
      doAfterResponse: (_addr, req, res) => void after.push([req.opaque, res?.code]),
    });
    server.registerProcessor(RequestCode.HEART_BEAT, echo);
    const { peer } = await connect();
    const signed = request(RequestCode.HEART_BEAT, 2);
    signed.setExtField('AccessKey', 'ak');
    peer.send(request(RequestCode.HEART_BEAT, 1), signed);
    await clock.settle();
    expect(peer.received.map((r) => [r.opaque, r.code, r.remark])).toEqual([[1, 1, 'Error: No accessKey is configured'], [2, 0, undefined]]);
    expect(after).toEqual([[2, 0]]);
  });

  it('emits request.received and response.sent with the rpc envelope { opaque, code name, side }', async () => {
    const { clock, server, connect, sink } = await setup();
    server.registerProcessor(RequestCode.HEART_BEAT, echo);
    const { peer } = await connect();
    peer.send(request(RequestCode.HEART_BEAT, 8, '{}'));
    await clock.settle();
    const kinds = sink.events.map((e) => [e.kind, e.rpc]);
    expect(kinds).toEqual([
      ['remoting.connection.opened', undefined],
      ['remoting.request.received', { opaque: 8, code: 'HEART_BEAT', side: 'server' }],
      ['remoting.response.sent', { opaque: 8, code: 'HEART_BEAT', side: 'server' }],
    ]);
    expect(sink.ofKind('remoting.request.received')[0]!.data).toEqual({ from: 'client:40001', code: 34, oneway: false, bodyLength: 2 });
  });

  it('shutdown() closes every connection with reason "shutdown"', async () => {
    const { clock, server, connect, sink } = await setup();
    const a = await connect();
    const b = await connect();
    await server.shutdown();
    await clock.settle();
    expect([a.connection.closed, b.connection.closed, server.connectionCount]).toEqual([true, true, 0]);
    expect(sink.ofKind('remoting.connection.closed').map((e) => e.data.reason)).toEqual(['shutdown', 'shutdown']);
  });
});
