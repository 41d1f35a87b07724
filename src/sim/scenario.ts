/**
 * Scenario: a scripted run on the simulated cluster, narrated for a learner, that ends as an
 * event log the visualizer can replay.
 *
 * A scenario is the shared core of a walkthrough (`npm run walkthrough -- <name>` prints it),
 * a visualizer fixture (`viz/fixtures/<name>.events.jsonl` is its event log) and a golden
 * test (the log must not change unless behaviour does). It is plain code against a
 * {@link SimCluster}: start nodes, send, consume, crash, and at each teaching moment call
 * `beat()` with what just happened, in English and Chinese, using this run's real numbers.
 *
 * ```
 *   runScenario(scenario)
 *     1. new SimCluster({ seed: scenario.seed, ... })
 *     2. scenario.run({ cluster, beat, find })      the script; beat() emits
 *                                                   walkthrough.beat.reached {id, en, zh}
 *     3. cluster.shutdown()
 *     4. header = run.header {scenario, seed, config, nodes, lanes}
 *   ──► { header, events }  ──►  encodeEventLog()  ──►  <name>.events.jsonl
 * ```
 *
 * Narration lives in the event log itself, so the console, the viz and a test all read the
 * same sentences; nothing has to be kept in sync by hand.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ; its `example/` programs play this part,
 * without narration.
 *
 * @article why-read "Watching RocketMQ think"
 * @emits walkthrough.beat.reached
 * @category Sim
 * @module
 */
import { NodeEvents, RecordingSink } from '../events/event-sink.js';
import { EVENT_SCHEMA_VERSION, type EventKind, type InstrumentEvent, type LaneDecl, type RunHeader } from '../events/event-types.js';
import { SimCluster, type ClusterBroker, type SimBrokerOptions, type SimClusterOptions } from './sim-cluster.js';

/** The article slugs of `docs/articles.md`, in reading order. */
export const ARTICLE_SLUGS = [
  'why-read', 'namesrv', 'topic', 'message', 'send-receive', 'store', 'pull-consume-1', 'pull-consume-2',
  'store-init', 'orderly', 'ha', 'schedule-retry', 'filtersrv', 'transaction',
] as const;
export type ArticleSlug = (typeof ARTICLE_SLUGS)[number];

/** One sentence in both languages. */
export interface Narration {
  readonly en: string;
  readonly zh: string;
}

/**
 * The part of {@link SimCluster} a scenario that can also run for real uses: start nodes,
 * create topics, build clients, and wait. `RealCluster` (`src/platform/node/startup/`)
 * implements it over TCP and the real disk, with the wall clock.
 */
export interface ScenarioCluster {
  readonly startMs: number;
  readonly namesrvAddr: string;
  readonly sink: SimCluster['sink'];
  readonly events: SimCluster['events'];
  readonly roles: SimCluster['roles'];
  startNamesrv(node?: string): Promise<unknown>;
  startBroker(name: string, options?: SimBrokerOptions): Promise<ClusterBroker>;
  createTopic: SimCluster['createTopic'];
  producer: SimCluster['producer'];
  pushConsumer: SimCluster['pushConsumer'];
  liteConsumer: SimCluster['liteConsumer'];
  clientHost: SimCluster['clientHost'];
  track: SimCluster['track'];
  settle: SimCluster['settle'];
  until: SimCluster['until'];
  advance: SimCluster['advance'];
  now(): number;
  effectiveConfig(): Record<string, unknown>;
  shutdown(): Promise<void>;
}

/** What a scenario script is given; `C` is {@link SimCluster} unless the scenario can also run for real. */
export interface ScenarioContext<C extends ScenarioCluster = SimCluster> {
  readonly cluster: C;
  /** A teaching moment: narrate what just happened. Emits `walkthrough.beat.reached`. */
  beat(id: string, text: Narration): void;
  /** The recorded events of `kind` so far (optionally of one node), oldest first. */
  find<K extends EventKind>(kind: K, node?: string): Array<Extract<InstrumentEvent, { kind: K }>>;
}

interface ScenarioBase {
  /** File-name friendly: `send-two` → `send-two.events.jsonl`. */
  readonly name: string;
  readonly article: ArticleSlug;
  readonly title: Narration;
  /** One or two sentences: what the run shows and what to look at. */
  readonly summary: Narration;
  readonly seed: number;
  /** Cluster settings beyond the seed (profile, latency). */
  readonly cluster?: Omit<SimClusterOptions, 'seed' | 'sink'>;
}

/** A scenario that needs the simulation (crashes, partitions, minutes of virtual time). */
export interface SimScenario extends ScenarioBase {
  readonly real?: false;
  run(context: ScenarioContext): Promise<void>;
}

/** A scenario that also makes sense over real TCP and disk (`npm run walkthrough -- <name> --real`). */
export interface RealCapableScenario extends ScenarioBase {
  readonly real: true;
  run(context: ScenarioContext<ScenarioCluster>): Promise<void>;
}

export type Scenario = SimScenario | RealCapableScenario;

export interface ScenarioRun {
  readonly header: RunHeader;
  readonly events: readonly InstrumentEvent[];
}

export interface RunScenarioOptions {
  /** Run on this cluster instead of a new SimCluster (only for scenarios with `real: true`). */
  readonly cluster?: ScenarioCluster;
  /** Called for every beat as it happens (the walkthrough prints it). */
  readonly onBeat?: (beat: { id: string; at: number; text: Narration }) => void;
  /** Written into the header's `commit` field. @defaultValue `'fixture'` (keeps fixtures stable across commits) */
  readonly commit?: string;
}

/** Run a scenario on a fresh simulated cluster and return its event log. */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): Promise<ScenarioRun> {
  if (options.cluster !== undefined && scenario.real !== true) throw new Error(`scenario ${scenario.name} runs only in the simulation`);
  const sim = options.cluster === undefined ? new SimCluster({ ...scenario.cluster, seed: scenario.seed }) : undefined;
  const cluster: ScenarioCluster = options.cluster ?? sim!;
  const sink = cluster.sink as RecordingSink;
  const narrator = new NodeEvents(sink, 'sim', 'Walkthrough');
  const base = {
    beat: (id: string, text: Narration) => {
      narrator.emit('walkthrough.beat.reached', { id, en: text.en, zh: text.zh }, { flow: 'narration', says: `${scenario.name}.${id}` });
      options.onBeat?.({ id, at: cluster.now() - cluster.startMs, text });
    },
    find: <K extends EventKind>(kind: K, node?: string) => sink.ofKind(kind).filter((e) => node === undefined || e.node === node),
  };
  try {
    if (scenario.real === true) await scenario.run({ ...base, cluster });
    else await scenario.run({ ...base, cluster: sim! });
  } finally {
    await cluster.shutdown();
  }
  return { header: buildRunHeader(scenario, cluster, options.commit ?? 'fixture'), events: sink.events };
}

/** The `run.header` line: who took part, on which lanes, with which settings. */
export function buildRunHeader(scenario: Scenario, cluster: ScenarioCluster, commit: string): RunHeader {
  const nodes: RunHeader['nodes'] = [];
  const lanes: LaneDecl[] = [];
  const seenLanes = new Set<string>();
  for (const event of cluster.events) {
    if (event.lane !== undefined && !seenLanes.has(`${event.node}/${event.lane}`)) {
      seenLanes.add(`${event.node}/${event.lane}`);
      lanes.push({ node: event.node, lane: event.lane });
    }
  }
  for (const [id, role] of cluster.roles) nodes.push({ id, role });
  return {
    type: 'run.header', v: EVENT_SCHEMA_VERSION, scenario: scenario.name, seed: scenario.seed, semantics: 'rocketmq-4.9.x', commit,
    config: cluster.effectiveConfig(), nodes, lanes, locale: ['en', 'zh'],
  };
}
