// Acceptance (d): broadcasting over real TCP delivers every message to every consumer of
// the group, each of which keeps its own progress in a local offsets file.
// Method: three BROADCASTING push consumers of one group (offsets files in the cluster's
// temp dir), 60 messages over a 4-queue topic, poll until each member has all 60.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { Message } from '../../../src/common/message/message.js';
import { waitFor } from '../cli/cli-support.js';
import { startCluster, type Cluster } from '../compat/compat-support.js';
import { closeAll, delivery, newProducer, newPushConsumer, pushQueues, type Delivery } from './acceptance-support.js';

const TOPIC = 'AccBroadcast';
const COUNT = 60;

describe('acceptance: broadcasting push consumers over TCP', () => {
  let cluster: Cluster;
  const clients: Array<{ shutdown(): Promise<void> }> = [];
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await closeAll(clients);
    await cluster?.close();
  });

  it('delivers every message to every one of 3 BROADCASTING consumers, each taking all 4 queues and writing its own offsets file', async () => {
    await cluster.createTopic(TOPIC, 4);
    const offsetsDir = join(cluster.dir, 'client-offsets');
    const received = new Map<string, Delivery[]>();
    const members = ['bc-1', 'bc-2', 'bc-3'].map((name) => {
      received.set(name, []);
      const consumer = newPushConsumer(cluster, 'CG_acc_broadcast', name, {
        messageModel: 'BROADCASTING',
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        localOffsetStoreDir: offsetsDir,
        subscription: { [TOPIC]: '*' },
        messageListener: {
          consumeMessage: (msgs: readonly MessageExt[]): ConsumeConcurrentlyStatus => {
            for (const msg of msgs) received.get(name)!.push(delivery(name, msg));
            return 'CONSUME_SUCCESS';
          },
        },
      });
      clients.push(consumer);
      return { name, consumer };
    });
    for (const { consumer } of members) await consumer.start();
    await waitFor(() => members.every(({ consumer }) => pushQueues(consumer, TOPIC).length === 4), 'every member to take all 4 queues', 30_000);

    const producer = newProducer(cluster, 'PG_acc_broadcast');
    clients.push(producer);
    await producer.start();
    const sent: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const result = await producer.send(Message.create(TOPIC, new TextEncoder().encode(`b-${i}`), { tags: 'TagB' }));
      sent.push(result.msgId);
    }
    const keysOf = (name: string) => new Set(received.get(name)!.map((d) => d.uniqKey));
    await waitFor(() => members.every(({ name }) => keysOf(name).size >= COUNT), `all ${COUNT} messages at every member`, 30_000);
    for (const { name } of members) {
      expect([...keysOf(name)].sort(), name).toEqual([...sent].sort());
      expect(received.get(name)!.length, `${name} got no duplicates`).toBe(COUNT);
    }

    // Each member's progress is its own: a file per client id under the offsets dir.
    for (const { consumer } of members) await consumer.shutdown();
    for (const { consumer } of members) {
      const file = join(offsetsDir, consumer.mQClientFactory.clientId, 'CG_acc_broadcast', 'offsets.json');
      expect(existsSync(file), file).toBe(true);
      const text = readFileSync(file, 'utf8');
      const total = [...text.matchAll(/"topic":"AccBroadcast"\}:(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
      expect(total).toBe(COUNT);
    }
  });
});
