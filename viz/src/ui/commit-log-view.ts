/**
 * The commit log in bytes: each segment file as a strip, each record as a box at its
 * physical offset, and the byte layout of the focused record, field by field.
 *
 * RocketMQ 4.x keeps every topic's messages in one append-only log cut into fixed-size
 * files named by their first offset. A learner who has only seen "topics and queues"
 * needs to see that the log is shared and interleaved, and that a record is a flat run of
 * bytes with a 91-byte fixed header (IPv4 hosts) before body, topic and properties:
 *
 * ```
 *   00000000000000000000 (4096 B)
 *   ┌───────────┬───────────┬──────────────────────────── free ──┐
 *   │ TopicTest │ TopicTest │                                     │
 *   │ @0  164 B │ @164 164 B│                                     │
 *   └───────────┴───────────┴─────────────────────────────────────┘
 *
 *   record @164:  totalSize 4 │ magic 4 │ bodyCRC 4 │ queueId 4 │ flag 4 │ queueOffset 8 │
 *                 physicalOffset 8 │ sysFlag 4 │ bornTimestamp 8 │ bornHost 8 │ storeTimestamp 8 │
 *                 storeHost 8 │ reconsumeTimes 4 │ preparedTransactionOffset 8 │
 *                 bodyLength 4 │ body │ topicLength 1 │ topic │ propertiesLength 2 │ properties
 * ```
 *
 * Hovering a field shows its offset inside the record, its length and its value; the
 * lengths always add up to the record's totalSize. Records are highlighted when they
 * belong to the selected message, or when the selected consume-queue unit points at them.
 * A BLANK record (END_OF_FILE filler) is hatched; bytes a crash will lose are marked.
 */
import { html, nothing } from 'lit';
import { t } from '../i18n.js';
import type { BrokerView, RecordView } from '../model/index.js';
import { focusBroker, selectedRecord, selectedUniqKey } from './selection.js';
import { VizPanel } from './viz-panel.js';

export class CommitLogView extends VizPanel {
  static override properties = { ...VizPanel.properties, hovered: { state: true } };
  declare hovered: string | undefined;

  constructor() {
    super();
    this.hovered = undefined;
  }

  override render(): unknown {
    const state = this.state;
    if (state === undefined) return nothing;
    const brokerName = focusBroker(state, this.selection);
    const broker = brokerName === undefined ? undefined : state.brokers[brokerName];
    const brokers = Object.keys(state.brokers);
    return html`
      <h2>${t(this.lang, 'commitLog')}
        ${brokers.length > 1
          ? html`<span class="broker-tabs">${brokers.map((b) => html`<button class=${b === brokerName ? 'on' : ''} data-broker=${b} @click=${() => this.select(`node:${b}`)}>${b}</button>`)}</span>`
          : html`<small>${brokerName ?? ''}</small>`}
      </h2>
      ${broker === undefined || brokerName === undefined ? html`<p class="empty">${t(this.lang, 'noBroker')}</p>` : this.renderBroker(brokerName, broker)}`;
  }

  private renderBroker(name: string, broker: BrokerView): unknown {
    const state = this.state!;
    const records = broker.commitLog.records;
    if (records.length === 0 && broker.commitLog.segments.length === 0) return html`<p class="empty">${t(this.lang, 'noRecords')}</p>`;
    const sel = this.selection;
    const uniqKey = selectedUniqKey(state, sel, this.replay?.run.events ?? []);
    const target = selectedRecord(state, sel);
    const isLinked = (r: RecordView): boolean =>
      (target !== undefined && target.broker === name && target.record.physOffset === r.physOffset) || (uniqKey !== undefined && r.uniqKey === uniqKey);
    const segments = broker.commitLog.segments.length > 0
      ? broker.commitLog.segments
      : [{ fileFromOffset: 0, fileSize: Math.max(broker.commitLog.wrote, 1) }];
    const changed = state.event?.kind === 'store.commitlog.appended' && state.event.node === name ? (state.event.data as { physOffset?: number }).physOffset : undefined;
    const focus = target?.broker === name ? target.record : records.find((r) => r.physOffset === changed) ?? records.at(-1);
    return html`
      <div class="segments">
        ${segments.map((seg) => html`
          <div class="segment" data-file-from-offset=${seg.fileFromOffset}>
            <div class="segment-name">${String(seg.fileFromOffset).padStart(20, '0')} <small>${seg.fileSize} B</small></div>
            <div class="segment-bar">
              ${records.filter((r) => r.physOffset >= seg.fileFromOffset && r.physOffset < seg.fileFromOffset + seg.fileSize).map((r) => {
                const left = ((r.physOffset - seg.fileFromOffset) / seg.fileSize) * 100;
                const width = Math.max((r.size / seg.fileSize) * 100, 0.4);
                const cls = ['record', r.blank ? 'blank' : '', r.lost ? 'lost' : '', isLinked(r) ? 'linked' : '', r.physOffset === changed ? 'changed' : ''].join(' ');
                return html`<button class=${cls} style="left:${left}%;width:${width}%"
                  data-record="" data-phys-offset=${r.physOffset} data-size=${r.size} data-topic=${r.topic} data-uniq-key=${r.uniqKey ?? ''}
                  title="${r.blank ? 'BLANK' : `${r.topic}/${r.queueId} #${r.queueOffset}`} @${r.physOffset} · ${r.size} B"
                  @click=${() => this.select(`rec:${name}:${r.physOffset}`)}></button>`;
              })}
              <div class="mark wrote" style="left:${this.pct(broker.commitLog.wrote, seg)}%" title="wrote ${broker.commitLog.wrote}"></div>
              <div class="mark flushed" style="left:${this.pct(broker.commitLog.flushed, seg)}%" title="flushed ${broker.commitLog.flushed}"></div>
            </div>
          </div>`)}
      </div>
      <table class="record-table">
        <thead><tr><th>physOffset</th><th>size</th><th>${t(this.lang, 'topic')}</th><th>${t(this.lang, 'queue')}</th><th>queueOffset</th><th>UNIQ_KEY</th></tr></thead>
        <tbody>${records.slice(-12).map((r) => html`
          <tr class=${isLinked(r) ? 'linked' : ''} @click=${() => this.select(`rec:${name}:${r.physOffset}`)}>
            <td>${r.physOffset}</td><td>${r.size}</td><td>${r.blank ? 'BLANK' : r.topic}</td><td>${r.blank ? '' : r.queueId}</td><td>${r.blank ? '' : r.queueOffset}</td><td class="mono">${r.uniqKey ?? ''}</td>
          </tr>`)}</tbody>
      </table>
      ${focus === undefined ? nothing : this.renderFields(focus)}`;
  }

  private pct(offset: number, seg: { fileFromOffset: number; fileSize: number }): number {
    return Math.min(100, Math.max(0, ((offset - seg.fileFromOffset) / seg.fileSize) * 100));
  }

  /** The focused record as a strip of fields, widths proportional to bytes (with a minimum). */
  private renderFields(r: RecordView): unknown {
    const fields = r.fields;
    if (fields === undefined || fields.length === 0) return html`<p class="empty">@${r.physOffset}: ${r.size} B (no field breakdown in this run)</p>`;
    const hovered = fields.find((f) => f.name === this.hovered);
    return html`
      <div class="field-strip" data-phys-offset=${r.physOffset} aria-label="record @${r.physOffset}">
        ${fields.map((f) => html`<span class="field ${f.name === this.hovered ? 'hover' : ''}" data-field=${f.name} data-offset=${f.offset} data-length=${f.length}
          style="flex-grow:${Math.max(f.length, 3)}"
          title="${f.name} · +${f.offset} · ${f.length} B · ${String(f.value)}"
          @mouseenter=${() => { this.hovered = f.name; }} @mouseleave=${() => { this.hovered = undefined; }}>${f.length >= 4 ? f.name : ''}</span>`)}
      </div>
      <p class="field-hover" aria-live="off">${hovered === undefined
        ? html`@${r.physOffset} · ${r.size} B · ${fields.length} ${t(this.lang, 'field')}s`
        : html`<b>${hovered.name}</b> +${hovered.offset} · ${hovered.length} B · <span class="mono">${String(hovered.value)}</span>`}</p>`;
  }
}
