// The walkthrough for the article "pull-consume-2" (docs/articles.md): runs its scenarios, narrated.
//   npx tsx walkthroughs/pull-consume-2.ts [--lang zh] [--out <dir>]      (same as: npm run walkthrough -- pull-consume-2)
import { main } from './walkthrough.js';

await main(['pull-consume-2', ...process.argv.slice(2)]);
