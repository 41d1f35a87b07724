// The walkthrough for the article "topic" (docs/articles.md): runs its scenarios, narrated.
//   npx tsx walkthroughs/topic.ts [--lang zh] [--out <dir>]      (same as: npm run walkthrough -- topic)
import { main } from './walkthrough.js';

await main(['topic', ...process.argv.slice(2)]);
