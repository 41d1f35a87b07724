// Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes on exit) and lists the functions with
// the most self time, optionally only for samples taken inside a time window.
//
//   profile: nodes[{ id, callFrame{ functionName, url, lineNumber } }], startTime (µs),
//            samples[nodeId...], timeDeltas[µs...]   sample i is at startTime + Σ timeDeltas[0..i]
//
// V8's profile clock and Node's process.hrtime are both CLOCK_MONOTONIC on Linux, so the bench can
// pass the window of one phase (in hrtime µs) and drop the broker's start-up and shutdown.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  name: string;
  where: string;
  selfMs: number;
  /** Share of the samples that were not idle. */
  percent: number;
  /** The nearest caller in the project's `src/` that most of this time came through. */
  via: string;
}

export interface ProfileSummary {
  /** Sampled ms inside the window (idle included). */
  windowMs: number;
  busyMs: number;
  /** False when no sample fell inside the window and the whole profile was used instead. */
  windowApplied: boolean;
  top: HotFunction[];
  /** Project functions by inclusive time (itself and everything it called), share of busy time. */
  inclusive: Array<{ name: string; where: string; percent: number }>;
  /** Where the raw .cpuprofile was kept (set by the runner). */
  file?: string;
}

/** Where a function lives: the file relative to the repository, `node:…` for Node's own, `(native)` for bindings. */
function where(url: string, line: number, root: string): string {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const shown = path.startsWith(root) ? relative(root, path) : path;
  // tsx hands V8 transpiled code, so lines are those of the generated code; 0 means unknown.
  return line > 0 ? `${shown}:${line + 1}` : shown;
}

export function summarizeProfile(file: string, root: string, windowUs?: { from: number; to: number }, topN = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, CpuProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const srcPrefix = `${root.replace(/\/$/, '')}/src/`;
  const inSrc = (node: CpuProfileNode): boolean => node.callFrame.url.startsWith('file://') && fileURLToPath(node.callFrame.url).startsWith(srcPrefix);
  const viaCache = new Map<number, string>();
  /** Name and file of the nearest ancestor of `id` (itself excluded) that is project code. */
  const viaOf = (id: number): string => {
    const cached = viaCache.get(id);
    if (cached !== undefined) return cached;
    let at = parent.get(id);
    let found = '';
    while (at !== undefined) {
      const node = byId.get(at);
      if (node !== undefined && inSrc(node)) {
        found = `${node.callFrame.functionName || '(anonymous)'} ${where(node.callFrame.url, node.callFrame.lineNumber, root)}`;
        break;
      }
      at = parent.get(at);
    }
    viaCache.set(id, found);
    return found;
  };
  const vias = new Map<string, Map<string, number>>();
  const inclusive = new Map<string, number>();
  /** Add `dt` to every distinct project function on the stack of `id`. */
  const addInclusive = (id: number, dt: number): void => {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node === undefined || !inSrc(node)) continue;
      const key = `${node.callFrame.functionName || '(anonymous)'}\u0000${where(node.callFrame.url, node.callFrame.lineNumber, root)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  };
  const run = (window: { from: number; to: number } | undefined): { self: Map<string, number>; total: number; idle: number } => {
    vias.clear();
    inclusive.clear();
    const self = new Map<string, number>();
    let total = 0;
    let idle = 0;
    let t = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      t += profile.timeDeltas[i] ?? 0;
      if (window !== undefined && (t < window.from || t > window.to)) continue;
      const dt = profile.timeDeltas[i + 1] ?? 0;
      const node = byId.get(profile.samples[i]!);
      if (node === undefined) continue;
      const name = node.callFrame.functionName || '(anonymous)';
      total += dt;
      if (name === '(idle)') {
        idle += dt;
        continue;
      }
      const key = `${name}\u0000${where(node.callFrame.url, node.callFrame.lineNumber, root)}`;
      self.set(key, (self.get(key) ?? 0) + dt);
      addInclusive(node.id, dt);
      const via = viaOf(node.id);
      let perKey = vias.get(key);
      if (perKey === undefined) vias.set(key, (perKey = new Map()));
      perKey.set(via, (perKey.get(via) ?? 0) + dt);
    }
    return { self, total, idle };
  };
  let windowApplied = windowUs !== undefined;
  let result = run(windowUs);
  if (result.total === 0 && windowUs !== undefined) {
    windowApplied = false;
    result = run(undefined);
  }
  const busy = result.total - result.idle;
  const top = [...result.self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topN)
    .map(([key, us]) => {
      const [name, at] = key.split('\u0000') as [string, string];
      const callers = [...(vias.get(key) ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1]);
      const via = callers.length === 0 || callers[0]![0] === '' ? '' : `${callers[0]![0]} (${Math.round((100 * callers[0]![1]) / us)}%)`;
      return { name, where: at, selfMs: us / 1000, percent: busy > 0 ? (100 * us) / busy : 0, via };
    });
  const inclusiveTop = [...inclusive.entries()]
    .filter(([key]) => !key.startsWith('(anonymous)\u0000')) // module bodies and closures say little
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2 * topN)
    .map(([key, us]) => {
      const [name, at] = key.split('\u0000') as [string, string];
      return { name, where: at, percent: busy > 0 ? (100 * us) / busy : 0 };
    });
  return { windowMs: result.total / 1000, busyMs: busy / 1000, windowApplied, top, inclusive: inclusiveTop };
}
