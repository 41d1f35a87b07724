/**
 * The consume queues: for each (topic, queueId) of the focused broker, its strip of 20-byte
 * units, each pointing back into the commit log.
 *
 * "A queue" in RocketMQ 4.x is not where messages live: it is an index. The reput service
 * reads each new commit-log record and appends one fixed-size unit to the record's consume
 * queue, so a consumer can find "message number 7 of TopicTest/0" without scanning the log:
 *
 * ```
 *   TopicTest/0      byte 0                 byte 20                byte 40
 *                    ┌──────────────────────┬──────────────────────┬─────
 *                    │ phys 0 │ 164 │ TagA# │ phys 164│ 164│ TagB# │
 *                    └──────────────────────┴──────────────────────┴─────
 *   unit = commitLogOffset 8 B │ size 4 B │ tagsCode 8 B   (queueOffset n lives at byte n × 20)
 * ```
 *
 * Clicking a unit selects it; the commit-log view then highlights the record at its
 * physical offset, and the inspector shows both with the same UNIQ_KEY. Units are drawn in
 * queue-offset order; the newest unit of the step pulses. System queues (the schedule
 * topic, the half and op topics of transactions, %RETRY% and %DLQ%) are shown like any
 * other, which is the point: they are ordinary topics in the same store.
 */
import { html, nothing } from 'lit';
import { t } from '../i18n.js';
import type { BrokerView, CqUnitView } from '../model/index.js';
import { focusBroker, selectedRecord, selectedUniqKey } from './selection.js';
import { VizPanel } from './viz-panel.js';

/** How many units of one queue are drawn (the newest ones); the rest are counted. */
const MAX_UNITS = 24;

export class ConsumeQueueView extends VizPanel {
  override render(): unknown {
    const state = this.state;
    if (state === undefined) return nothing;
    const brokerName = focusBroker(state, this.selection);
    const broker = brokerName === undefined ? undefined : state.brokers[brokerName];
    return html`
      <h2>${t(this.lang, 'consumeQueue')} <small>${brokerName ?? ''}</small></h2>
      ${broker === undefined || brokerName === undefined ? html`<p class="empty">${t(this.lang, 'noBroker')}</p>` : this.renderQueues(brokerName, broker)}`;
  }

  private renderQueues(name: string, broker: BrokerView): unknown {
    const state = this.state!;
    const keys = Object.keys(broker.consumeQueues).filter((k) => (broker.consumeQueues[k]?.length ?? 0) > 0).sort();
    if (keys.length === 0) return html`<p class="empty">${t(this.lang, 'noUnits')}</p>`;
    const sel = this.selection;
    const uniqKey = selectedUniqKey(state, sel, this.replay?.run.events ?? []);
    const target = selectedRecord(state, sel);
    const byPhys = new Map(broker.commitLog.records.map((r) => [r.physOffset, r]));
    const e = state.event;
    const fresh = e?.kind === 'store.consumequeue.appended' && e.node === name ? e.data : undefined;
    const isSelected = (key: string, u: CqUnitView): boolean => sel?.type === 'cq' && sel.broker === name && sel.queue === key && sel.queueOffset === u.queueOffset;
    const isLinked = (u: CqUnitView): boolean =>
      (target !== undefined && target.broker === name && target.record.physOffset === u.physOffset) || (uniqKey !== undefined && byPhys.get(u.physOffset)?.uniqKey === uniqKey);
    return html`${keys.map((key) => {
      const units = broker.consumeQueues[key] ?? [];
      const shown = units.slice(-MAX_UNITS);
      return html`
        <div class="cq-row" data-queue=${key} data-units=${units.length}>
          <div class="cq-name" title=${key}>${key} <small>${units.length} × 20 B</small></div>
          <div class="cq-units">
            ${units.length > shown.length ? html`<span class="more">… ${units.length - shown.length}</span>` : nothing}
            ${shown.map((u) => {
              const isFresh = fresh !== undefined && `${fresh.topic}/${fresh.queueId}` === key && fresh.queueOffset === u.queueOffset;
              const cls = ['cq-unit', isSelected(key, u) ? 'selected' : '', isLinked(u) ? 'linked' : '', isFresh ? 'changed' : ''].join(' ');
              return html`<button class=${cls} data-unit="" data-queue=${key} data-queue-offset=${u.queueOffset} data-byte-pos=${u.bytePos}
                data-phys-offset=${u.physOffset} data-size=${u.size} data-tags-code=${u.tagsCode}
                title="#${u.queueOffset} @byte ${u.bytePos}: commitLogOffset ${u.physOffset}, size ${u.size}, tagsCode ${u.tagsCode}"
                @click=${() => this.select(`cq:${name}:${key}:${u.queueOffset}`)}>
                <span class="qo">#${u.queueOffset}</span><span class="triple">${u.physOffset}·${u.size}·${u.tagsCode}</span></button>`;
            })}
          </div>
        </div>`;
    })}`;
  }
}
