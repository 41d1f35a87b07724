// The walkthrough for the article "message" (docs/articles.md): runs its scenarios, narrated.
//   npx tsx walkthroughs/message.ts [--lang zh] [--out <dir>]      (same as: npm run walkthrough -- message)
import { main } from './walkthrough.js';

await main(['message', ...process.argv.slice(2)]);
