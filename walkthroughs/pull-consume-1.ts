// The walkthrough for the article "pull-consume-1" (docs/articles.md): runs its scenarios, narrated.
//   npx tsx walkthroughs/pull-consume-1.ts [--lang zh] [--out <dir>]      (same as: npm run walkthrough -- pull-consume-1)
import { main } from './walkthrough.js';

await main(['pull-consume-1', ...process.argv.slice(2)]);
