/**
 * The process around a server: where its lines go, and how a signal becomes a clean stop.
 *
 * Java installs a JVM shutdown hook that runs `controller.shutdown()` on SIGINT and
 * SIGTERM. Node has no hooks, so we listen for both signals ourselves, run the shutdown
 * once, and exit with 0; a second signal while the first shutdown is running exits at
 * once with 130 (the operator insists). `kill -9` can be caught by nobody: the broker's
 * abort file stays behind, and the next start recovers abnormally.
 *
 * ```
 *   SIGTERM ──► shutdown() ──► "… shutdown OK" ──► exit 0
 *   SIGTERM, SIGTERM ───────────────────────────► exit 130 (second signal)
 *   shutdown() throws ──► the error on stderr ──► exit 1
 * ```
 *
 * Differences from RocketMQ 4.9.x: none in effect (Java's hook also runs once).
 *
 * @mirrors org.apache.rocketmq.broker.BrokerStartup (the shutdown hook)
 * @article store-init "Stopping a broker"
 * @category Platform
 * @module
 */

/** Where a command writes: stdout lines and stderr lines. */
export interface CliOutput {
  log(line: string): void;
  err(line: string): void;
}

/** The process's own stdout and stderr. */
export const consoleOutput: CliOutput = {
  log: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** Run `shutdown` on the first SIGINT or SIGTERM, then exit the process. */
export function onShutdownSignal(shutdown: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130);
    stopping = true;
    shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
