/**
 * The long-poll hold table: pull requests a broker is holding instead of answering.
 *
 * A consumer that asks for messages past the end of a queue does not get an empty answer
 * at once: with the suspend flag the broker parks the request in `PullRequestHoldService`
 * (for at most the 15 s the client allows) and answers it as soon as one of three things
 * happens, each shown as a distinct event:
 *
 * ```
 *   key           group  offset  held since  deadline   wakes on
 *   TopicTest@0   cg     2       513         15513      arrival (reput saw a new message)
 *                                                      periodic-check (every 5 s)
 *                                                      timeout (deadline passed: empty answer)
 * ```
 *
 * A row appears at `broker.pull.suspended` and leaves when the request is woken and
 * answered; the "in" column counts down the simulated ms left at the cursor.
 */
import { html, nothing } from 'lit';
import { t } from '../i18n.js';
import { VizPanel } from './viz-panel.js';

export class HoldTable extends VizPanel {
  override render(): unknown {
    const state = this.state;
    if (state === undefined) return nothing;
    const rows = Object.entries(state.brokers).flatMap(([broker, view]) => view.holds.map((h) => ({ broker, ...h })));
    return html`
      <h2>${t(this.lang, 'holdTable')} <small>${rows.length}</small></h2>
      ${rows.length === 0
        ? html`<p class="empty">${t(this.lang, 'noHolds')}</p>`
        : html`<table>
          <thead><tr><th>${t(this.lang, 'broker')}</th><th>${t(this.lang, 'key')}</th><th>${t(this.lang, 'group')}</th><th>${t(this.lang, 'offset')}</th>
            <th>${t(this.lang, 'since')}</th><th>${t(this.lang, 'deadline')}</th><th>Δ</th></tr></thead>
          <tbody>${rows.map((h) => html`<tr data-hold=${h.key} data-key=${h.key} data-group=${h.group} data-offset=${h.offset} data-deadline=${h.deadline} data-since=${h.since}
              @click=${() => this.select(`ev:${h.seq}`)} title="#${h.seq}">
            <td>${h.broker}</td><td>${h.key}</td><td>${h.group}</td><td>${h.offset}</td><td>${h.since}</td><td>${h.deadline}</td>
            <td>${Math.max(0, h.deadline - state.at)} ms</td></tr>`)}</tbody>
        </table>`}`;
  }
}
