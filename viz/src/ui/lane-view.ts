/**
 * The sequence view: one column per node, one row per event, RPC arrows matched by opaque.
 *
 * A RocketMQ cluster is a handful of processes that talk only by request/response over
 * TCP. Drawing them as a sequence diagram (the ShiViz / Jepsen timeline shape) shows who
 * waits for whom: the producer's SEND_MESSAGE_V2 crossing to the broker, the broker's
 * append and reply, the consumer's PULL_MESSAGE held for seconds and answered only when a
 * message arrives. Time runs downwards; the cursor's row is the band across the middle and
 * rows after it are dimmed (they have not happened yet at this step).
 *
 * ```
 *   seq  at   namesrv-1   broker-a    producer-1   consumer-1   kind
 *    46  13       │          │   ◄──────── ●          │         remoting.request.sent
 *    47  14       │          ● ◄┘          │          │         remoting.request.received
 *    50  14       │          ●             │          │         store.commitlog.appended
 *    51  14       │          ● ──────────► │          │         remoting.response.sent
 * ```
 *
 * Only a window of rows around the cursor is drawn (an arrow whose other end is outside the
 * window is cut at the edge, dashed). Clicking a node header inspects the node; clicking a
 * dot moves the cursor to that event, and an RPC dot also selects the whole request/response.
 * Drawn with d3 data joins keyed by seq, so stepping slides rows instead of redrawing them;
 * in reduced-motion mode the transitions take 0 ms.
 */
import { select, transition, type Selection as D3Selection } from 'd3';
import { html, nothing } from 'lit';
import { t } from '../i18n.js';
import type { InstrumentEvent, LoadedRun } from '../model/index.js';
import { flowClass } from './event-text.js';
import type { RpcIndex, RpcPair } from './rpc-pairs.js';
import { selectedUniqKey } from './selection.js';
import { VizPanel } from './viz-panel.js';

const BEFORE = 22;
const AFTER = 6;
const ROW = 17;
const HEAD = 34;
const GUTTER = 64;
const COL_MAX = 112;
const COL_MIN = 72;
const KIND_W = 230;

interface Arrow { id: string; x1: number; y1: number; x2: number; y2: number; cut: boolean; future: boolean; linked: boolean; late: boolean }

/** The columns: the header's nodes in order, then nodes that only appear in events, then `sim`. */
export function laneNodes(run: LoadedRun): string[] {
  const nodes = run.header.nodes.map((n) => n.id).filter((n) => n !== 'sim');
  const seen = new Set(nodes);
  let sim = false;
  for (const e of run.events) {
    if (e.node === 'sim') sim = true;
    else if (!seen.has(e.node)) { seen.add(e.node); nodes.push(e.node); }
  }
  if (sim) nodes.push('sim');
  return nodes;
}

export class LaneView extends VizPanel {
  static override properties = { ...VizPanel.properties, rpcIndex: { attribute: false } };
  declare rpcIndex: RpcIndex | undefined;
  private nodesCache: { run: LoadedRun; nodes: string[] } | undefined;

  constructor() {
    super();
    this.rpcIndex = undefined;
  }

  override render(): unknown {
    if (this.state === undefined) return nothing;
    return html`<h2>${t(this.lang, 'lanes')}</h2><div class="lane-scroll"><svg class="lanes" role="img" aria-label=${t(this.lang, 'lanes')}></svg></div>`;
  }

  protected override updated(): void {
    const svg = this.querySelector('svg.lanes');
    if (svg !== null) this.draw(svg as SVGSVGElement);
  }

  private nodes(): string[] {
    const run = this.replay?.run;
    if (run === undefined) return [];
    if (this.nodesCache?.run !== run) this.nodesCache = { run, nodes: laneNodes(run) };
    return this.nodesCache.nodes;
  }

  private draw(el: SVGSVGElement): void {
    const state = this.state;
    const events = this.replay?.run.events ?? [];
    if (state === undefined) return;
    const nodes = this.nodes();
    const cursor = state.cursor;
    const from = Math.max(1, cursor - BEFORE);
    const to = Math.min(events.length, Math.max(cursor, 1) + AFTER);
    const rows = events.slice(from - 1, to);
    // Columns shrink to fit the panel (down to COL_MIN, then the panel scrolls sideways).
    const avail = (this.clientWidth || 900) - 20;
    const COL = Math.max(COL_MIN, Math.min(COL_MAX, Math.floor((avail - GUTTER - KIND_W) / Math.max(1, nodes.length))));
    const xOf = (node: string): number => GUTTER + COL / 2 + Math.max(0, nodes.indexOf(node)) * COL;
    const yOf = (seq: number): number => HEAD + (seq - from) * ROW + ROW / 2;
    const width = GUTTER + nodes.length * COL + KIND_W;
    const height = HEAD + (BEFORE + AFTER + 1) * ROW + 4;
    const ms = this.motion ? 180 : 0;
    // One named transition for the whole redraw (importing `transition` also keeps d3's
    // selection.transition() patch in the bundle: d3 is marked side-effect free).
    const tr = transition('lanes').duration(ms);
    const up = new Map(state.nodes.map((n) => [n.id, n.up]));
    const sel = this.selection;
    const uniqKey = selectedUniqKey(state, sel, events);
    const rpcSel = sel?.type === 'rpc' ? sel.seq : undefined;
    const isLinked = (e: InstrumentEvent): boolean =>
      (uniqKey !== undefined && e.msg?.uniqKey === uniqKey) || (rpcSel !== undefined && this.rpcIndex?.bySeq.get(e.seq)?.id === rpcSel) || (sel?.type === 'ev' && sel.seq === e.seq);

    const svg = select(el).attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
    let defs = svg.select<SVGDefsElement>('defs');
    if (defs.empty()) {
      defs = svg.append('defs');
      defs.append('marker').attr('id', 'lane-arrow').attr('viewBox', '0 0 10 10').attr('refX', 9).attr('refY', 5)
        .attr('markerWidth', 7).attr('markerHeight', 7).attr('orient', 'auto-start-reverse')
        .append('path').attr('d', 'M 0 0 L 10 5 L 0 10 z').attr('class', 'arrow-head');
    }
    const layer = (name: string): D3Selection<SVGGElement, unknown, null, undefined> => {
      let g = svg.select<SVGGElement>(`g.${name}`);
      if (g.empty()) g = svg.append('g').attr('class', name);
      return g;
    };
    const band = layer('band');
    const lines = layer('node-lines');
    const arrowsG = layer('arrows');
    const dots = layer('dots');
    const heads = layer('heads');

    band.selectAll('rect').data(cursor > 0 ? [cursor] : []).join('rect')
      .attr('class', 'cursor-band').attr('x', 0).attr('width', width).attr('height', ROW)
      .attr('y', (s) => yOf(s) - ROW / 2);

    lines.selectAll('line').data(nodes, (d) => d as string).join('line')
      .attr('class', (n) => (up.get(n) === false ? 'node-line down' : 'node-line'))
      .attr('x1', xOf).attr('x2', xOf).attr('y1', HEAD).attr('y2', height);

    const head = heads.selectAll<SVGGElement, string>('g.node-head').data(nodes, (d) => d).join((enter) => {
      const g = enter.append('g').attr('class', 'node-head').attr('tabindex', 0).attr('role', 'button');
      g.append('rect').attr('height', 22).attr('rx', 4);
      g.append('text').attr('text-anchor', 'middle').attr('dy', 15);
      return g;
    });
    head.attr('transform', (n) => `translate(${xOf(n)},4)`)
      .attr('data-node', (n) => n)
      .classed('down', (n) => up.get(n) === false)
      .classed('selected', (n) => sel?.type === 'node' && sel.node === n)
      .on('click', (_ev, n) => this.select(`node:${n}`))
      .on('keydown', (ev: KeyboardEvent, n) => { if (ev.key === 'Enter') this.select(`node:${n}`); });
    head.select('rect').attr('x', -COL / 2 + 4).attr('width', COL - 8);
    head.select('text').text((n) => (n.length * 6.5 > COL - 10 ? `${n.slice(0, Math.max(3, Math.floor((COL - 10) / 6.5) - 1))}…` : n));
    head.selectAll('title').data((n) => [n]).join('title').text((n) => n);

    const row = dots.selectAll<SVGGElement, InstrumentEvent>('g.ev').data(rows, (e) => String(e.seq)).join(
      (enter) => {
        const g = enter.append('g').attr('class', 'ev').attr('transform', (e) => `translate(0,${yOf(e.seq) + (e.seq > cursor ? ROW : -ROW)})`).attr('opacity', 0);
        g.append('rect').attr('class', 'hit').attr('x', 0).attr('y', -ROW / 2).attr('height', ROW);
        g.append('text').attr('class', 'ev-seq').attr('x', 4).attr('dy', 4);
        g.append('circle').attr('r', 4.5);
        g.append('text').attr('class', 'ev-kind').attr('dy', 4);
        g.append('title');
        return g;
      },
      (update) => update,
      (exit) => exit.transition(tr).attr('opacity', 0).remove(),
    );
    row.on('click', (_ev, e) => {
      this.seek(e.seq);
      const pair = this.rpcIndex?.bySeq.get(e.seq);
      if (pair !== undefined) this.select(`rpc:${pair.id}`);
    });
    row.attr('class', (e) => `ev ${flowClass(e)}${e.seq === cursor ? ' current' : ''}${e.seq > cursor ? ' future' : ''}${isLinked(e) ? ' linked' : ''}`)
      .attr('data-seq', (e) => e.seq);
    row.transition(tr).attr('transform', (e) => `translate(0,${yOf(e.seq)})`).attr('opacity', 1);
    row.select('rect.hit').attr('width', width);
    row.select('text.ev-seq').text((e) => `${e.seq} · ${e.at}`);
    row.select('circle').attr('cx', (e) => xOf(e.node));
    row.select('text.ev-kind').attr('x', GUTTER + nodes.length * COL + 6).text((e) => e.kind);
    row.select('title').text((e) => `#${e.seq} at ${e.at} ms · ${e.node}${e.lane ? ` / ${e.lane}` : ''} · ${e.kind}`);

    const arrows = this.arrows(from, to, cursor, xOf, yOf, rpcSel);
    arrowsG.selectAll<SVGLineElement, Arrow>('line').data(arrows, (a) => a.id).join('line')
      .attr('class', (a) => `rpc-arrow${a.cut ? ' cut' : ''}${a.future ? ' future' : ''}${a.linked ? ' linked' : ''}${a.late ? ' late' : ''}`)
      .attr('marker-end', 'url(#lane-arrow)')
      .transition(tr)
      .attr('x1', (a) => a.x1).attr('y1', (a) => a.y1).attr('x2', (a) => a.x2).attr('y2', (a) => a.y2);
  }

  /** Request and response arrows of every RPC with at least one end in the window. */
  private arrows(from: number, to: number, cursor: number, xOf: (n: string) => number, yOf: (s: number) => number, rpcSel: number | undefined): Arrow[] {
    const index = this.rpcIndex;
    if (index === undefined) return [];
    const out: Arrow[] = [];
    const seen = new Set<RpcPair>();
    for (let seq = from; seq <= to; seq++) {
      const pair = index.bySeq.get(seq);
      if (pair === undefined || seen.has(pair)) continue;
      seen.add(pair);
      const legs: Array<[number | undefined, number | undefined, string, string, string, boolean]> = [
        [pair.sent, pair.received, pair.from, pair.to, 'req', false],
        [pair.replied, pair.answered, pair.to, pair.from, 'resp', pair.answered === undefined && pair.timedOut !== undefined],
      ];
      for (const [a, b, na, nb, leg, late] of legs) {
        if (a === undefined || b === undefined) continue;
        if (b < from || a > to) continue;
        const ya = yOf(Math.max(a, from - 0.5));
        const yb = yOf(Math.min(b, to + 0.5));
        out.push({ id: `${pair.id}-${leg}`, x1: xOf(na), y1: ya, x2: xOf(nb), y2: yb, cut: a < from || b > to, future: b > cursor, linked: rpcSel === pair.id, late });
      }
    }
    return out;
  }
}
