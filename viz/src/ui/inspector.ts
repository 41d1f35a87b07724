/**
 * The inspector: everything known about the selected thing at the cursor.
 *
 * The panels draw shapes; the inspector prints the numbers behind them (RaftScope's
 * per-server table, the dashboard's message detail). What it shows depends on the
 * selection:
 *
 * ```
 *   node:broker-a      positions, topics, committed consumer offsets
 *   node:consumer-1    assigned queues, in-memory vs persisted offsets, rebalance view
 *   rec:broker-a:164   the record's fields (name, offset, length, value), summing to its size
 *   cq:broker-a:T/0:1  the 20-byte unit, and the record it points to
 *   msg:<UNIQ_KEY>     every stored copy of the message and its deliveries
 *   rpc:<seq>          request and response: code, opaque, nodes, status, the four events
 *   (nothing)          the event at the cursor, its payload, and the state it changed
 * ```
 */
import { html, nothing } from 'lit';
import { t } from '../i18n.js';
import type { InstrumentEvent, RecordView, VizState } from '../model/index.js';
import { short } from './event-text.js';
import type { RpcIndex } from './rpc-pairs.js';
import { selectedRecord, type Selection } from './selection.js';
import { VizPanel } from './viz-panel.js';

export class Inspector extends VizPanel {
  static override properties = { ...VizPanel.properties, rpcIndex: { attribute: false } };
  declare rpcIndex: RpcIndex | undefined;

  constructor() {
    super();
    this.rpcIndex = undefined;
  }

  override render(): unknown {
    const state = this.state;
    if (state === undefined) return nothing;
    const sel = this.selection;
    return html`<h2>${t(this.lang, 'inspector')} ${sel === undefined ? nothing : html`<small class="mono">${this.sel}</small>
      <button class="clear" title=${t(this.lang, 'close')} @click=${() => this.select(undefined)}>×</button>`}</h2>
      <div class="inspector-body" data-sel=${this.sel ?? ''}>${this.body(state, sel)}</div>`;
  }

  private body(state: VizState, sel: Selection | undefined): unknown {
    const events = this.replay?.run.events ?? [];
    switch (sel?.type) {
      case undefined:
        return state.event === undefined ? html`<p class="empty">${t(this.lang, 'noSelection')}</p>` : this.eventView(state.event, state);
      case 'ev': {
        const e = events[sel.seq - 1];
        return e === undefined ? nothing : this.eventView(e, state);
      }
      case 'node':
        return this.nodeView(state, sel.node);
      case 'rec':
      case 'cq': {
        const found = selectedRecord(state, sel);
        const unit = sel.type === 'cq' ? state.brokers[sel.broker]?.consumeQueues[sel.queue]?.find((u) => u.queueOffset === sel.queueOffset) : undefined;
        return html`
          ${unit === undefined ? nothing : html`<h3>${t(this.lang, 'unit')} ${sel.type === 'cq' ? sel.queue : ''} #${unit.queueOffset}</h3>
            <table class="kv" data-unit=${unit.queueOffset}><tbody>
              <tr><th>bytePos</th><td>${unit.bytePos}</td></tr><tr><th>commitLogOffset</th><td>${unit.physOffset}</td></tr>
              <tr><th>size</th><td>${unit.size}</td></tr><tr><th>tagsCode</th><td>${unit.tagsCode}</td></tr>
              <tr><th>UNIQ_KEY</th><td class="mono" data-uniq-key=${found?.record.uniqKey ?? ''}>${found?.record.uniqKey ?? '?'}</td></tr>
            </tbody></table>`}
          ${found === undefined ? html`<p class="empty">—</p>` : this.recordView(found.broker, found.record)}`;
      }
      case 'msg':
        return this.messageView(state, sel.uniqKey);
      case 'rpc':
        return this.rpcView(state, sel.seq, events);
    }
  }

  private recordView(broker: string, r: RecordView): unknown {
    const fields = r.fields ?? [];
    const sum = fields.reduce((acc, f) => acc + f.length, 0);
    return html`<h3>${t(this.lang, 'record')} ${broker} @${r.physOffset}</h3>
      <table class="kv" data-record=${r.physOffset}><tbody>
        <tr><th>physOffset</th><td>${r.physOffset}</td></tr><tr><th>size</th><td data-size=${r.size}>${r.size}</td></tr>
        <tr><th>${t(this.lang, 'topic')}</th><td>${r.blank ? 'BLANK' : `${r.topic}/${r.queueId} #${r.queueOffset}`}</td></tr>
        <tr><th>UNIQ_KEY</th><td class="mono" data-uniq-key=${r.uniqKey ?? ''}>${r.uniqKey ?? ''}</td></tr>
        <tr><th>storeTimestamp</th><td>${r.storeTimestamp}</td></tr>
      </tbody></table>
      ${fields.length === 0 ? nothing : html`<table class="fields" data-fields-total=${sum}>
        <thead><tr><th>${t(this.lang, 'field')}</th><th>${t(this.lang, 'offset')}</th><th>${t(this.lang, 'length')}</th><th>${t(this.lang, 'value')}</th></tr></thead>
        <tbody>${fields.map((f) => html`<tr data-field=${f.name} data-offset=${f.offset} data-length=${f.length} data-value=${String(f.value)}>
          <td>${f.name}</td><td>${f.offset}</td><td>${f.length}</td><td class="mono">${short(f.value, 48)}</td></tr>`)}</tbody>
        <tfoot><tr><th>${t(this.lang, 'total')}</th><td></td><td data-total=${sum}>${sum}</td><td>${sum === r.size ? '= size' : `≠ size ${r.size}`}</td></tr></tfoot>
      </table>`}`;
  }

  private messageView(state: VizState, uniqKey: string): unknown {
    const m = state.messages[uniqKey];
    const records = Object.entries(state.brokers).flatMap(([b, v]) => v.commitLog.records.filter((r) => r.uniqKey === uniqKey).map((r) => ({ b, r })));
    return html`<h3>${t(this.lang, 'message')}</h3>
      <p class="mono" data-uniq-key=${uniqKey}>${uniqKey}</p>
      <p>${t(this.lang, 'hops')}: ${m?.hops.length ?? 0} · ${t(this.lang, 'deliveries')}: ${m?.deliveries.length ?? 0}</p>
      <ul class="records">${records.map(({ b, r }) => html`<li><button class="link" @click=${() => this.select(`rec:${b}:${r.physOffset}`)}>
        ${b} ${r.topic}/${r.queueId} #${r.queueOffset} @${r.physOffset} (${r.size} B)</button></li>`)}</ul>
      ${records[0] === undefined ? nothing : this.recordView(records[0].b, records[0].r)}`;
  }

  private nodeView(state: VizState, node: string): unknown {
    const view = state.nodes.find((n) => n.id === node);
    const broker = state.brokers[node];
    const consumer = state.consumers[node];
    const rpcs = state.rpcs.filter((r) => r.from === node || r.to === node);
    return html`<h3>${t(this.lang, 'node')} ${node} <small>${view?.role ?? ''} · ${view?.up === false ? t(this.lang, 'down') : t(this.lang, 'up')}</small></h3>
      ${broker === undefined ? nothing : html`
        <table class="kv"><tbody>
          ${(['wrote', 'committed', 'flushed', 'dispatched'] as const).map((k) => html`<tr><th>${t(this.lang, k)}</th><td>${broker.commitLog[k]}</td></tr>`)}
          <tr><th>records</th><td>${broker.commitLog.records.length}</td></tr>
        </tbody></table>
        <h3>${t(this.lang, 'topic')}s</h3>
        <table><tbody>${Object.entries(broker.topics).map(([name, tc]) => html`<tr><td>${name}</td><td>r${tc.read} w${tc.write} perm ${tc.perm}</td></tr>`)}</tbody></table>
        <h3>${t(this.lang, 'consumerCommitted')}</h3>
        <table><tbody>${Object.entries(broker.consumerOffsets).map(([k, v]) => html`<tr><td>${k}</td><td>${v}</td></tr>`)}</tbody></table>`}
      ${consumer === undefined ? nothing : html`
        <p>${consumer.group ?? ''} ${consumer.clientId ?? ''} · consumed ${consumer.consumed}</p>
        <table><thead><tr><th>${t(this.lang, 'queue')}</th><th>assigned</th><th>${t(this.lang, 'consumerMemory')}</th><th>persisted</th><th>inflight</th></tr></thead>
          <tbody>${Object.entries(consumer.queues).map(([k, q]) => html`<tr class=${q.assigned ? '' : 'dim'}><td>${k}${q.locked ? ' 🔒' : ''}</td><td>${q.assigned ? '✓' : ''}</td>
            <td>${q.offset ?? ''}</td><td>${q.persisted ?? ''}</td><td>${q.inflight ?? ''}</td></tr>`)}</tbody></table>`}
      <h3>${t(this.lang, 'rpc')} <small>${rpcs.length}</small></h3>
      <ul class="rpcs">${rpcs.map((r) => html`<li><button class="link" @click=${() => this.select(`rpc:${r.seq}`)}>${r.code} #${r.opaque} ${r.from} → ${r.to}
        ${r.status ?? t(this.lang, 'inFlight')}</button></li>`)}</ul>`;
  }

  private rpcView(state: VizState, seq: number, events: readonly InstrumentEvent[]): unknown {
    const pair = this.rpcIndex?.bySeq.get(seq);
    const live = state.rpcs.find((r) => r.seq === seq);
    if (pair === undefined) return html`<p class="empty">—</p>`;
    const steps: Array<[string, number | undefined]> = [
      ['remoting.request.sent', pair.sent], ['remoting.request.received', pair.received],
      ['remoting.response.sent', pair.replied], ['remoting.response.received', pair.answered], ['remoting.request.timed-out', pair.timedOut],
    ];
    return html`<h3>${t(this.lang, 'rpc')} ${pair.code} <small>opaque ${pair.opaque}</small></h3>
      <table class="kv" data-opaque=${pair.opaque}><tbody>
        <tr><th>from</th><td>${pair.from}</td></tr><tr><th>to</th><td>${pair.to}</td></tr>
        <tr><th>status</th><td>${live?.status ?? (pair.answered !== undefined && pair.answered <= state.cursor ? 'answered' : t(this.lang, 'inFlight'))}</td></tr>
      </tbody></table>
      <ol class="rpc-steps">${steps.filter(([, s]) => s !== undefined).map(([kind, s]) => {
        const e = events[s! - 1];
        return html`<li class=${s! > state.cursor ? 'future' : ''}><button class="link" @click=${() => this.seek(s!)}>#${s} ${e?.at ?? ''} ms ${e?.node ?? ''} ${kind}</button>
          ${e === undefined ? nothing : html`<code>${short(e.data, 90)}</code>`}</li>`;
      })}</ol>`;
  }

  private eventView(e: InstrumentEvent, state: VizState): unknown {
    const { data, ...envelope } = e;
    const isCursor = e.seq === state.cursor;
    return html`<h3>${t(this.lang, 'event')} #${e.seq} <small>${e.kind}</small></h3>
      <table class="kv" data-seq=${e.seq}><tbody>
        ${Object.entries(envelope).filter(([k]) => k !== 'data').map(([k, v]) => html`<tr><th>${k}</th><td class="mono">${short(v, 120)}</td></tr>`)}
      </tbody></table>
      <pre class="json">${JSON.stringify(data, null, 2)}</pre>
      ${e.msg?.uniqKey === undefined ? nothing : html`<button class="link" @click=${() => this.select(`msg:${e.msg!.uniqKey}`)}>${t(this.lang, 'lifeline')}: ${e.msg.uniqKey}</button>`}
      ${isCursor && state.changed.length > 0 ? html`<h3>${t(this.lang, 'changed')}</h3><ul class="changed">${state.changed.map((p) => html`<li class="mono">${p}</li>`)}</ul>` : nothing}`;
  }
}
