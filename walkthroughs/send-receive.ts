// The walkthrough for the article "send-receive" (docs/articles.md): runs its scenarios, narrated.
//   npx tsx walkthroughs/send-receive.ts [--lang zh] [--out <dir>]      (same as: npm run walkthrough -- send-receive)
import { main } from './walkthrough.js';

await main(['send-receive', ...process.argv.slice(2)]);
