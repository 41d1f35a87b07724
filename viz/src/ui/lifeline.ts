/**
 * The message lifeline: one message followed by its UNIQ_KEY across every topic it is
 * rewritten into, and every delivery to a consumer.
 *
 * A message that fails in a listener does not "go back to the queue". The consumer sends
 * it back; the broker stores a *new record* in SCHEDULE_TOPIC_XXXX (queue = delay level − 1),
 * the schedule service later stores another new record in %RETRY%<group>, and past
 * maxReconsumeTimes a last one in %DLQ%<group>. A transactional message is first a half
 * record in RMQ_SYS_TRANS_HALF_TOPIC and becomes a real one on commit. Topic, queue, offset
 * and physical offset all change; only the UNIQ_KEY property (the client-side msgId) stays:
 *
 * ```
 *   TopicTest q0 #0 ──► SCHEDULE_TOPIC_XXXX q2 ──► %RETRY%cg q0 ──► SCHEDULE_TOPIC_XXXX q3 ──► %RETRY%cg ──► %DLQ%cg
 *        │ deliver (reconsumeTimes 0)              │ deliver (1)                   │ deliver (2)
 * ```
 *
 * The lifeline shows the selected message (or the message of the event at the cursor);
 * hops after the cursor are not drawn, because at this step they have not happened.
 * Clicking a hop moves the cursor to the event that stored it.
 */
import { html, nothing } from 'lit';
import { t } from '../i18n.js';
import type { MessageView } from '../model/index.js';
import { selectedUniqKey } from './selection.js';
import { VizPanel } from './viz-panel.js';

export class Lifeline extends VizPanel {
  override render(): unknown {
    const state = this.state;
    if (state === undefined) return nothing;
    const events = this.replay?.run.events ?? [];
    const uniqKey = selectedUniqKey(state, this.selection, events) ?? state.event?.msg?.uniqKey;
    const message = uniqKey === undefined ? undefined : state.messages[uniqKey];
    return html`
      <h2>${t(this.lang, 'lifeline')} ${uniqKey === undefined ? nothing : html`<small class="mono" data-uniq-key=${uniqKey}>${uniqKey}</small>`}</h2>
      ${message === undefined ? html`<p class="empty">${t(this.lang, 'noMessage')}</p>` : this.renderMessage(message)}`;
  }

  private renderMessage(m: MessageView): unknown {
    const selected = this.selection?.type === 'msg';
    return html`
      ${selected ? nothing : html`<button class="link" @click=${() => this.select(`msg:${m.uniqKey}`)}>${t(this.lang, 'message')}: ${m.uniqKey}</button>`}
      <h3>${t(this.lang, 'hops')} <small>${m.hops.length}</small></h3>
      <ol class="hops">
        ${m.hops.map((h, i) => {
          const prev = i > 0 ? m.hops[i - 1] : undefined;
          return html`
            ${prev === undefined ? nothing : html`<li class="hop-arrow" aria-hidden="true">→ <small>+${h.at - prev.at} ms</small></li>`}
            <li class="hop" data-hop=${i} data-topic=${h.topic} data-queue-id=${h.queueId ?? ''} data-queue-offset=${h.queueOffset ?? ''}
              data-phys-offset=${h.physOffset ?? ''} data-delay-level=${h.delayLevel ?? ''} data-reconsume-times=${h.reconsumeTimes ?? ''}
              @click=${() => this.seek(h.seq)} title="#${h.seq} ${h.kind}">
              <b>${h.topic}</b>
              <span>${h.queueId === undefined ? '' : `q${h.queueId}`}${h.queueOffset === undefined ? '' : ` #${h.queueOffset}`}</span>
              <span>${h.physOffset === undefined ? '' : `@${h.physOffset}`} ${h.node}</span>
              <span>${h.at} ms${h.delayLevel === undefined ? '' : ` · level ${h.delayLevel}`}${h.reconsumeTimes ? ` · retry ${h.reconsumeTimes}` : ''}</span>
            </li>`;
        })}
      </ol>
      <h3>${t(this.lang, 'deliveries')} <small>${m.deliveries.length}</small></h3>
      ${m.deliveries.length === 0 ? nothing : html`<table class="deliveries">
        <thead><tr><th>${t(this.lang, 'consumer')}</th><th>${t(this.lang, 'at')}</th><th>${t(this.lang, 'reconsumeTimes')}</th></tr></thead>
        <tbody>${m.deliveries.map((d, i) => html`<tr data-delivery=${i} data-consumer=${d.consumer} data-reconsume-times=${d.reconsumeTimes ?? ''}
          class=${i > 0 ? 'repeat' : ''} @click=${() => this.seek(d.seq)}>
          <td>${d.consumer}${i > 0 && (d.reconsumeTimes ?? 0) === 0 ? html` <span class="badge dup">duplicate</span>` : nothing}</td><td>${d.at}</td><td>${d.reconsumeTimes ?? ''}</td></tr>`)}</tbody>
      </table>`}`;
  }
}
