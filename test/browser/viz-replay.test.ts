// Browser checks 1–6 and 15 of the visualizer design (part C), against the committed
// send-two fixture: load and header, commit-log offsets and the field breakdown, the offset
// ruler under async flush, CQ ↔ commit-log linking, deterministic time travel, deep links,
// exports (Chrome JSON, OTLP), the keyboard and the zh locale. Everything waits on
// window.__viz (ready / seek / settled), never on timers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, fixtureUrl, newVizPage, openViz, press, SCREENSHOTS, seek, startViz, viz, type VizHarness, type VizPage } from './viz-harness.js';

interface Ev { seq: number; at: number; kind: string; node: string; data: Record<string, unknown>; rpc?: { opaque: number }; msg?: { uniqKey?: string } }
interface TraceEvent { name: string; ph: string; pid: number; tid: number; ts?: number; dur?: number; bind_id?: number; flow_in?: boolean; flow_out?: boolean; args?: Record<string, unknown> }

const FIXTURE = 'send-two';
const lines = readFileSync(join(FIXTURES, `${FIXTURE}.events.jsonl`), 'utf8').trim().split('\n');
const header = JSON.parse(lines[0]!) as { scenario: string; seed: number; v: number; nodes: Array<{ id: string }> };
const events = lines.slice(1).map((l) => JSON.parse(l) as Ev);
const N = events.length;
const seqsOf = (kind: string): number[] => events.filter((e) => e.kind === kind).map((e) => e.seq);
const appended = seqsOf('store.commitlog.appended');
const cqAppended = seqsOf('store.consumequeue.appended');

let h: VizHarness;
let vp: VizPage;

beforeAll(async () => {
  h = await startViz();
  vp = await newVizPage(h);
});

afterAll(async () => {
  await h?.close();
});

const text = (testid: string): Promise<string> => vp.page.locator(`[data-testid="${testid}"]`).innerText();
const attr = (selector: string, name: string): Promise<string | null> => vp.page.locator(selector).first().getAttribute(name);
/** Move the time slider to `position` as a drag would (an input event), and wait for the redraw. */
const slideTo = async (position: number): Promise<void> => {
  await vp.page.locator('[data-testid="time-slider"]').evaluate((el, at) => {
    const input = el as unknown as { value: string; dispatchEvent(e: unknown): boolean };
    input.value = String(at);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, position);
  await viz(vp, 'window.__viz.settled()');
};
const state = <T>(expr: string): Promise<T> => viz<T>(vp, `(() => { const s = window.__viz.state(); return ${expr}; })()`);

describe('viz: send-two replay (checks 1–6)', () => {
  it('1. loads the run and shows its header at step 0 / N without console errors', async () => {
    await openViz(h, vp, `${fixtureUrl(FIXTURE)}&motion=off`);
    const run = vp.page.locator('[data-testid="run-header"]');
    expect(await run.getAttribute('data-scenario')).toBe(header.scenario);
    expect(await run.innerText()).toContain(FIXTURE);
    expect(await run.innerText()).toContain(String(header.seed));
    expect(await run.innerText()).toContain('v1');
    expect((await text('step-counter')).trim()).toBe(`0 / ${N}`);
    expect(await viz(vp, 'window.__viz.length()')).toBe(N);
    expect(vp.errors).toEqual([]);
  });

  it('2. shows the first record at physOffset 0 whose fields sum to its size L0 = 102 + P0', async () => {
    // Start a few events before the append and press → until the list highlights it.
    await seek(vp, Math.max(0, appended[0]! - 4));
    while ((await attr('[data-testid="event-list"] li.current', 'data-kind')) !== 'store.commitlog.appended') await press(vp, 'ArrowRight');
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(appended[0]);
    expect(await attr('[data-testid="event-list"] li.current', 'data-kind')).toBe('store.commitlog.appended');
    const records = vp.page.locator('[data-testid="commit-log-view"] [data-record]');
    expect(await records.count()).toBe(1);
    expect(await records.first().getAttribute('data-phys-offset')).toBe('0');
    const l0 = Number(await records.first().getAttribute('data-size'));
    await records.first().click();
    await viz(vp, 'window.__viz.settled()');
    const inspector = vp.page.locator('[data-testid="inspector"]');
    const p0 = Number(await inspector.locator('tr[data-field="propertiesLength"]').getAttribute('data-value'));
    expect(l0).toBe(91 + 2 + 9 + p0);
    const lengths = await inspector.locator('table.fields tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-length'))));
    expect(lengths.reduce((a, b) => a + b, 0)).toBe(l0);
    await vp.page.locator('[data-testid="commit-log-view"]').screenshot({ path: join(SCREENSHOTS, 'commit-log-view.png') });
    await vp.page.locator('[data-testid="inspector"]').screenshot({ path: join(SCREENSHOTS, 'inspector-record.png') });

    await press(vp, 'Escape');
    await seek(vp, appended[1]!);
    expect(await records.count()).toBe(2);
    expect(await records.nth(1).getAttribute('data-phys-offset')).toBe(String(l0));
    const l1 = Number(await records.nth(1).getAttribute('data-size'));
    const p1 = await state<number>(`s.brokers['broker-a'].commitLog.records[1].fields.find((f) => f.name === 'propertiesLength').value`);
    expect(l1).toBe(102 + p1);
  });

  it('3. the offset ruler shows flushed < wrote after the second append, then equal after the flush', async () => {
    await seek(vp, appended[1]!);
    const ruler = '[data-testid="offset-ruler"] .ruler';
    const l0 = events[appended[0]! - 1]!.data['size'] as number;
    const l1 = events[appended[1]! - 1]!.data['size'] as number;
    expect(Number(await attr(ruler, 'data-wrote'))).toBe(l0 + l1);
    expect(Number(await attr(ruler, 'data-flushed'))).toBeLessThan(l0 + l1);
    const flush = seqsOf('store.flush.completed').find((s) => s > appended[1]!)!;
    await seek(vp, flush - 1);
    const before = await attr(ruler, 'data-flushed');
    await press(vp, 'ArrowRight');
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(flush);
    expect(Number(await attr(ruler, 'data-flushed'))).toBe(l0 + l1);
    await vp.page.locator('[data-testid="offset-ruler"]').screenshot({ path: join(SCREENSHOTS, 'offset-ruler.png') });
    await press(vp, 'ArrowLeft');
    expect(await attr(ruler, 'data-flushed')).toBe(before);
  });

  it('4. links the second consume-queue unit to the second commit-log record', async () => {
    await seek(vp, cqAppended[1]!);
    const units = vp.page.locator('[data-testid="consume-queue-view"] [data-unit][data-queue="TopicTest/0"]');
    expect(await units.count()).toBe(2);
    const l0 = events[appended[0]! - 1]!.data['size'] as number;
    const l1 = events[appended[1]! - 1]!.data['size'] as number;
    const triple = async (i: number): Promise<number[]> =>
      Promise.all(['data-byte-pos', 'data-phys-offset', 'data-size', 'data-tags-code'].map(async (a) => Number(await units.nth(i).getAttribute(a))));
    expect(await triple(0)).toEqual([0, 0, l0, 2598919]);
    expect(await triple(1)).toEqual([20, l0, l1, 2598920]);
    await units.nth(1).click();
    await viz(vp, 'window.__viz.settled()');
    expect(await units.nth(1).getAttribute('class')).toContain('selected');
    const linked = vp.page.locator('[data-testid="commit-log-view"] [data-record].linked');
    expect(await linked.count()).toBe(1);
    expect(await linked.getAttribute('data-phys-offset')).toBe(String(l0));
    const keys = await vp.page.locator('[data-testid="inspector"] [data-uniq-key]').evaluateAll((els) => els.map((e) => e.getAttribute('data-uniq-key')));
    const m1 = events[appended[1]! - 1]!.msg?.uniqKey;
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys)).toEqual(new Set([m1]));
    await vp.page.locator('[data-testid="consume-queue-view"]').screenshot({ path: join(SCREENSHOTS, 'consume-queue-view.png') });
    await press(vp, 'Escape');
  });

  it('5. gives deep-equal state at k whether sought, slid to, or stepped back and forth', async () => {
    // The slider moves by simulated ms and lands on the last event of that millisecond,
    // so k is the last event sharing the millisecond of event ⌊N/2⌋.
    const mid = events[Math.floor(N / 2) - 1]!;
    const k = events.filter((e) => e.at === mid.at).at(-1)!.seq;
    await seek(vp, k);
    const reference = await viz<unknown>(vp, 'window.__viz.state()');
    await openViz(h, vp, `${fixtureUrl(FIXTURE)}&motion=off`);
    await seek(vp, k);
    expect(await viz(vp, 'window.__viz.state()')).toEqual(reference);
    await seek(vp, 0);
    await slideTo(await viz<number>(vp, `window.__viz.sliderPosition(${mid.at})`));
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(k);
    expect(await viz(vp, 'window.__viz.state()')).toEqual(reference);
    await press(vp, 'ArrowLeft');
    await press(vp, 'ArrowRight');
    expect(await viz(vp, 'window.__viz.state()')).toEqual(reference);
  });

  it('6. opens a deep link at step k with m1 selected, keeps it on reload, and rewrites step= on →', async () => {
    const m1 = events[appended[1]! - 1]!.msg!.uniqKey!;
    const k = appended[1]! + 3;
    await openViz(h, vp, `${fixtureUrl(FIXTURE)}&step=${k}&sel=${encodeURIComponent(`msg:${m1}`)}&motion=off`);
    const check = async (): Promise<void> => {
      expect(await viz(vp, 'window.__viz.cursor()')).toBe(k);
      expect(await vp.page.locator('[data-testid="inspector"] [data-uniq-key]').first().getAttribute('data-uniq-key')).toBe(m1);
      expect(await text('inspector')).toContain(m1);
    };
    await check();
    await vp.page.reload();
    await vp.page.waitForFunction('window.__viz !== undefined && window.__viz.ready === true');
    await viz(vp, 'window.__viz.settled()');
    await check();
    await press(vp, 'ArrowRight');
    const url = new URL(vp.page.url());
    expect(url.searchParams.get('step')).toBe(String(k + 1));
    expect(url.searchParams.get('sel')).toBe(`msg:${m1}`);
    expect(url.searchParams.get('run')).toBe(`fixtures/${FIXTURE}.events.jsonl`);
    await vp.page.locator('[data-testid="lane-view"]').screenshot({ path: join(SCREENSHOTS, 'lane-view.png') });
    await vp.page.locator('[data-testid="event-list"]').screenshot({ path: join(SCREENSHOTS, 'event-list.png') });
    await vp.page.screenshot({ path: join(SCREENSHOTS, 'send-two-page.png'), fullPage: true });
    expect(vp.errors).toEqual([]);
  });
});

describe('viz: the time slider over a run that mostly waits (retry-dlq)', () => {
  it('squeezes each idle stretch over 1 s, marks it with its length, and a slide just past one lands on the first event after it', async () => {
    const retry = readFileSync(join(FIXTURES, 'retry-dlq.events.jsonl'), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as Ev);
    const times = [...new Set(retry.map((e) => e.at))];
    const pauses = times.slice(1).map((at, i) => ({ from: times[i]!, to: at })).filter((p) => p.to - p.from > 1000);
    expect(pauses.length).toBeGreaterThan(2);
    await openViz(h, vp, `${fixtureUrl('retry-dlq')}&motion=off`);
    const marks = vp.page.locator('[data-testid="idle-gap"]');
    expect(await marks.count()).toBe(pauses.length);
    expect(await marks.first().getAttribute('data-from')).toBe(String(pauses[0]!.from));
    expect(await marks.first().getAttribute('data-to')).toBe(String(pauses[0]!.to));
    expect(await marks.first().getAttribute('title')).toContain(`${(pauses[0]!.to - pauses[0]!.from).toLocaleString('en-US')} ms`);
    const max = Number(await vp.page.locator('[data-testid="time-slider"]').getAttribute('max'));
    expect(max).toBeLessThan(retry.at(-1)!.at / 4); // 40 s of waiting is not 40,000 slider units
    // The longest pause: a slide into it stays on the event before it, one just past it lands after it.
    const longest = pauses.reduce((a, b) => (b.to - b.from > a.to - a.from ? b : a));
    const lastBefore = retry.filter((e) => e.at <= longest.from).at(-1)!.seq;
    const lastAtArrival = retry.filter((e) => e.at <= longest.to).at(-1)!.seq;
    const from = await viz<number>(vp, `window.__viz.sliderPosition(${longest.from})`);
    const to = await viz<number>(vp, `window.__viz.sliderPosition(${longest.to})`);
    expect(to - from).toBe(250);
    await slideTo((from + to) / 2);
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(lastBefore);
    await slideTo(to);
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(lastAtArrival);
    expect((await text('time')).trim()).toBe(`${longest.to} ms`);
    expect(vp.errors).toEqual([]);
  });
});

describe('viz: exports, keyboard and locale (check 15)', () => {
  it('exports Chrome JSON with one flow_out and one flow_in per RPC, nested slices and process names', async () => {
    await openViz(h, vp, `${fixtureUrl(FIXTURE)}&motion=off`);
    const [download] = await Promise.all([vp.page.waitForEvent('download'), vp.page.locator('[data-testid="export-chrome"]').click()]);
    expect(download.suggestedFilename()).toBe(`${FIXTURE}.chrome-trace.json`);
    const trace = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { traceEvents: TraceEvent[] };
    const te = trace.traceEvents;
    const outs = te.filter((e) => e.flow_out === true);
    const ins = te.filter((e) => e.flow_in === true);
    expect(ins.length).toBe(seqsOf('remoting.request.received').length);
    const count = (list: TraceEvent[]): Map<number, number> => list.reduce((m, e) => m.set(e.bind_id!, (m.get(e.bind_id!) ?? 0) + 1), new Map<number, number>());
    const outCount = count(outs);
    for (const [bind, n] of count(ins)) {
      expect(typeof bind).toBe('number');
      expect(n).toBe(1);
      expect(outCount.get(bind)).toBe(1);
      const out = outs.find((e) => e.bind_id === bind)!;
      const inn = ins.find((e) => e.bind_id === bind)!;
      expect(inn.args?.['opaque']).toBe(out.args?.['opaque']);
    }
    const byTid = new Map<string, TraceEvent[]>();
    for (const e of te.filter((x) => x.ph === 'X')) byTid.set(`${e.pid}/${e.tid}`, [...(byTid.get(`${e.pid}/${e.tid}`) ?? []), e]);
    for (const slices of byTid.values()) {
      const open: Array<{ end: number }> = [];
      for (const s of [...slices].sort((a, b) => a.ts! - b.ts! || b.dur! - a.dur!)) {
        while (open.length > 0 && open.at(-1)!.end <= s.ts!) open.pop();
        if (open.length > 0) expect(s.ts! + s.dur!).toBeLessThanOrEqual(open.at(-1)!.end);
        open.push({ end: s.ts! + s.dur! });
      }
    }
    const names = te.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.args?.['name']);
    for (const node of header.nodes) expect(names).toContain(node.id);
  });

  it('exports OTLP JSONL with PRODUCER and CONSUMER spans, process spans linked to their creation span', async () => {
    const [download] = await Promise.all([vp.page.waitForEvent('download'), vp.page.locator('[data-testid="export-otlp"]').click()]);
    const rows = readFileSync((await download.path())!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> });
    const spans = rows.flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
    const kindOf = (s: Record<string, unknown>): string => String(s['kind']);
    expect(spans.some((s) => kindOf(s) === '4' || kindOf(s) === 'SPAN_KIND_PRODUCER')).toBe(true);
    expect(spans.some((s) => kindOf(s) === '5' || kindOf(s) === 'SPAN_KIND_CONSUMER')).toBe(true);
    const ids = new Set(spans.map((s) => s['spanId']));
    const process = spans.filter((s) => String(s['name']).startsWith('process '));
    expect(process.length).toBeGreaterThan(0);
    for (const p of process) {
      const links = p['links'] as Array<{ spanId: string }> | undefined;
      expect(links?.length).toBeGreaterThan(0);
      expect(ids.has(links![0]!.spanId)).toBe(true);
    }
  });

  it('does what the help sheet says for Space, →, ←, Home, End and ?, and announces the beat', async () => {
    await seek(vp, 0);
    await press(vp, 'ArrowRight');
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(1);
    await press(vp, 'ArrowLeft');
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(0);
    await press(vp, 'End');
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(N);
    await press(vp, 'Home');
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(0);
    await press(vp, 'Space');
    await vp.page.waitForFunction('window.__viz.cursor() > 0');
    await press(vp, 'Space');
    const paused = await viz<number>(vp, 'window.__viz.cursor()');
    expect(await vp.page.locator('[data-action="toggle-play"]').getAttribute('aria-pressed')).toBe('false');
    await viz(vp, 'new Promise((r) => setTimeout(r, 300))');
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(paused);
    await press(vp, '?');
    const help = vp.page.locator('[data-testid="help-sheet"] [role="dialog"]');
    expect(await help.isVisible()).toBe(true);
    for (const action of ['toggle-play', 'forward', 'back', 'home', 'end', 'next-moment', 'granularity']) expect(await help.locator(`tr[data-action="${action}"]`).count()).toBe(1);
    await help.screenshot({ path: join(SCREENSHOTS, 'help-sheet.png') });
    await press(vp, 'Escape');
    expect(await help.count()).toBe(0);

    await seek(vp, 0);
    await press(vp, 'Shift+ArrowRight');
    const beatSeq = seqsOf('walkthrough.beat.reached')[0]!;
    const cursor = await viz<number>(vp, 'window.__viz.cursor()');
    expect(cursor).toBeLessThanOrEqual(beatSeq);
    while ((await viz<number>(vp, 'window.__viz.cursor()')) < beatSeq) await press(vp, 'Shift+ArrowRight');
    const beat = events[beatSeq - 1]!.data as { en: string; zh: string };
    const log = vp.page.locator('[data-testid="step-log"] [aria-live="polite"]');
    expect(await log.innerText()).toContain(beat.en);
  });

  it('steps by RPC hop and by store op: G cycles the granularity, → and ← move between events of that kind only', async () => {
    const rpcHops = events.filter((e) => e.kind.startsWith('remoting.request.') || e.kind.startsWith('remoting.response.')).map((e) => e.seq);
    const storeOps = events.filter((e) => e.kind.startsWith('store.')).map((e) => e.seq);
    const by = vp.page.locator('[data-testid="granularity"]');
    await seek(vp, 0);
    expect(await by.inputValue()).toBe('event');
    await press(vp, 'g');
    expect(await by.inputValue()).toBe('rpc');
    for (const expected of rpcHops.slice(0, 4)) {
      await press(vp, 'ArrowRight');
      expect(await viz(vp, 'window.__viz.cursor()')).toBe(expected);
      expect(await attr('[data-testid="event-list"] li.current', 'data-kind')).toMatch(/^remoting\.(request|response)\./);
    }
    await press(vp, 'ArrowLeft');
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(rpcHops[2]);
    await press(vp, 'g');
    expect(await by.inputValue()).toBe('store');
    await press(vp, 'ArrowRight');
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(storeOps.find((s) => s > rpcHops[2]!));
    expect(new URL(vp.page.url()).searchParams.get('by')).toBe('store'); // the deep link keeps it
    await vp.page.reload();
    await vp.page.waitForFunction('window.__viz !== undefined && window.__viz.ready === true');
    await viz(vp, 'window.__viz.settled()');
    expect(await by.inputValue()).toBe('store');
    await by.selectOption('event');
    await viz(vp, 'window.__viz.settled()');
    expect(new URL(vp.page.url()).searchParams.get('by')).toBeNull();
    const here = await viz<number>(vp, 'window.__viz.cursor()');
    await press(vp, 'ArrowRight');
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(here + 1);
  });

  it('shows the same step in Chinese after a reload with ?lang=zh', async () => {
    const beatSeq = seqsOf('walkthrough.beat.reached')[1]!;
    const beat = events[beatSeq - 1]!.data as { en: string; zh: string };
    await openViz(h, vp, `${fixtureUrl(FIXTURE)}&step=${beatSeq}&lang=zh&motion=off`);
    expect(await viz(vp, 'window.__viz.cursor()')).toBe(beatSeq);
    expect((await vp.page.locator('[data-testid="narration"] .beat').innerText()).trim()).toBe(beat.zh);
    expect(await vp.page.locator('[data-testid="step-log"]').innerText()).toContain(beat.zh);
    await vp.page.locator('[data-testid="narration"]').screenshot({ path: join(SCREENSHOTS, 'narration-zh.png') });
    expect(vp.errors).toEqual([]);
  });
});
