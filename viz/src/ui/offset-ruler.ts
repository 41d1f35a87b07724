/**
 * The offset ruler: every position that matters, on one scale per log.
 *
 * "SEND_OK but lost" and "consumed twice after a restart" are both stories about
 * positions that move at different times. Under ASYNC_FLUSH a send is answered once the
 * record is *written* (page cache); the flush service moves *flushed* up to 500 ms later;
 * the reput service moves *dispatched* and grows the consume queue; the consumer moves its
 * offset *in memory* at once and *commits* it to the broker every 5 s. The ruler draws them
 * together so the gaps are visible:
 *
 * ```
 *   commit log  0 ─────────────── flushed ─────── dispatched ── wrote ──►  bytes
 *                                   ▲ a crash keeps only this much
 *   TopicTest/0 0 ── committed ──── memory ─────── CQ max ──►  queue offsets
 *                      ▲ a restart re-pulls from here: duplicates
 * ```
 *
 * The values are also written out as numbers (and as `data-*` attributes for the tests),
 * because a marker's pixel is not something to read a byte offset from. Drawn with d3
 * scales and axes; reduced-motion mode turns the marker transitions off.
 */
import { axisBottom, format, scaleLinear, select, transition, type ScaleLinear } from 'd3';
import { html, nothing } from 'lit';
import { t, type LabelKey } from '../i18n.js';
import type { BrokerView, VizState } from '../model/index.js';
import { focusBroker } from './selection.js';
import { VizPanel } from './viz-panel.js';

const W = 640;
const LEFT = 120;
const RIGHT = 16;
const TRACK = 44;

interface Mark { key: LabelKey; cls: string; value: number }
interface QueueRow { queue: string; cqMax: number; marks: Mark[] }

/** The consumer-side marks of one queue of `broker`: in-memory offsets and committed offsets. */
function queueRows(state: VizState, brokerName: string, broker: BrokerView): QueueRow[] {
  const rows: QueueRow[] = [];
  for (const [key, units] of Object.entries(broker.consumeQueues).sort(([a], [b]) => a.localeCompare(b))) {
    const slash = key.lastIndexOf('/');
    const topic = key.slice(0, slash);
    const queueId = key.slice(slash + 1);
    const marks: Mark[] = [];
    for (const [node, consumer] of Object.entries(state.consumers)) {
      const q = consumer.queues[`${topic}@${brokerName}@${queueId}`];
      if (q?.offset !== undefined) marks.push({ key: 'consumerMemory', cls: `consumer-memory c-${node}`, value: q.offset });
    }
    for (const [gk, offset] of Object.entries(broker.consumerOffsets)) {
      if (gk.endsWith(`@${key}`)) marks.push({ key: 'consumerCommitted', cls: 'consumer-committed', value: offset });
    }
    const cqMax = (units.at(-1)?.queueOffset ?? -1) + 1;
    if (units.length > 0 || marks.length > 0) rows.push({ queue: key, cqMax, marks });
  }
  return rows;
}

export class OffsetRuler extends VizPanel {
  override render(): unknown {
    const state = this.state;
    if (state === undefined) return nothing;
    const name = focusBroker(state, this.selection);
    const broker = name === undefined ? undefined : state.brokers[name];
    if (broker === undefined || name === undefined) return html`<h2>${t(this.lang, 'offsetRuler')}</h2><p class="empty">${t(this.lang, 'noBroker')}</p>`;
    const cl = broker.commitLog;
    const rows = queueRows(state, name, broker);
    const logMarks = this.logMarks(broker);
    return html`
      <h2>${t(this.lang, 'offsetRuler')} <small>${name}</small></h2>
      <div class="ruler" data-broker=${name} data-wrote=${cl.wrote} data-committed=${cl.committed} data-flushed=${cl.flushed} data-dispatched=${cl.dispatched}
        data-slave-acked=${cl.slaveAcked ?? ''}>
        <svg class="ruler-svg" role="img" aria-label=${t(this.lang, 'offsetRuler')}></svg>
        <dl class="ruler-values">
          ${logMarks.map((m) => html`<div class=${m.cls} data-mark=${m.cls}><dt>${t(this.lang, m.key)}</dt><dd>${m.value}</dd></div>`)}
        </dl>
        <table class="ruler-queues">
          <thead><tr><th>${t(this.lang, 'queue')}</th><th>${t(this.lang, 'cqMax')}</th><th>${t(this.lang, 'consumerMemory')}</th><th>${t(this.lang, 'consumerCommitted')}</th></tr></thead>
          <tbody>${rows.map((r) => html`<tr data-queue=${r.queue} data-cq-max=${r.cqMax}>
            <td>${r.queue}</td><td>${r.cqMax}</td>
            <td>${r.marks.filter((m) => m.key === 'consumerMemory').map((m) => m.value).join(', ')}</td>
            <td>${r.marks.filter((m) => m.key === 'consumerCommitted').map((m) => m.value).join(', ')}</td></tr>`)}</tbody>
        </table>
      </div>`;
  }

  private logMarks(broker: BrokerView): Mark[] {
    const cl = broker.commitLog;
    const marks: Mark[] = [
      { key: 'flushed', cls: 'flushed', value: cl.flushed },
      { key: 'committed', cls: 'committed', value: cl.committed },
      { key: 'dispatched', cls: 'dispatched', value: cl.dispatched },
      { key: 'wrote', cls: 'wrote', value: cl.wrote },
    ];
    return marks;
  }

  protected override updated(): void {
    const svgEl = this.querySelector<SVGSVGElement>('svg.ruler-svg');
    const state = this.state;
    if (svgEl === null || state === undefined) return;
    const name = focusBroker(state, this.selection);
    const broker = name === undefined ? undefined : state.brokers[name];
    if (broker === undefined || name === undefined) return;
    const rows = queueRows(state, name, broker);
    const ms = this.motion ? 200 : 0;
    const height = 10 + TRACK + rows.length * TRACK;
    const svg = select(svgEl).attr('viewBox', `0 0 ${W} ${height}`).attr('width', W).attr('height', height);
    const cl = broker.commitLog;
    const logScale = scaleLinear().domain([0, Math.max(cl.wrote, 1)]).range([LEFT, W - RIGHT]);
    this.drawTrack(svg.node()!, 'log', 10, 'CommitLog', logScale, this.logMarks(broker).concat(cl.slaveAcked === undefined ? [] : [{ key: 'slaveAcked', cls: 'slave-acked', value: cl.slaveAcked }]), ms);
    const maxQ = Math.max(1, ...rows.map((r) => Math.max(r.cqMax, ...r.marks.map((m) => m.value))));
    const qScale = scaleLinear().domain([0, maxQ]).range([LEFT, W - RIGHT]);
    const tracks = svg.selectAll<SVGGElement, QueueRow>('g.q-track').data(rows, (r) => r.queue).join('g').attr('class', 'q-track');
    tracks.each((row, i, nodes) => {
      const marks = [{ key: 'cqMax' as LabelKey, cls: 'cq-max', value: row.cqMax }, ...row.marks];
      this.drawTrack(nodes[i]!, 'q', 10 + TRACK + i * TRACK, row.queue, qScale, marks, ms, true);
    });
  }

  /** One horizontal track: a label, a baseline with an axis, and a tick per mark. */
  private drawTrack(el: SVGElement, id: string, y: number, label: string, scale: ScaleLinear<number, number>, marks: Mark[], ms: number, integers = false): void {
    const root = select(el);
    let g = root.select<SVGGElement>(`g.track-${id}`);
    if (g.empty()) g = root.append('g').attr('class', `track track-${id}`);
    g.attr('transform', `translate(0,${y})`);
    g.selectAll('text.track-label').data([label]).join('text').attr('class', 'track-label').attr('x', 4).attr('y', 14).text((d) => d);
    let axis = g.select<SVGGElement>('g.axis');
    if (axis.empty()) axis = g.append('g').attr('class', 'axis');
    const maxTick = scale.domain()[1] ?? 1;
    const ax = axisBottom(scale).ticks(integers ? Math.min(5, maxTick) : 5).tickSizeOuter(0);
    // Queue offsets are unit numbers: no fractional ticks.
    if (integers) ax.tickFormat(format('d'));
    axis.attr('transform', 'translate(0,18)').call(ax);
    g.selectAll<SVGGElement, Mark>('g.mark').data(marks, (m) => m.cls).join((enter) => {
      const m = enter.append('g').attr('class', (d) => `mark ${d.cls}`).attr('transform', (d) => `translate(${scale(d.value)},0)`);
      m.append('line').attr('y1', 2).attr('y2', 18);
      m.append('title');
      return m;
    }).transition(transition('ruler').duration(ms)).attr('transform', (d) => `translate(${scale(d.value)},0)`);
    g.selectAll<SVGGElement, Mark>('g.mark').select('title').text((d) => `${t(this.lang, d.key)}: ${d.value}`);
  }
}
