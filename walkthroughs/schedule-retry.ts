// The walkthrough for the article "schedule-retry" (docs/articles.md): runs its scenarios, narrated.
//   npx tsx walkthroughs/schedule-retry.ts [--lang zh] [--out <dir>]      (same as: npm run walkthrough -- schedule-retry)
import { main } from './walkthrough.js';

await main(['schedule-retry', ...process.argv.slice(2)]);
