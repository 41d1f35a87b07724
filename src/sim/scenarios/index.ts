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
import { crashRecovery } from './crash-recovery.js';
import { delayLevel } from './delay-level.js';
import { haSync } from './ha-sync.js';
import { filterTagSql } from './filter-tag-sql.js';
import { longPoll } from './long-poll.js';
import { messageAnatomy } from './message-anatomy.js';
import { namesrvRoutes } from './namesrv-routes.js';
import { newGroupLastOffset } from './new-group-last-offset.js';
import { orderly } from './orderly.js';
import { rebalance } from './rebalance.js';
import { retryDlq } from './retry-dlq.js';
import { sendTimeoutDup } from './send-timeout-dup.js';
import { sendTwo } from './send-two.js';
import { storeRoll } from './store-roll.js';
import { topicAutoCreate } from './topic-auto-create.js';
import { txCheck } from './tx-check.js';

/** Every scenario, sorted by article order, then name. */
export const SCENARIOS: readonly Scenario[] = [
  namesrvRoutes, topicAutoCreate, messageAnatomy, sendTwo, sendTimeoutDup, storeRoll, longPoll, rebalance, newGroupLastOffset, crashRecovery, orderly, delayLevel, retryDlq, filterTagSql, txCheck, haSync,
].sort(
  (a, b) => ARTICLE_SLUGS.indexOf(a.article) - ARTICLE_SLUGS.indexOf(b.article) || a.name.localeCompare(b.name),
);

/** The scenario called `name`, if any. */
export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
