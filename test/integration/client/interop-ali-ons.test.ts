// Interop with the npm RocketMQ client ali-ons 3.12.0 over real TCP, both directions, against
// our name server and broker (compat-support.ts):
// - ali-ons Producer → our DefaultMQPushConsumer and DefaultLitePullConsumer: ali-ons sets no
//   UNIQ_KEY and reports the offset msgId, so our consumers' `msgId` (the offset msgId) equals
//   the msgId ali-ons returned; tags, keys, user properties and a compressed body arrive intact.
// - our DefaultMQProducer → an ali-ons Consumer: ali-ons computes msgId from the record (the
//   offset msgId), which equals our SendResult.offsetMsgId; our UNIQ_KEY (SendResult.msgId)
//   travels as a property; tags, keys, properties and a >4 KiB compressed body survive.
// Method: one cluster for the file, one topic and group per direction, polling until the
// expected messages arrived.
import { Consumer, Message as OnsMessage, Producer, type Message as OnsReceived, type SendResult as OnsSendResult } from 'ali-ons';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import type { SendResult } from '../../../src/client/producer/send-result.js';
import { MessageConst } from '../../../src/common/message/message-const.js';
import { getUniqID } from '../../../src/common/message/message-id.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { Message } from '../../../src/common/message/message.js';
import { waitFor } from '../cli/cli-support.js';
import { startCluster, type Cluster } from '../compat/compat-support.js';
import { newLiteConsumer, newProducer, newPushConsumer } from './acceptance-support.js';

/** Text with little repetition, so zlib cannot shrink it to nothing. */
function bigBody(bytes: number): string {
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += `${i.toString(36)}:${(i * 7919) % 1000003};`;
  return text.slice(0, bytes);
}

const bodyOf = (i: number) => (i === 3 ? bigBody(9000) : `interop ${i}`);

describe('interop with ali-ons 3.12.0 over TCP', () => {
  let cluster: Cluster;
  const ours: Array<{ shutdown(): Promise<void> }> = [];
  const theirs: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    cluster = await startCluster();
  });

  afterAll(async () => {
    for (const client of ours.reverse()) await client.shutdown().catch(() => undefined);
    for (const client of theirs.reverse()) await client.close().catch(() => undefined);
    // The inner CLIENT_INNER_PRODUCER every ali-ons client creates is never closed by the library.
    await Producer.defaultProducer?.close().catch(() => undefined);
    Producer.defaultProducer = null;
    await cluster?.close();
  });

  it('ali-ons Producer → our push and lite pull consumers: msgId is the offset msgId ali-ons returned; tags, keys, properties and a compressed body intact', async () => {
    await cluster.createTopic('InteropFromOns', 4);
    const producer = new Producer({ ...cluster.clientOptions('interop-ons-p'), producerGroup: 'PG_interop_ons' });
    producer.on('error', (error) => cluster.clientLog.push(`ons producer: ${error.message}`));
    theirs.push(producer);
    await producer.ready();
    const sent: OnsSendResult[] = [];
    for (let i = 0; i < 6; i++) {
      const msg = new OnsMessage('InteropFromOns', i % 2 === 0 ? 'TagA' : 'TagB', bodyOf(i));
      msg.keys = [`ons-key-${i}`, 'shared'];
      msg.properties['colour'] = i % 2 === 0 ? 'red' : 'blue';
      const result = await producer.send(msg);
      expect(result.sendStatus).toBe('SEND_OK');
      sent.push(result);
    }

    const received: MessageExt[] = [];
    const push = newPushConsumer(cluster, 'CG_interop_push', 'interop-push', {
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      subscription: { InteropFromOns: 'TagA || TagB' },
      messageListener: {
        consumeMessage: (msgs: readonly MessageExt[]): ConsumeConcurrentlyStatus => {
          received.push(...msgs);
          return 'CONSUME_SUCCESS';
        },
      },
    });
    ours.push(push);
    await push.start();
    await waitFor(() => received.length >= 6, `6 messages at our push consumer (got ${received.length}; ${cluster.clientLog.join(' | ')})`, 20_000);

    const lite = newLiteConsumer(cluster, 'CG_interop_lite', 'interop-lite', { autoCommit: false });
    ours.push(lite);
    await lite.start();
    lite.assign(await lite.fetchMessageQueues('InteropFromOns'));
    for (const mq of lite.assignment()) await lite.seekToBegin(mq);
    const polled: MessageExt[] = [];
    for (let i = 0; i < 50 && polled.length < 6; i++) polled.push(...(await lite.poll(1000)));

    for (const [who, got] of [['push', received], ['lite', polled]] as const) {
      expect(got.length, who).toBe(6);
      const byId = new Map(got.map((m) => [m.msgId, m]));
      for (const [i, result] of sent.entries()) {
        const msg = byId.get(result.msgId);
        expect(msg, `${who}: message ${i} by msgId ${result.msgId}`).toBeDefined();
        // ali-ons sets no UNIQ_KEY, so the offset msgId is the only id (Java's getMsgId falls back to it).
        expect(getUniqID(msg!), who).toBeUndefined();
        expect(new TextDecoder().decode(msg!.body), who).toBe(bodyOf(i));
        expect(msg!.tags, who).toBe(i % 2 === 0 ? 'TagA' : 'TagB');
        expect(msg!.keys, who).toBe(`ons-key-${i} shared`);
        expect(msg!.getUserProperty('colour'), who).toBe(i % 2 === 0 ? 'red' : 'blue');
        expect([msg!.queueId, msg!.queueOffset], who).toEqual([Number(result.messageQueue.queueId), result.queueOffset]);
      }
    }
  });

  it('our producer → an ali-ons Consumer: ali-ons msgId equals SendResult.offsetMsgId, UNIQ_KEY equals SendResult.msgId; tags, keys, properties and a compressed body intact', async () => {
    await cluster.createTopic('InteropToOns', 4);
    const producer = newProducer(cluster, 'PG_interop_ours', 'interop-ours-p');
    ours.push(producer);
    await producer.start();
    const sent: SendResult[] = [];
    for (let i = 0; i < 6; i++) {
      const msg = Message.create('InteropToOns', new TextEncoder().encode(bodyOf(i)), { tags: i % 2 === 0 ? 'TagA' : 'TagB' });
      msg.setKeys([`our-key-${i}`, 'shared']);
      msg.putUserProperty('colour', i % 2 === 0 ? 'red' : 'blue');
      const result = await producer.send(msg);
      expect(result.sendStatus).toBe('SEND_OK');
      expect(result.msgId).not.toBe(result.offsetMsgId);
      sent.push(result);
    }

    const received: OnsReceived[] = [];
    const consumer = new Consumer({ ...cluster.clientOptions('interop-ons-c'), consumerGroup: 'CG_interop_ons', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    consumer.on('error', (error) => cluster.clientLog.push(`ons consumer: ${error.message}`));
    theirs.push(consumer);
    consumer.subscribe('InteropToOns', 'TagA || TagB', async (msg) => {
      received.push(msg);
    });
    await waitFor(() => received.length >= 6, `6 messages at ali-ons (got ${received.length}; ${cluster.clientLog.join(' | ')})`, 20_000);

    expect(received.length).toBe(6);
    const byId = new Map(received.map((m) => [m.msgId, m]));
    for (const [i, result] of sent.entries()) {
      const msg = byId.get(result.offsetMsgId);
      expect(msg, `message ${i} by offsetMsgId ${result.offsetMsgId}`).toBeDefined();
      expect(msg!.properties[MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX]).toBe(result.msgId);
      expect(msg!.body.toString('utf8')).toBe(bodyOf(i));
      expect(msg!.tags).toBe(i % 2 === 0 ? 'TagA' : 'TagB');
      expect(msg!.keys).toBe(`our-key-${i} shared`);
      expect(msg!.properties['colour']).toBe(i % 2 === 0 ? 'red' : 'blue');
      expect([msg!.queueId, msg!.queueOffset]).toEqual([result.messageQueue.queueId, result.queueOffset]);
    }
    // The big body travelled compressed (sysFlag bit 0), as ali-ons saw it.
    expect(byId.get(sent[3]!.offsetMsgId)!.sysFlag & 1).toBe(1);
  });
});
