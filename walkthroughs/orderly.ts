// The walkthrough for the article "orderly" (docs/articles.md): runs its scenarios, narrated.
//   npx tsx walkthroughs/orderly.ts [--lang zh] [--out <dir>]      (same as: npm run walkthrough -- orderly)
import { main } from './walkthrough.js';

await main(['orderly', ...process.argv.slice(2)]);
