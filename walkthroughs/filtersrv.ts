// The walkthrough for the article "filtersrv" (docs/articles.md): runs its scenarios, narrated.
//   npx tsx walkthroughs/filtersrv.ts [--lang zh] [--out <dir>]      (same as: npm run walkthrough -- filtersrv)
import { main } from './walkthrough.js';

await main(['filtersrv', ...process.argv.slice(2)]);
