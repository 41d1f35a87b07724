/**
 * The visualizer's model: everything the UI needs that is not drawing. Pure TypeScript,
 * no DOM, no lit, no d3, so tests run it in Node and the UI only renders its results.
 *
 * ```
 *   run file text ──loadRun──► LoadedRun ──new Replay──► replay.stateAt(cursor) ──► VizState ──► panels
 *                                  │                      cursorAtTime / timeAxis / stepForward / stepBack /
 *                                  │                      nextBeat / prevBeat /
 *                                  │                      nextTeachingMoment / emittedBySrc
 *                                  ├──toChromeTrace──► Chrome Trace Event JSON (Perfetto)
 *                                  └──toOtlp────────► OTLP JSON Lines (Jaeger upload)
 *   location.search ◄──formatDeepLink / parseDeepLink──► DeepLink { run, step, sel, lang, motion }
 * ```
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Viz
 * @module
 */
export type { InstrumentEvent, RunHeader } from '../../../src/events/event-types.js';
export type {
  BrokerView, ConsumerQueueView, ConsumerView, CqUnitView, HoldView, HopView, LoadedRun, MessageView, NodeView, RebalanceView,
  RecordField, RecordView, RpcView, SegmentView, VizState, WhyView,
} from './viz-state.js';
export { loadRun, RunLoadError } from './load-run.js';
export { Replay, STEP_GRANULARITIES, type ReplayOptions, type StepGranularity } from './replay.js';
export { IDLE_GAP_MS, IDLE_GAP_WIDTH, TimeAxis, type IdleGap } from './time-axis.js';
export { assignmentMatrix, type AssignmentMatrix } from './assignment-matrix.js';
export { recordFields } from './record-fields.js';
export { toChromeTrace } from './chrome-trace.js';
export { toOtlp } from './otlp.js';
export { formatDeepLink, parseDeepLink, type DeepLink } from './deep-link.js';
