// The walkthrough for the article "namesrv" (docs/articles.md): runs its scenarios, narrated.
//   npx tsx walkthroughs/namesrv.ts [--lang zh] [--out <dir>]      (same as: npm run walkthrough -- namesrv)
import { main } from './walkthrough.js';

await main(['namesrv', ...process.argv.slice(2)]);
