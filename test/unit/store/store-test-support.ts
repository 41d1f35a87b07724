// Shared helpers for the store unit tests: a FileSystem that counts handle calls, a
// message builder, and a recording event sink bound to one node.
import { RecordingSink, NodeEvents } from '../../../src/events/event-sink.js';
import type { Clock } from '../../../src/platform/clock.js';
import type { DiskSpace, FileHandle, FileSystem, OpenMode } from '../../../src/platform/storage.js';
import { MessageExtBrokerInner } from '../../../src/common/message/message-ext.js';
import { messageProperties2String } from '../../../src/common/message/message-properties.js';
import { MessageConst } from '../../../src/common/message/message-const.js';
import { encodeUtf8 } from '../../../src/common/bytes.js';

/** How often each FileHandle method was called, over every handle of a CountingFileSystem. */
export interface HandleCounts {
  write: number;
  flush: number;
  flushAsync: number;
  truncate: number;
}

/** Wraps a FileSystem; every handle it opens counts its calls into `counts`. */
export class CountingFileSystem implements FileSystem {
  readonly counts: HandleCounts = { write: 0, flush: 0, flushAsync: 0, truncate: 0 };
  /** Paths (as given) of every write, in order. */
  readonly writes: Array<{ path: string; position: number; length: number }> = [];

  constructor(readonly inner: FileSystem) {}

  reset(): void {
    this.counts.write = this.counts.flush = this.counts.flushAsync = this.counts.truncate = 0;
    this.writes.length = 0;
  }

  open(path: string, mode: OpenMode): FileHandle {
    const handle = this.inner.open(path, mode);
    const counts = this.counts;
    const writes = this.writes;
    return {
      path: handle.path,
      size: () => handle.size(),
      read: (position, target, targetOffset, length) => handle.read(position, target, targetOffset, length),
      write: (position, source, sourceOffset = 0, length = source.length - sourceOffset) => {
        counts.write++;
        writes.push({ path, position, length });
        handle.write(position, source, sourceOffset, length);
      },
      truncate: (size) => {
        counts.truncate++;
        handle.truncate(size);
      },
      flush: () => {
        counts.flush++;
        handle.flush();
      },
      flushAsync: () => {
        counts.flushAsync++;
        return handle.flushAsync();
      },
      close: () => handle.close(),
    };
  }
  exists(path: string): boolean {
    return this.inner.exists(path);
  }
  isDirectory(path: string): boolean {
    return this.inner.isDirectory(path);
  }
  list(dir: string): string[] {
    return this.inner.list(dir);
  }
  mkdirp(dir: string): void {
    this.inner.mkdirp(dir);
  }
  remove(path: string): void {
    this.inner.remove(path);
  }
  removeDir(dir: string): void {
    this.inner.removeDir(dir);
  }
  rename(from: string, to: string): void {
    this.inner.rename(from, to);
  }
  readText(path: string): string | undefined {
    return this.inner.readText(path);
  }
  writeText(path: string, text: string): void {
    this.inner.writeText(path, text);
  }
  diskSpace(path: string): DiskSpace {
    return this.inner.diskSpace(path);
  }
}

/** A sink plus NodeEvents for node "broker-a". */
export function recordingEvents(clock: Clock): { sink: RecordingSink; events: NodeEvents } {
  const sink = new RecordingSink(clock);
  return { sink, events: new NodeEvents(sink, 'broker-a') };
}

export interface TestMessageOptions {
  topic?: string;
  queueId?: number;
  body?: string | Uint8Array;
  tags?: string;
  properties?: Record<string, string>;
  sysFlag?: number;
  wait?: boolean;
  bornTimestamp?: number;
}

/** A MessageExtBrokerInner as the send processor would build it (properties string included). */
export function brokerMessage(options: TestMessageOptions = {}): MessageExtBrokerInner {
  const properties = new Map<string, string>(Object.entries(options.properties ?? {}));
  if (options.tags !== undefined) properties.set(MessageConst.PROPERTY_TAGS, options.tags);
  if (options.wait !== undefined) properties.set(MessageConst.PROPERTY_WAIT_STORE_MSG_OK, String(options.wait));
  const body = typeof options.body === 'string' ? encodeUtf8(options.body) : (options.body ?? encodeUtf8('hello'));
  return new MessageExtBrokerInner({
    topic: options.topic ?? 'TopicA',
    queueId: options.queueId ?? 0,
    body,
    properties,
    propertiesString: messageProperties2String(properties),
    sysFlag: options.sysFlag ?? 0,
    bornTimestamp: options.bornTimestamp ?? 1_700_000_000_000,
    bornHost: '10.0.0.9:51000',
    storeHost: '10.0.0.1:10911',
  });
}
