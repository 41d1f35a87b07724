/**
 * The custom-element registry of the viz: every tag name, defined in one place.
 *
 * Registration is an explicit call (from main.ts) rather than a side effect of importing
 * each panel module: the repository's package.json declares `"sideEffects": false`, which
 * lets the bundler drop side-effect-only imports, and an explicit list also documents
 * which tags exist.
 */
import { AssignmentPanel } from './assignment-panel.js';
import { CommitLogView } from './commit-log-view.js';
import { ConsumeQueueView } from './consume-queue-view.js';
import { EventList } from './event-list.js';
import { HelpSheet } from './help-sheet.js';
import { HoldTable } from './hold-table.js';
import { Inspector } from './inspector.js';
import { LaneView } from './lane-view.js';
import { Lifeline } from './lifeline.js';
import { NarrationPanel } from './narration-panel.js';
import { OffsetRuler } from './offset-ruler.js';
import { RunPicker } from './run-picker.js';
import { SourcePanel } from './source-panel.js';
import { StepLog } from './step-log.js';
import { TransportBar } from './transport-bar.js';
import { VizApp } from './viz-app.js';
import { define } from './viz-panel.js';
import { WhyCard } from './why-card.js';

const ELEMENTS: ReadonlyArray<[string, CustomElementConstructor]> = [
  ['viz-assignment-panel', AssignmentPanel],
  ['viz-commit-log-view', CommitLogView],
  ['viz-consume-queue-view', ConsumeQueueView],
  ['viz-event-list', EventList],
  ['viz-help-sheet', HelpSheet],
  ['viz-hold-table', HoldTable],
  ['viz-inspector', Inspector],
  ['viz-lane-view', LaneView],
  ['viz-lifeline', Lifeline],
  ['viz-narration-panel', NarrationPanel],
  ['viz-offset-ruler', OffsetRuler],
  ['viz-run-picker', RunPicker],
  ['viz-source-panel', SourcePanel],
  ['viz-step-log', StepLog],
  ['viz-transport-bar', TransportBar],
  ['viz-why-card', WhyCard],
  ['viz-app', VizApp],
];

/** Define every element of the viz (idempotent). */
export function defineElements(): void {
  for (const [name, ctor] of ELEMENTS) define(name, ctor);
}
