// The walkthrough for the article "store" (docs/articles.md): runs its scenarios, narrated.
//   npx tsx walkthroughs/store.ts [--lang zh] [--out <dir>]      (same as: npm run walkthrough -- store)
import { main } from './walkthrough.js';

await main(['store', ...process.argv.slice(2)]);
