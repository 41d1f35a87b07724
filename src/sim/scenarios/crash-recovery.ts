/**
 * Scenario `crash-recovery`: a broker loses power with unflushed messages, and recovers.
 *
 * With ASYNC_FLUSH a send is answered once the record is in the page cache; the flush
 * service writes it to disk up to 500 ms later. producer-1 sends three messages, waits for a
 * flush, then sends two more and broker-a loses power before the next flush. On restart the
 * abort file tells the store it did not shut down cleanly, so it runs the abnormal recovery:
 * it walks the commit log from the checkpoint, keeps every whole record, cuts the torn tail,
 * and trims the consume queues to match.
 *
 * ```
 *   commit log   [ m0 | m1 | m2 ]( m3 | m4 )       flushed ┤ ├ only in the page cache
 *   power cut    [ m0 | m1 | m2 ]                  m3, m4 never reached the disk
 *   restart      abort file present ──► abnormal recovery ──► max offset = end of m2, CQ max = 3
 * ```
 *
 * The producer was told SEND_OK for m3 and m4: this is the window ASYNC_FLUSH trades for
 * speed, and the reason SYNC_FLUSH (group commit) exists.
 *
 * @article store-init "Recovering after a crash"
 * @category Sim
 * @module
 */
import { encodeUtf8 } from '../../common/bytes.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

export const crashRecovery: Scenario = {
  name: 'crash-recovery',
  article: 'store-init',
  seed: 22,
  title: { en: 'Power cut before the flush, and recovery', zh: '刷盘前断电，以及恢复' },
  summary: {
    en: 'Five messages are acknowledged, but only three were flushed when broker-a loses power; the restart runs the abnormal recovery and keeps exactly the flushed three.',
    zh: '五条消息都已确认，但 broker-a 断电时只有三条刷了盘；重启后执行异常恢复，恰好保留刷盘的三条。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    const broker = await cluster.startBroker('broker-a');
    await cluster.createTopic('TopicTest', 1);
    const producer = await cluster.producer('pg', 'producer-1');
    for (let i = 0; i < 3; i++) await cluster.settle(producer.send(Message.create('TopicTest', encodeUtf8(`m${i}`))));
    await cluster.advance(600);
    const flushed = find('store.flush.completed', 'broker-a').at(-1)?.data.flushedWhere ?? 0;
    beat('flushed', {
      en: `m0, m1 and m2 were acknowledged, and the async flush service has since written them to disk: the flushed position is ${flushed}.`,
      zh: `m0、m1、m2 已确认，异步刷盘线程随后把它们写入了磁盘：刷盘位置为 ${flushed}。`,
    });
    for (let i = 3; i < 5; i++) await cluster.settle(producer.send(Message.create('TopicTest', encodeUtf8(`m${i}`))));
    const wrote = broker.controller.messageStore.getMaxPhyOffset();
    beat('unflushed', {
      en: `m3 and m4 were acknowledged too (SEND_OK), but they are only in the page cache: written up to ${wrote}, flushed up to ${flushed}.`,
      zh: `m3 和 m4 也已确认（SEND_OK），但它们只在页缓存中：写入位置 ${wrote}，刷盘位置 ${flushed}。`,
    });
    cluster.crashBroker('broker-a');
    beat('power-cut', {
      en: `broker-a lost power. Its ${wrote - flushed} unflushed bytes are gone; the abort file it created at start-up is still on disk, because a clean shutdown never deleted it.`,
      zh: `broker-a 断电。未刷盘的 ${wrote - flushed} 字节丢失；启动时创建的 abort 文件仍在磁盘上，因为它没有经过正常关闭去删除它。`,
    });
    await cluster.advance(1_000);
    const restarted = await cluster.restartBroker('broker-a');
    const recovered = find('store.recovery.completed', 'broker-a').at(-1)!;
    const store = restarted.controller.messageStore;
    beat('recovered', {
      en: `On restart the abort file triggered the ${recovered.data.mode} recovery: the store walked the commit log and kept whole records up to offset ${recovered.data.maxPhysOffset}; TopicTest queue 0 holds ${store.getMaxOffsetInQueue('TopicTest', 0)} messages. m3 and m4 are lost although the producer was told SEND_OK: use SYNC_FLUSH when that matters.`,
      zh: `重启时 abort 文件触发了${recovered.data.mode === 'abnormal' ? '异常' : '正常'}恢复：存储遍历 CommitLog，保留了到偏移 ${recovered.data.maxPhysOffset} 为止的完整记录；TopicTest 0 号队列有 ${store.getMaxOffsetInQueue('TopicTest', 0)} 条消息。尽管生产者收到了 SEND_OK，m3 和 m4 还是丢了：在意这一点就要用 SYNC_FLUSH。`,
    });
  },
};
