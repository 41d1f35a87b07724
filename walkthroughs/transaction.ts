// The walkthrough for the article "transaction" (docs/articles.md): runs its scenarios, narrated.
//   npx tsx walkthroughs/transaction.ts [--lang zh] [--out <dir>]      (same as: npm run walkthrough -- transaction)
import { main } from './walkthrough.js';

await main(['transaction', ...process.argv.slice(2)]);
