/**
 * The scenario catalogue: every narrated run, in the order of the article series.
 *
 * `npm run walkthrough -- --list` prints this table, the fixture test regenerates one
 * `viz/fixtures/<name>.events.jsonl` per entry, and the reading guide links each article
 * to its scenarios.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Sim
 * @module
 */
import { ARTICLE_SLUGS, type Scenario } from '../scenario.js';
import { sendTwo } from './send-two.js';

/** Every scenario, sorted by article order, then name. */
export const SCENARIOS: readonly Scenario[] = [sendTwo].sort(
  (a, b) => ARTICLE_SLUGS.indexOf(a.article) - ARTICLE_SLUGS.indexOf(b.article) || a.name.localeCompare(b.name),
);

/** The scenario called `name`, if any. */
export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
