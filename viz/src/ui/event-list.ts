/**
 * The event list: every event of the run in `seq` order, with the cursor's row highlighted.
 *
 * This is the ShiViz / Perfetto idea of a log linked to the picture: the list, the time
 * slider and every panel show the same cursor, so clicking a row moves all of them. Row k
 * is event k; the cursor sits *after* an event (cursor k = "event k has happened"), so
 * the highlighted row is the last event applied, and at cursor 0 nothing is highlighted.
 *
 * ```
 *   seq   at(ms)  node        kind                        summary
 *   49    14      broker-a    store.mappedfile.created    ...
 * ▶ 50    14      broker-a    store.commitlog.appended    TopicTest/0 #0 @0 +164 B
 *   51    14      broker-a    remoting.response.sent      SEND_MESSAGE_V2 #1 reply 0
 * ```
 *
 * Only a window of rows around the cursor is in the DOM, so a 10,000-event run scrolls as
 * smoothly as a 100-event one. Rows of the selected message or RPC are tinted.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { t } from '../i18n.js';
import type { InstrumentEvent } from '../model/index.js';
import { eventSummary, flowClass, isTeachingMoment } from './event-text.js';
import type { RpcIndex } from './rpc-pairs.js';
import { selectedUniqKey } from './selection.js';
import { VizPanel } from './viz-panel.js';

const WINDOW = 50;

export class EventList extends VizPanel {
  static override properties = { ...VizPanel.properties, rpcIndex: { attribute: false } };
  declare rpcIndex: RpcIndex | undefined;

  constructor() {
    super();
    this.rpcIndex = undefined;
  }

  override render(): unknown {
    const state = this.state;
    const events = this.replay?.run.events ?? [];
    if (state === undefined) return nothing;
    const cursor = state.cursor;
    const from = Math.max(1, cursor - WINDOW);
    const to = Math.min(events.length, cursor + WINDOW);
    const sel = this.selection;
    const uniqKey = selectedUniqKey(state, sel, events);
    const rpcId = sel?.type === 'rpc' ? sel.seq : undefined;
    const windowed = events.slice(from - 1, to);
    const evSeq = sel?.type === 'ev' ? sel.seq : undefined;
    return html`
      <h2>${t(this.lang, 'events')} <small>${events.length}</small></h2>
      <ol class="event-rows" role="listbox" aria-label=${t(this.lang, 'events')}>
        ${from > 1 ? html`<li class="more" aria-hidden="true">… ${from - 1}</li>` : nothing}
        ${repeat(windowed, (e) => e.seq, (e) => this.row(e, cursor, uniqKey, rpcId, evSeq))}
        ${to < events.length ? html`<li class="more" aria-hidden="true">… ${events.length - to}</li>` : nothing}
      </ol>`;
  }

  private row(e: InstrumentEvent, cursor: number, uniqKey: string | undefined, rpcId: number | undefined, evSeq: number | undefined): unknown {
    const current = e.seq === cursor;
    const classes = ['event-row', flowClass(e)];
    if (current) classes.push('current');
    if (e.seq > cursor) classes.push('future');
    if (isTeachingMoment(e)) classes.push('moment');
    if ((uniqKey !== undefined && e.msg?.uniqKey === uniqKey) || (rpcId !== undefined && this.rpcIndex?.bySeq.get(e.seq)?.id === rpcId) || evSeq === e.seq) {
      classes.push('linked');
    }
    return html`<li
      class=${classes.join(' ')}
      role="option"
      aria-selected=${current ? 'true' : 'false'}
      aria-current=${current ? 'step' : 'false'}
      data-seq=${e.seq}
      data-kind=${e.kind}
      @click=${() => this.seek(e.seq)}
    ><span class="seq">${e.seq}</span><span class="at">${e.at}</span><span class="node">${e.node}</span><span class="kind">${e.kind}</span><span class="summary">${eventSummary(e)}</span></li>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('state')) {
      const row = this.querySelector<HTMLElement>('li.current');
      const list = this.querySelector<HTMLElement>('ol.event-rows');
      if (row !== null && list !== null) {
        // Scroll the list only (never the page), keeping the current row in view.
        const top = row.offsetTop; // the list is position: relative, so this is inside it
        if (top < list.scrollTop || top + row.offsetHeight > list.scrollTop + list.clientHeight) {
          list.scrollTop = Math.max(0, top - list.clientHeight / 2);
        }
      }
    }
  }
}
