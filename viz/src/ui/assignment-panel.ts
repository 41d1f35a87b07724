/**
 * The assignment matrix: each consumer's own view of who holds which queue.
 *
 * Rebalancing in 4.x is not coordinated: every client computes the split by itself from
 * the consumer ids and queues it last saw. The matrix puts those private views side by
 * side, one row per client and one column per queue, and marks the moments they disagree
 * (a queue two clients both hold: duplicates; a queue nobody holds: a pause) and the
 * clients left with nothing (more consumers than queues):
 *
 * ```
 *   TopicTest     q0  q1  q2  q3
 *   consumer-1    ■   ■   ·   ·
 *   consumer-2    ·   ·   ■   ·
 *   consumer-3    ·   ·   ■   ■     ◄ q2 held twice: the views disagree
 *   consumer-5    ·   ·   ·   ·     idle
 * ```
 *
 * The numbers come from the model's `assignmentMatrix`; this panel only draws them.
 */
import { html, nothing } from 'lit';
import { t } from '../i18n.js';
import { assignmentMatrix, type AssignmentMatrix } from '../model/index.js';
import { VizPanel } from './viz-panel.js';

/** `TopicTest@broker-a@3` → `broker-a q3`. */
function queueLabel(mq: string): string {
  const parts = mq.split('@');
  return parts.length >= 3 ? `${parts[parts.length - 2]} q${parts[parts.length - 1]}` : mq;
}

export class AssignmentPanel extends VizPanel {
  override render(): unknown {
    const state = this.state;
    if (state === undefined) return nothing;
    const topics = [...new Set(Object.values(state.consumers).flatMap((c) => Object.keys(c.rebalance)))].sort();
    const matrices = topics.map((topic) => assignmentMatrix(state, topic)).filter((m) => m.clients.length > 0);
    if (matrices.length === 0) return nothing;
    return html`<h2>${t(this.lang, 'assignment')}</h2>${matrices.map((m) => this.matrix(m))}`;
  }

  private matrix(m: AssignmentMatrix): unknown {
    return html`<table class="matrix ${m.disagree ? 'disagree' : ''}" data-topic=${m.topic} data-disagree=${m.disagree ? 'true' : 'false'}>
      <thead><tr><th>${m.topic}</th>${m.queues.map((q) => html`<th class=${m.overlaps.includes(q) ? 'overlap' : m.gaps.includes(q) ? 'gap' : ''}>${queueLabel(q)}</th>`)}<th></th></tr></thead>
      <tbody>${m.clients.map((c) => html`<tr data-client=${c.node} data-idle=${c.idle ? 'true' : 'false'} data-allocated=${c.allocated.join(' ')}>
        <th><button class="link" @click=${() => this.select(`node:${c.node}`)}>${c.node}</button></th>
        ${m.queues.map((q) => html`<td class=${c.allocated.includes(q) ? (m.overlaps.includes(q) ? 'held overlap' : 'held') : ''}>${c.allocated.includes(q) ? '■' : '·'}</td>`)}
        <td>${c.idle ? html`<span class="badge idle">${t(this.lang, 'idle')}</span>` : nothing}</td></tr>`)}</tbody>
    </table>`;
  }
}
