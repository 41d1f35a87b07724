#!/usr/bin/env node
/**
 * The `rocketmq-ts` executable (package.json "bin"): loads the TypeScript sources through
 * tsx's ESM loader and runs the command-line dispatcher in cli.ts.
 *
 * The project ships no compiled JavaScript, so this small plain-JavaScript file is what
 * `npx rocketmq-ts namesrv` starts: it registers tsx (`tsx/esm/api` register()) for the
 * imports that follow, then hands the arguments to `main()`. A server command keeps the
 * process alive; every other command exits with main()'s status (0, 1, or 2 for usage).
 *
 * Differences from RocketMQ 4.9.x: replaces the `bin/mqnamesrv`, `bin/mqbroker` and
 * `bin/mqadmin` shell scripts.
 *
 * @category Platform
 * @module
 */
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
const status = await main(process.argv.slice(2));
if (status !== 'running') process.exit(status);
