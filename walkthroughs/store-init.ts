// The walkthrough for the article "store-init" (docs/articles.md): runs its scenarios, narrated.
//   npx tsx walkthroughs/store-init.ts [--lang zh] [--out <dir>]      (same as: npm run walkthrough -- store-init)
import { main } from './walkthrough.js';

await main(['store-init', ...process.argv.slice(2)]);
