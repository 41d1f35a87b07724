// Loads the committed visualizer fixtures (viz/fixtures/*.events.jsonl) for the model tests.
// A fixture that is not committed yet (tx-check, retry-dlq, ...) is produced in-process by
// running its scenario, exactly as `npm run walkthrough -- --all` would.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeEventLog } from '../../../src/events/jsonl.js';
import { runScenario } from '../../../src/sim/scenario.js';
import { findScenario } from '../../../src/sim/scenarios/index.js';
import { loadRun, type LoadedRun } from '../../../viz/src/model/index.js';

export const fixtureDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../viz/fixtures');

/** Names of the committed fixtures, without `.events.jsonl`. */
export function committedFixtures(): string[] {
  return readdirSync(fixtureDir).filter((f) => f.endsWith('.events.jsonl')).map((f) => f.slice(0, -'.events.jsonl'.length)).sort();
}

/** The fixture's text: the committed file, or a fresh run of its scenario. */
export async function fixtureText(name: string): Promise<string> {
  const file = join(fixtureDir, `${name}.events.jsonl`);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const scenario = findScenario(name);
  if (scenario === undefined) throw new Error(`no fixture and no scenario named ${name}`);
  const run = await runScenario(scenario);
  return encodeEventLog(run.header, run.events);
}

export async function loadFixture(name: string): Promise<LoadedRun> {
  return loadRun(await fixtureText(name), `${name}.events.jsonl`);
}
