/**
 * Scenario `store-roll`: the commit log and a consume queue filling their files and rolling.
 *
 * The teaching profile shrinks the files so that a learner sees what a broker does every
 * gigabyte: commit-log files of 4 KiB and consume-queue files of 10 units (200 bytes). A
 * record never straddles two files: when the next one does not fit, the rest of the file
 * becomes a BLANK record (magic 0xCBD43194) and the record goes to the start of the next
 * file, named after its first byte's global offset.
 *
 * ```
 *   commitlog/00000000000000000000  [rec][rec]...[rec][BLANK ....]   4096 bytes
 *   commitlog/00000000000000004096  [rec][rec]...                     the 21st-ish record starts here
 *   consumequeue/TopicTest/0/00000000000000000000   units 0..9   (10 × 20 B)
 *   consumequeue/TopicTest/0/00000000000000000200   units 10..19
 * ```
 *
 * @article store "CommitLog and ConsumeQueue files"
 * @category Sim
 * @module
 */
import { encodeUtf8 } from '../../common/bytes.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

export const storeRoll: Scenario = {
  name: 'store-roll',
  article: 'store',
  real: true,
  seed: 28,
  title: { en: 'Files fill up and roll', zh: '文件写满与滚动' },
  summary: {
    en: 'Thirty messages into 4 KiB commit-log files and 10-unit consume-queue files: watch the blank record that closes a file, and the new files named after their start offsets.',
    zh: '三十条消息写入 4 KiB 的 CommitLog 文件和 10 个单元的 ConsumeQueue 文件：观察封住文件尾部的空白记录，以及以起始偏移命名的新文件。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    await cluster.startBroker('broker-a');
    await cluster.createTopic('TopicTest', 1);
    const producer = await cluster.producer('pg', 'producer-1');
    const body = encodeUtf8('x'.repeat(100));
    for (let i = 0; i < 30; i++) await cluster.settle(producer.send(Message.create('TopicTest', body, { tags: 'TagA' })));
    const appended = find('store.commitlog.appended', 'broker-a');
    const blank = find('store.commitlog.blank-filled', 'broker-a')[0];
    const files = find('store.mappedfile.created', 'broker-a');
    const commitLogFiles = files.filter((f) => f.data.queue === 'commitlog');
    beat('records', {
      en: `30 messages of ${appended[0]?.data.size ?? '?'} bytes each went into the commit log, back to back: record n starts where record n-1 ends.`,
      zh: `30 条每条 ${appended[0]?.data.size ?? '?'} 字节的消息依次写入 CommitLog：第 n 条记录紧接在第 n-1 条之后。`,
    });
    beat('blank', {
      en: blank === undefined
        ? 'No file filled up in this run.'
        : `At offset ${blank.data.physOffset} the next record no longer fitted in the first 4096-byte file, so the last ${blank.data.size} bytes became a BLANK record and the record went to offset ${blank.data.fileFromOffset + 4096}, the first byte of a new file.`,
      zh: blank === undefined
        ? '本次运行中没有文件写满。'
        : `在偏移 ${blank.data.physOffset} 处，下一条记录已放不进第一个 4096 字节的文件，于是最后 ${blank.data.size} 字节成为空白记录（BLANK），这条记录写到偏移 ${blank.data.fileFromOffset + 4096}，即新文件的第一个字节。`,
    });
    beat('files', {
      en: `The commit log now has ${commitLogFiles.length} files: ${commitLogFiles.map((f) => f.data.fileName.split('/').at(-1)).join(', ')}. A file is named by the global offset of its first byte, so finding the file that holds offset X is a division.`,
      zh: `CommitLog 现在有 ${commitLogFiles.length} 个文件：${commitLogFiles.map((f) => f.data.fileName.split('/').at(-1)).join('、')}。文件以其首字节的全局偏移命名，所以找到包含偏移 X 的文件只需一次除法。`,
    });
    const cqFiles = files.filter((f) => f.data.queue.includes('TopicTest'));
    beat('consume-queue', {
      en: `The consume queue TopicTest/0 holds 30 units of 20 bytes in ${cqFiles.length} files of 10 units each: ${cqFiles.map((f) => f.data.fileName.split('/').at(-1)).join(', ')}. Unit n is at byte n × 20 of the queue, so a consumer's offset is also a file position.`,
      zh: `ConsumeQueue TopicTest/0 有 30 个 20 字节的单元，分布在 ${cqFiles.length} 个各含 10 个单元的文件中：${cqFiles.map((f) => f.data.fileName.split('/').at(-1)).join('、')}。第 n 个单元位于队列的第 n × 20 字节，所以消费偏移同时也是文件位置。`,
    });
  },
};
