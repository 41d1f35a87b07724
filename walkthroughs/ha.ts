// The walkthrough for the article "ha" (docs/articles.md): runs its scenarios, narrated.
//   npx tsx walkthroughs/ha.ts [--lang zh] [--out <dir>]      (same as: npm run walkthrough -- ha)
import { main } from './walkthrough.js';

await main(['ha', ...process.argv.slice(2)]);
