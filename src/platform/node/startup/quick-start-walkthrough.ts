/**
 * The quickstart walkthrough that `npm start` runs against its own name server and broker,
 * over real TCP and the real disk, recording every event for the visualizer.
 *
 * The simulated scenarios (`src/sim/scenarios/`) show RocketMQ on a clock we move by hand;
 * this one shows the same flow on the machine in front of you: a topic is created, a
 * producer sends three messages, a push consumer receives them, and the consumer's offset
 * reaches the broker. Times are real milliseconds, so a learner can compare them with the
 * simulated runs (and see why the simulation uses 1 ms links).
 *
 * ```
 *   admin     UPDATE_AND_CREATE_TOPIC QuickStartTopic (4 queues) on broker-a
 *   producer  3 × SEND_MESSAGE_V2 (round-robin over the queues)
 *   consumer  rebalance ──► PULL (long polling) ──► CONSUME_SUCCESS ──► offsets committed
 *   ──► <data>/quickstart.events.jsonl
 * ```
 *
 * Differences from RocketMQ 4.9.x: RocketMQ's quickstart is `tools.sh
 * org.apache.rocketmq.example.quickstart.Producer` and `Consumer`, without narration.
 *
 * @article why-read "Running it"
 * @emits walkthrough.beat.reached
 * @category Startup
 * @module
 */
import { ConsumeConcurrentlyStatus } from '../../../client/consumer/listener/message-listener.js';
import { DefaultMQPushConsumer } from '../../../client/consumer/default-mq-push-consumer.js';
import { DefaultMQProducer } from '../../../client/producer/default-mq-producer.js';
import type { MessageExt } from '../../../common/message/message-ext.js';
import { Message } from '../../../common/message/message.js';
import { RequestCode } from '../../../common/protocol/request-code.js';
import { ResponseCode } from '../../../common/protocol/response-code.js';
import { NodeEvents, type RecordingSink } from '../../../events/event-sink.js';
import { EVENT_SCHEMA_VERSION, type LaneDecl, type RunHeader } from '../../../events/event-types.js';
import type { Platform } from '../../platform.js';
import { RemotingClient } from '../../../remoting/remoting-client.js';
import { createRequestCommand } from '../../../remoting/remoting-command.js';

export const QUICKSTART_TOPIC = 'QuickStartTopic';

export interface QuickStartOptions {
  readonly sink: RecordingSink;
  readonly platform: () => Platform;
  readonly namesrvAddr: string;
  readonly brokerAddr: string;
  /** Print a beat (the console). */
  readonly say: (text: string) => void;
}

/** Run the quickstart against running servers; returns the header of the recorded run. */
export async function runQuickStart(options: QuickStartOptions): Promise<RunHeader> {
  const { sink, namesrvAddr, brokerAddr, say } = options;
  const narrator = new NodeEvents(sink, 'walkthrough', 'Walkthrough');
  const beat = (id: string, en: string, zh: string): void => {
    narrator.emit('walkthrough.beat.reached', { id, en, zh }, { flow: 'narration', says: `quickstart.${id}` });
    say(en);
  };
  const platform = options.platform();
  const admin = new RemotingClient({ transport: platform.transport, clock: platform.clock, events: new NodeEvents(sink, 'admin') });
  const create = createRequestCommand(RequestCode.UPDATE_AND_CREATE_TOPIC, {
    topic: QUICKSTART_TOPIC, defaultTopic: 'TBW102', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false,
  });
  const created = await admin.invokeSync(brokerAddr, create, 3000);
  admin.shutdown();
  if (created.code !== ResponseCode.SUCCESS) throw new Error(`UPDATE_AND_CREATE_TOPIC ${QUICKSTART_TOPIC}: ${created.code} ${created.remark ?? ''}`);
  beat('topic', `${QUICKSTART_TOPIC} was created on broker-a with 4 queues, and the broker told the name server at once.`,
    `在 broker-a 上创建了 ${QUICKSTART_TOPIC}（4 个队列），Broker 立即通知了 NameServer。`);

  const producer = new DefaultMQProducer({ platform: options.platform(), events: sink, node: 'producer-1', producerGroup: 'quickstart-pg', namesrvAddr });
  const received: string[] = [];
  const consumer = new DefaultMQPushConsumer({
    platform: options.platform(), events: sink, node: 'consumer-1', consumerGroup: 'quickstart-cg', namesrvAddr,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', subscription: { [QUICKSTART_TOPIC]: '*' },
    messageListener: { consumeMessage: (msgs: readonly MessageExt[]) => (received.push(...msgs.map((m) => m.msgId)), ConsumeConcurrentlyStatus.CONSUME_SUCCESS) },
  });
  try {
    await producer.start();
    const offsets: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await producer.send(Message.create(QUICKSTART_TOPIC, new TextEncoder().encode(`Hello RocketMQ ${i}`), { tags: 'TagA' }));
      offsets.push(`queue ${result.messageQueue.queueId} offset ${result.queueOffset}`);
    }
    beat('sent', `producer-1 sent 3 messages round-robin over the queues: ${offsets.join(', ')}. Each answer came after the broker appended the record to its commit log.`,
      `producer-1 轮询各队列发送了 3 条消息：${offsets.join('，')}。每次应答都在 Broker 把记录追加到 CommitLog 之后返回。`);
    await consumer.start();
    await waitFor(() => received.length >= 3, 15_000);
    beat('consumed', `consumer-1 joined group quickstart-cg, took all 4 queues in its rebalance, and received the 3 messages through long-polling pulls.`,
      `consumer-1 加入消费组 quickstart-cg，在负载均衡中分到全部 4 个队列，并通过长轮询拉取收到了这 3 条消息。`);
    await consumer.shutdown();
    beat('offsets', 'consumer-1 shut down cleanly: it sent its offsets to broker-a first, so a restart resumes after these messages.',
      'consumer-1 正常关闭：它先把消费偏移提交给 broker-a，所以重启后会从这些消息之后继续。');
  } finally {
    await consumer.shutdown();
    await producer.shutdown();
  }
  return quickStartHeader(sink);
}

function waitFor(predicate: () => boolean, limitMs: number): Promise<void> {
  return new Promise((resolveWait, reject) => {
    const started = Date.now();
    const check = (): void => {
      if (predicate()) resolveWait();
      else if (Date.now() - started > limitMs) reject(new Error(`quickstart: nothing received within ${limitMs} ms`));
      else setTimeout(check, 20);
    };
    check();
  });
}

function quickStartHeader(sink: RecordingSink): RunHeader {
  const lanes: LaneDecl[] = [];
  const seen = new Set<string>();
  const roles = new Map<string, RunHeader['nodes'][number]['role']>();
  for (const e of sink.events) {
    if (e.lane !== undefined && !seen.has(`${e.node}/${e.lane}`)) {
      seen.add(`${e.node}/${e.lane}`);
      lanes.push({ node: e.node, lane: e.lane });
    }
    if (!roles.has(e.node)) {
      roles.set(e.node, e.node.startsWith('namesrv') ? 'namesrv' : e.node.startsWith('broker') ? 'broker-master' : e.node.startsWith('producer') ? 'producer' : e.node.startsWith('consumer') ? 'consumer' : 'client');
    }
  }
  return {
    type: 'run.header', v: EVENT_SCHEMA_VERSION, scenario: 'quickstart', seed: 0, semantics: 'rocketmq-4.9.x', commit: 'local',
    config: { mode: 'real TCP and disk', topic: QUICKSTART_TOPIC }, nodes: [...roles].map(([id, role]) => ({ id, role })), lanes, locale: ['en', 'zh'],
  };
}
