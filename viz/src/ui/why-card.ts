/**
 * "Why?" cards: the inputs and outcome of a decision the broker or client just made.
 *
 * Several of RocketMQ's most-asked questions are decisions that look arbitrary from
 * outside: why a new group with CONSUME_FROM_LAST_OFFSET still starts at 0, why the fifth
 * consumer gets no queue, why a message went to the DLQ and not back to %RETRY%. Decision
 * events carry `why: { rule, inputs, outcome }`; the card prints them as a small table with
 * one sentence naming the rule, in the reader's language:
 *
 * ```
 *   Why? query-consumer-offset                         (broker.offset.queried, step 130)
 *     stored -1 · minOffset 0 · inMemory true   →   0
 *     No stored offset, and the queue still starts at 0 in memory: start from 0.
 * ```
 *
 * A rule the table does not know still gets its inputs and outcome, just no sentence.
 */
import { html, LitElement, nothing } from 'lit';
import type { Lang } from '../i18n.js';
import { t } from '../i18n.js';
import type { WhyView } from '../model/index.js';
import { short } from './event-text.js';

const RULES: Record<string, Record<Lang, string>> = {
  'query-consumer-offset': {
    en: 'The broker answers the stored offset; with none stored (-1) it answers 0 when the queue still starts at 0 and that message is in memory (a young topic), so CONSUME_FROM_LAST_OFFSET only applies otherwise.',
    zh: 'Broker 返回已存储的消费进度；若没有（-1），且队列最小偏移为 0、该消息仍在内存中（新 Topic），则返回 0，所以只有在其他情况下 CONSUME_FROM_LAST_OFFSET 才生效。',
  },
  computePullFromWhere: {
    en: 'A newly assigned queue starts from the offset the broker has stored for the group; consumeFromWhere is used only when there is none.',
    zh: '新分配的队列从 Broker 为该消费组存储的进度开始；只有没有存储进度时才使用 consumeFromWhere。',
  },
  AVG: {
    en: 'AllocateMessageQueueAveragely: every client sorts the client ids and the queues the same way and takes its own contiguous slice; the first (queues mod clients) clients get one extra.',
    zh: 'AllocateMessageQueueAveragely：每个客户端都以相同方式排序客户端 ID 和队列，取属于自己的连续一段；前（队列数 mod 客户端数）个客户端多分一个。',
  },
  'round-robin': {
    en: 'The producer picks the next queue of the topic route in turn (sendWhichQueue + 1), skipping the broker that failed last when latency fault tolerance is on.',
    zh: 'Producer 依次选择路由中的下一个队列（sendWhichQueue + 1）；开启延迟容错时跳过上次失败的 Broker。',
  },
  'retry-or-dlq': {
    en: 'A sent-back message is retried through SCHEDULE_TOPIC_XXXX at delay level 3 + reconsumeTimes while reconsumeTimes < maxReconsumeTimes; at the maximum it goes to %DLQ%<group>.',
    zh: '被退回的消息在 reconsumeTimes < maxReconsumeTimes 时，以延迟级别 3 + reconsumeTimes 经 SCHEDULE_TOPIC_XXXX 重试；达到上限则进入 %DLQ%<group>。',
  },
  'deliver-when-due': {
    en: 'The schedule service restores a parked message to its real topic once its delivery time (store time + the level\'s delay) has passed.',
    zh: '定时服务在投递时间（存储时间 + 该级别的延迟）到达后，把暂存的消息恢复到真实 Topic。',
  },
  'end-transaction': {
    en: 'COMMIT stores the half message again in its real topic and writes an op record; ROLLBACK writes only the op record; UNKNOW leaves the half message for the check service.',
    zh: 'COMMIT 把半消息重新写入真实 Topic 并写一条 op 记录；ROLLBACK 只写 op 记录；UNKNOW 则留给回查服务。',
  },
  'transaction-check': {
    en: 'Every check interval the broker asks the producer about half messages older than the transaction timeout that have no op record yet.',
    zh: '每个回查周期，Broker 向 Producer 询问那些超过事务超时时间且还没有 op 记录的半消息。',
  },
  'transaction-discard': {
    en: 'A half message checked transactionCheckMax times without an answer is given up.',
    zh: '回查达到 transactionCheckMax 次仍无结果的半消息会被放弃。',
  },
};

/** The explanation of a rule, when the table has one. */
export function ruleText(rule: string, lang: Lang): string | undefined {
  return RULES[rule]?.[lang];
}

export class WhyCard extends LitElement {
  static override properties = { why: { attribute: false }, lang: { attribute: false }, current: { attribute: false } };
  declare why: WhyView | undefined;
  declare lang: Lang;
  /** The decision is the event at the cursor (not an earlier one). */
  declare current: boolean;

  constructor() {
    super();
    this.why = undefined;
    this.lang = 'en';
    this.current = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render(): unknown {
    const why = this.why;
    if (why === undefined) return nothing;
    const text = ruleText(why.rule, this.lang);
    return html`<section class="why-card ${this.current ? 'current' : ''}" data-testid="why-card" data-rule=${why.rule} data-seq=${why.seq}
        data-kind=${why.kind} data-outcome=${JSON.stringify(why.outcome) ?? ''}>
      <h3>${t(this.lang, 'why')} <code>${why.rule}</code> <small>${why.kind} · #${why.seq}</small></h3>
      <table>
        <tbody>
          ${Object.entries(why.inputs).map(([k, v]) => html`<tr data-input=${k} data-value=${JSON.stringify(v) ?? ''}><th>${k}</th><td>${short(v, 80)}</td></tr>`)}
          <tr class="outcome"><th>→ ${t(this.lang, 'outcome')}</th><td>${short(why.outcome, 80)}</td></tr>
        </tbody>
      </table>
      ${text === undefined ? nothing : html`<p class="rule-text">${text}</p>`}
    </section>`;
  }
}
