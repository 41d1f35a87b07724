/**
 * RegisterBrokerBody: what a broker sends the name server every 30 seconds, its topic
 * table (with DataVersion) and its filter servers, as JSON or as a zlib stream.
 *
 * Plain form (the default; the broker's `compressedRegister=false`):
 * ```
 *   {"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{..},"topicConfigTable":{..}}}
 * ```
 *
 * Compressed form (`compressed=true` in the header): a zlib stream (Java's
 * `DeflaterOutputStream`) whose inflated bytes are, big-endian:
 * ```
 *   +--------+----------------------+--------+----------------+------------------+ ... +--------+-----------------+
 *   | int32  | DataVersion JSON     | int32  | int32 len_1    | "TopicA 4 4 6    |     | int32  | filter servers  |
 *   | len_dv | {"counter":..}       | count  |                |  SINGLE_TAG"     |     | len_fs | JSON ["a","b"]  |
 *   +--------+----------------------+--------+----------------+------------------+ ... +--------+-----------------+
 *                                             \______ one per topic: TopicConfig.encode() ______/
 * ```
 * The space-separated topic form has no `topicSysFlag` and no `order`; they read as 0 and false.
 *
 * Inflating needs a zlib implementation. The core is browser-safe and has none of its
 * own, so it uses the web platform's `DecompressionStream('deflate')` (zlib framing), which
 * Node 18+ and every current browser provide; where it is missing, decoding fails with
 * {@link CompressedBodyUnsupportedError} and the name server answers SYSTEM_ERROR.
 *
 * Differences from RocketMQ 4.9.x:
 * - Decoding the compressed form is asynchronous (the web stream API is).
 * - A missing `topicConfigSerializeWrapper` reads as an empty table with DataVersion {0, 0}.
 *
 * @mirrors org.apache.rocketmq.common.protocol.body.RegisterBrokerBody
 * @article namesrv "Registering a broker"
 * @category Common
 * @module
 */
import { concatBytes, decodeUtf8, encodeUtf8, readInt32, writeInt32 } from '../../bytes.js';
import { JsonFormatError, decodeFastjson, encodeFastjson, parseFastjson, writeFastjson } from '../../json/fastjson.js';
import { asObject, optObject, optStringArray } from '../../json/json-fields.js';
import { TopicConfig } from '../../topic/topic-config.js';
import { DataVersion } from './data-version.js';
import { TopicConfigSerializeWrapper } from './topic-config-serialize-wrapper.js';

/** The platform offers no `DecompressionStream`/`CompressionStream`, so a compressed body cannot be handled. */
export class CompressedBodyUnsupportedError extends Error {
  override readonly name: string = 'CompressedBodyUnsupportedError';
}

export class RegisterBrokerBody {
  constructor(
    public topicConfigSerializeWrapper: TopicConfigSerializeWrapper = new TopicConfigSerializeWrapper(),
    public filterServerList: string[] = [],
  ) {}

  /** Read the JSON object form. */
  static fromJson(value: unknown, path = 'RegisterBrokerBody'): RegisterBrokerBody {
    const obj = asObject(value, path);
    const wrapperJson = optObject(obj, 'topicConfigSerializeWrapper', path);
    const wrapper = wrapperJson === undefined
      ? new TopicConfigSerializeWrapper()
      : TopicConfigSerializeWrapper.fromJson(wrapperJson, `${path}.topicConfigSerializeWrapper`);
    return new RegisterBrokerBody(wrapper, optStringArray(obj, 'filterServerList', path) ?? []);
  }

  /** Decode the plain (JSON) body. Throws {@link JsonFormatError} when it is not one. */
  static decode(bytes: Uint8Array): RegisterBrokerBody {
    return RegisterBrokerBody.fromJson(decodeFastjson(bytes, 'RegisterBrokerBody'));
  }

  /** Decode the compressed body (see the module diagram). */
  static async decodeCompressed(bytes: Uint8Array): Promise<RegisterBrokerBody> {
    return RegisterBrokerBody.fromInflated(await inflateZlib(bytes));
  }

  /** Parse the inflated bytes of the compressed form. */
  static fromInflated(data: Uint8Array): RegisterBrokerBody {
    const reader = new InflatedReader(data);
    const dataVersion = DataVersion.fromJson(parseFastjson(reader.chunkText(), 'RegisterBrokerBody.dataVersion'));
    const count = reader.int('topic count');
    const table = new Map<string, TopicConfig>();
    for (let i = 0; i < count; i++) {
      const text = reader.chunkText();
      const config = TopicConfig.decode(text);
      if (config === undefined) throw new JsonFormatError('RegisterBrokerBody (compressed)', `topic ${i} is not "name r w perm filter": "${text}"`);
      table.set(config.topicName, config);
    }
    const servers = parseFastjson(reader.chunkText(), 'RegisterBrokerBody.filterServerList');
    const filterServerList = optStringArray({ list: servers }, 'list', 'RegisterBrokerBody.filterServerList') ?? [];
    return new RegisterBrokerBody(new TopicConfigSerializeWrapper(table, dataVersion), filterServerList);
  }

  /** The plain body bytes. */
  encode(): Uint8Array {
    return encodeFastjson(this);
  }

  /** The compressed body bytes (what a broker with `compressedRegister=true` sends). */
  async encodeCompressed(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    const addChunk = (bytes: Uint8Array): void => {
      chunks.push(int32Bytes(bytes.length), bytes);
    };
    const wrapper = this.topicConfigSerializeWrapper;
    addChunk(wrapper.dataVersion.encode());
    chunks.push(int32Bytes(wrapper.topicConfigTable.size));
    for (const config of wrapper.topicConfigTable.values()) addChunk(encodeUtf8(config.encode()));
    addChunk(encodeUtf8(writeFastjson(this.filterServerList)));
    return deflateZlib(concatBytes(chunks));
  }
}

function int32Bytes(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  writeInt32(bytes, 0, value);
  return bytes;
}

/** Reads `int32 length + bytes` chunks from the inflated form, failing clearly on truncation. */
class InflatedReader {
  private at = 0;
  constructor(private readonly data: Uint8Array) {}

  int(what: string): number {
    if (this.at + 4 > this.data.length) throw new JsonFormatError('RegisterBrokerBody (compressed)', `truncated before the ${what}`);
    const value = readInt32(this.data, this.at);
    this.at += 4;
    if (value < 0) throw new JsonFormatError('RegisterBrokerBody (compressed)', `negative ${what}: ${value}`);
    return value;
  }

  chunkText(): string {
    const length = this.int('chunk length');
    if (this.at + length > this.data.length) throw new JsonFormatError('RegisterBrokerBody (compressed)', `chunk of ${length} bytes is truncated`);
    const text = decodeUtf8(this.data, this.at, this.at + length);
    this.at += length;
    return text;
  }
}

interface WebTransformStream {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
}
type WebTransformCtor = new (format: 'deflate') => WebTransformStream;

/** Inflate a zlib stream (RFC 1950, what Java's `Deflater` writes) with the web `DecompressionStream`. */
export function inflateZlib(data: Uint8Array): Promise<Uint8Array> {
  return pipeThrough('DecompressionStream', data);
}

/** Deflate to a zlib stream with the web `CompressionStream`. */
export function deflateZlib(data: Uint8Array): Promise<Uint8Array> {
  return pipeThrough('CompressionStream', data);
}

async function pipeThrough(kind: 'DecompressionStream' | 'CompressionStream', data: Uint8Array): Promise<Uint8Array> {
  const Ctor = (globalThis as Record<string, unknown>)[kind] as WebTransformCtor | undefined;
  if (typeof Ctor !== 'function') throw new CompressedBodyUnsupportedError(`this platform has no ${kind}; compressed register bodies are not supported`);
  const stream = new Ctor('deflate');
  const writer = stream.writable.getWriter();
  // Errors surface on the read side too; swallowing them here avoids an unhandled rejection.
  writer.write(data).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
  } catch (error) {
    throw new JsonFormatError('RegisterBrokerBody (compressed)', `not a zlib stream (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  return concatBytes(chunks);
}
