// Browser checks 7–11 and 13 of the visualizer design (part C) against the committed
// fixtures that exist (each check is skipped while its fixture is missing), loading a run
// by file picker and by drag-and-drop, the load-error page for unreadable files, and a
// pass over every committed fixture with no console error, taking a screenshot of each.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentMatrix, loadRun, Replay } from '../../viz/src/model/index.js';
import { FIXTURES, fixtureUrl, newVizPage, openViz, SCREENSHOTS, seek, startViz, viz, type VizHarness, type VizPage } from './viz-harness.js';

interface Ev { seq: number; at: number; kind: string; node: string; lane?: string; data: Record<string, unknown>; rpc?: { opaque: number; code: string }; msg?: { uniqKey?: string }; why?: { rule: string; inputs: Record<string, unknown>; outcome: unknown } }

const has = (name: string): boolean => existsSync(join(FIXTURES, `${name}.events.jsonl`));
function eventsOf(name: string): Ev[] {
  if (!has(name)) return [];
  return readFileSync(join(FIXTURES, `${name}.events.jsonl`), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as Ev);
}
const first = (events: Ev[], ok: (e: Ev) => boolean, after = 0): Ev => {
  const e = events.find((x) => x.seq > after && ok(x));
  if (e === undefined) throw new Error('expected event not in the fixture');
  return e;
};

let h: VizHarness;
let vp: VizPage;

beforeAll(async () => {
  h = await startViz();
  vp = await newVizPage(h);
});

afterAll(async () => {
  await h?.close();
});

const panel = (testid: string) => vp.page.locator(`[data-testid="${testid}"]`);

describe('viz: scenario checks', () => {
  it.skipIf(!has('long-poll'))('7. long polling: one held row with its deadline, woken by the arrival, answered FOUND', async () => {
    const ev = eventsOf('long-poll');
    const suspended = first(ev, (e) => e.kind === 'broker.pull.suspended' && e.data['key'] === 'TopicTest@0');
    await openViz(h, vp, `${fixtureUrl('long-poll')}&motion=off`);
    await seek(vp, suspended.seq);
    const rows = panel('hold-table').locator('tr[data-key]');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-key')).toBe('TopicTest@0');
    expect(Number(await rows.first().getAttribute('data-deadline'))).toBe(suspended.at + 15_000);
    await panel('hold-table').screenshot({ path: join(SCREENSHOTS, 'hold-table.png') });

    const append = first(ev, (e) => e.kind === 'store.commitlog.appended' && e.data['topic'] === 'TopicTest', suspended.seq);
    expect(append.at - suspended.at).toBeGreaterThanOrEqual(7_000);
    expect(append.at - suspended.at).toBeLessThan(15_000);
    const cq = first(ev, (e) => e.kind === 'store.consumequeue.appended' && e.data['topic'] === 'TopicTest', append.seq);
    const arrived = first(ev, (e) => e.kind === 'store.message.arrived' && e.data['topic'] === 'TopicTest', append.seq);
    const woken = first(ev, (e) => e.kind === 'broker.pull.woken' && e.data['key'] === 'TopicTest@0', suspended.seq);
    const replied = first(ev, (e) => e.kind === 'broker.pull.replied' && e.data['key'] === 'TopicTest@0', woken.seq);
    expect(woken.data['reason']).toBe('arrival');
    expect(replied.data['status']).toBe('FOUND');
    expect(cq.seq).toBeLessThan(arrived.seq);
    expect(arrived.seq).toBeLessThan(woken.seq);
    expect(woken.seq).toBeLessThan(replied.seq);
    expect(ev.some((e) => e.kind === 'broker.pull.woken' && e.data['reason'] === 'periodic-check' && e.seq < woken.seq)).toBe(false);
    const request = [...ev].reverse().find((e) => e.seq < suspended.seq && e.kind === 'remoting.request.received' && e.node === suspended.node && e.rpc?.code === 'PULL_MESSAGE');
    expect(replied.data['opaque']).toBe(request?.rpc?.opaque);
    const response = first(ev, (e) => e.kind === 'remoting.response.sent' && e.node === suspended.node && e.rpc?.opaque === request?.rpc?.opaque, woken.seq);
    expect(response.seq).toBeGreaterThanOrEqual(replied.seq - 1);
    await seek(vp, replied.seq);
    expect(await panel('hold-table').locator('tr[data-key="TopicTest@0"]').count()).toBe(0);
  });

  it.skipIf(!has('retry-dlq'))('8. retry → schedule → %RETRY% → DLQ: one lifeline, three deliveries, the dlq "why?" card', async () => {
    const ev = eventsOf('retry-dlq');
    const firstSend = first(ev, (e) => e.kind === 'store.commitlog.appended' && e.data['topic'] === 'TopicTest');
    const uniqKey = firstSend.msg!.uniqKey!;
    await openViz(h, vp, `${fixtureUrl('retry-dlq')}&step=${ev.length}&sel=${encodeURIComponent(`msg:${uniqKey}`)}&motion=off`);
    const hops = await panel('lifeline').locator('li.hop').evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-topic')}${e.getAttribute('data-topic') === 'SCHEDULE_TOPIC_XXXX' ? ` q${e.getAttribute('data-queue-id')}` : ''}`));
    expect(hops).toEqual(['TopicTest', 'SCHEDULE_TOPIC_XXXX q2', '%RETRY%cg', 'SCHEDULE_TOPIC_XXXX q3', '%RETRY%cg', '%DLQ%cg']);
    const deliveries = await panel('lifeline').locator('tr[data-delivery]').evaluateAll((els) => els.map((e) => e.getAttribute('data-reconsume-times')));
    expect(deliveries).toEqual(['0', '1', '2']);
    expect(await panel('lifeline').locator('[data-uniq-key]').first().getAttribute('data-uniq-key')).toBe(uniqKey);
    const keys = await viz<string[]>(vp, `window.__viz.state().messages[${JSON.stringify(uniqKey)}].hops.map((h) => h.topic)`);
    expect(keys).toHaveLength(6);
    await panel('lifeline').screenshot({ path: join(SCREENSHOTS, 'lifeline.png') });

    const decided = ev.filter((e) => e.kind === 'broker.retry.decided').at(-1)!;
    await seek(vp, decided.seq);
    const card = panel('narration').locator('[data-testid="why-card"]');
    expect(await card.getAttribute('data-rule')).toBe('retry-or-dlq');
    expect(await card.getAttribute('data-outcome')).toBe('"dlq"');
    expect(await card.locator('tr[data-input="reconsumeTimes"]').getAttribute('data-value')).toBe('2');
    expect(await card.locator('tr[data-input="max"]').getAttribute('data-value')).toBe('2');
    await card.screenshot({ path: join(SCREENSHOTS, 'why-card.png') });
  });

  it.skipIf(!has('tx-check'))('9. transaction check-back: half unit first, real unit only after the check answers COMMIT', async () => {
    const ev = eventsOf('tx-check');
    const half = first(ev, (e) => e.kind === 'broker.tx.half-stored');
    const check = first(ev, (e) => e.kind === 'broker.tx.check-sent');
    const answered = first(ev, (e) => e.kind === 'client.tx.check-answered');
    expect(answered.data['state']).toBe('COMMIT_MESSAGE');
    expect(check.at).toBeGreaterThanOrEqual(half.at + 6_000);
    // Sent by the check service's round, which runs every transactionCheckInterval (60 s).
    expect(check.at % 60_000).toBe(0);
    expect(ev.some((e) => e.kind === 'broker.tx.check-round' && e.at === check.at && (e.data['checked'] as number) >= 1)).toBe(true);
    await openViz(h, vp, `${fixtureUrl('tx-check')}&step=${answered.seq - 1}&motion=off`);
    const cq = panel('consume-queue-view');
    expect(await cq.locator('.cq-row[data-queue="TopicTest/0"]').count()).toBe(0);
    expect(await cq.locator('.cq-row[data-queue="RMQ_SYS_TRANS_HALF_TOPIC/0"]').getAttribute('data-units')).not.toBe('0');
    const realUnit = first(ev, (e) => e.kind === 'store.consumequeue.appended' && e.data['topic'] === 'TopicTest', answered.seq);
    const opUnit = first(ev, (e) => e.kind === 'store.consumequeue.appended' && e.data['topic'] === 'RMQ_SYS_TRANS_OP_HALF_TOPIC', answered.seq);
    await seek(vp, Math.max(realUnit.seq, opUnit.seq));
    expect(await cq.locator('.cq-row[data-queue="RMQ_SYS_TRANS_OP_HALF_TOPIC/0"]').getAttribute('data-units')).toBe('1');
    const units = cq.locator('[data-unit][data-queue="TopicTest/0"]');
    expect(await units.count()).toBe(1);
    expect(Number(await units.first().getAttribute('data-phys-offset'))).not.toBe(half.data['commitLogOffset']);
    const consumed = ev.filter((e) => e.kind === 'client.consume.started' && e.node === 'consumer-1');
    expect(consumed.length).toBeGreaterThan(0);
    for (const c of consumed) expect(c.seq).toBeGreaterThan(answered.seq);
  });

  it.skipIf(!has('rebalance'))('10. rebalance: each settled assignment, a highlighted disagreement, an idle fifth consumer', async () => {
    const ev = eventsOf('rebalance');
    const beat = (id: string): number => first(ev, (e) => e.kind === 'walkthrough.beat.reached' && e.data['id'] === id).seq;
    await openViz(h, vp, `${fixtureUrl('rebalance')}&motion=off`);
    const matrix = panel('assignment-matrix').locator('table[data-topic="TopicTest"]');
    const rows = async (): Promise<Record<string, string>> => Object.fromEntries(await matrix.locator('tr[data-client]').evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-client'), (e.getAttribute('data-allocated') ?? '').split(' ').filter(Boolean).map((q: string) => `q${q.split('@').at(-1)}`).join(' ')])));
    await seek(vp, beat('two'));
    expect(await rows()).toEqual({ c1: 'q0 q1', c2: 'q2 q3' });
    await seek(vp, beat('three'));
    expect(await rows()).toEqual({ c1: 'q0 q1', c2: 'q2', c3: 'q3' });
    // The first step between the two settled states where two clients' views disagree,
    // found with the model in Node; the panel must highlight it.
    const replay = new Replay(loadRun(readFileSync(join(FIXTURES, 'rebalance.events.jsonl'), 'utf8'), 'rebalance'));
    let disagree = 0;
    for (let c = beat('two') + 1; c < beat('three') && disagree === 0; c++) if (assignmentMatrix(replay.stateAt(c), 'TopicTest').disagree) disagree = c;
    expect(disagree).toBeGreaterThan(0);
    await seek(vp, disagree);
    expect(await matrix.getAttribute('data-disagree')).toBe('true');
    expect(await matrix.getAttribute('class')).toContain('disagree');
    // Five consumers, four queues: once the views settle after the fifth joins, c5 is idle.
    let settled = 0;
    for (let c = beat('five'); c <= replay.length && settled === 0; c++) {
      const m = assignmentMatrix(replay.stateAt(c), 'TopicTest');
      if (!m.disagree && m.clients.some((x) => x.node === 'c5')) settled = c;
    }
    expect(settled).toBeGreaterThan(0);
    await seek(vp, settled);
    expect(await matrix.locator('tr[data-client="c5"]').getAttribute('data-idle')).toBe('true');
    expect(await matrix.locator('tr[data-client="c5"] .badge.idle').count()).toBe(1);
    expect(Object.keys(await rows())).toHaveLength(5);
    await panel('assignment-matrix').screenshot({ path: join(SCREENSHOTS, 'assignment-matrix.png') });
  });

  it.skipIf(!has('new-group-last-offset'))('11. consumeFromWhere: the "why?" card of the offset query for a new group', async () => {
    const ev = eventsOf('new-group-last-offset');
    const queried = first(ev, (e) => e.kind === 'broker.offset.queried' && e.data['topic'] === 'TopicTest');
    expect(queried.why?.inputs).toEqual({ stored: -1, minOffset: 0, inMemory: true });
    await openViz(h, vp, `${fixtureUrl('new-group-last-offset')}&step=${queried.seq}&motion=off`);
    const card = panel('narration').locator('[data-testid="why-card"]');
    expect(await card.getAttribute('data-seq')).toBe(String(queried.seq));
    expect(await card.getAttribute('data-outcome')).toBe('0');
    expect(await card.locator('tr[data-input="stored"]').getAttribute('data-value')).toBe('-1');
    expect(await card.locator('tr[data-input="inMemory"]').getAttribute('data-value')).toBe('true');
    expect(await card.locator('.rule-text').innerText()).toContain('CONSUME_FROM_LAST_OFFSET');
    const pull = first(ev, (e) => e.kind === 'client.pull.requested' && String(e.data['mq']).startsWith('TopicTest@'), queried.seq);
    expect(pull.data['queueOffset']).toBe(0);
  });

  it.skipIf(!has('ha-sync'))('13. HA: SEND_OK only after the slave acked the record; SLAVE_NOT_AVAILABLE once it is gone', async () => {
    const ev = eventsOf('ha-sync');
    const append = first(ev, (e) => e.kind === 'store.commitlog.appended' && e.node === 'broker-a');
    const end = (append.data['physOffset'] as number) + (append.data['size'] as number);
    const ack = first(ev, (e) => e.kind === 'store.ha.acked' && (e.data['offset'] as number) >= end, append.seq);
    const ok = first(ev, (e) => e.kind === 'remoting.response.sent' && e.rpc?.code === 'SEND_MESSAGE_V2', append.seq);
    expect(ok.data['code']).toBe(0);
    expect(ack.seq).toBeLessThan(ok.seq);
    const crash = first(ev, (e) => e.kind === 'sim.node.crashed');
    const refused = first(ev, (e) => e.kind === 'remoting.response.sent' && e.rpc?.code === 'SEND_MESSAGE_V2', crash.seq);
    expect(refused.data['code']).toBe(11); // SLAVE_NOT_AVAILABLE
    await openViz(h, vp, `${fixtureUrl('ha-sync')}&step=${ok.seq}&motion=off`);
    expect(Number(await panel('offset-ruler').locator('.ruler').getAttribute('data-slave-acked'))).toBeGreaterThanOrEqual(end);
    await seek(vp, refused.seq);
    const lane = panel('lane-view').locator(`g.ev[data-seq="${refused.seq}"]`);
    await lane.click();
    await viz(vp, 'window.__viz.settled()');
    expect(await panel('inspector').innerText()).toContain('SEND_MESSAGE_V2');
    expect(await panel('inspector').locator('[data-opaque]').getAttribute('data-opaque')).toBe(String(refused.rpc?.opaque));
  });
});

describe('viz: loading runs', () => {
  const sendTwo = readFileSync(join(FIXTURES, 'send-two.events.jsonl'), 'utf8');

  it('lists the committed fixtures and names the line of a file it cannot read', async () => {
    await openViz(h, vp, '');
    const links = panel('fixture-list').locator('a[data-fixture]');
    expect(await links.count()).toBe(readdirSync(FIXTURES).filter((f) => f.endsWith('.events.jsonl')).length);
    const wrongVersion = sendTwo.replace('"v":1', '"v":99');
    await panel('file-input').setInputFiles({ name: 'future.events.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(wrongVersion) });
    await vp.page.waitForSelector('[data-testid="load-error"]');
    expect(await panel('load-error').getAttribute('data-line')).toBe('1');
    expect(await panel('load-error').innerText()).toMatch(/version 99/);
    const broken = sendTwo.split('\n').map((l, i) => (i === 2 ? '{"seq":2,"at":' : l)).join('\n');
    await panel('file-input').setInputFiles({ name: 'broken.events.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(broken) });
    await vp.page.waitForSelector('[data-testid="load-error"][data-line="3"]');
    expect(await panel('load-error').innerText()).toContain('broken.events.jsonl');
    expect(await panel('fixture-list').isVisible()).toBe(true);
    await panel('run-picker').screenshot({ path: join(SCREENSHOTS, 'load-error.png') });
    expect(vp.errors).toEqual([]);
  });

  it('says so when ?run= names a file that does not exist', async () => {
    await openViz(h, vp, '?run=fixtures%2Fno-such-run.events.jsonl');
    expect(await panel('load-error').innerText()).toContain('404');
    expect(await viz(vp, 'window.__viz.error !== undefined')).toBe(true);
  });

  it('opens a run dropped on the page', async () => {
    await openViz(h, vp, '');
    await vp.page.evaluate((text) => {
      const g = globalThis as unknown as { DataTransfer: new () => { items: { add(f: unknown): void } }; File: new (parts: string[], name: string) => unknown; DragEvent: new (t: string, i: object) => unknown; dispatchEvent(e: unknown): boolean };
      const dt = new g.DataTransfer();
      dt.items.add(new g.File([text], 'dropped.events.jsonl'));
      g.dispatchEvent(new g.DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, sendTwo);
    await vp.page.waitForFunction('window.__viz.length() > 0');
    expect(await viz(vp, 'window.__viz.run().name')).toBe('dropped.events.jsonl');
    expect(await panel('run-header').getAttribute('data-scenario')).toBe('send-two');
  });
});

describe('viz: every committed fixture', () => {
  const names = readdirSync(FIXTURES).filter((f) => f.endsWith('.events.jsonl')).map((f) => f.replace(/\.events\.jsonl$/, '')).sort();
  it.each(names)('%s replays to the end with no console error', async (name) => {
    vp.errors.length = 0;
    await openViz(h, vp, `${fixtureUrl(name)}&motion=off`);
    const n = await viz<number>(vp, 'window.__viz.length()');
    expect(n).toBeGreaterThan(0);
    await seek(vp, Math.floor(n / 2));
    await seek(vp, n);
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(n);
    await vp.page.screenshot({ path: join(SCREENSHOTS, `fixture-${name}.png`) });
    expect(vp.errors).toEqual([]);
  });
});
