// npm run walkthrough -- <name or article> [--lang en|zh] [--out <dir>] [--real]
// npm run walkthrough -- --list
// npm run walkthrough -- --all --out viz/fixtures      (regenerates every golden fixture)
//
// Runs one narrated scenario (src/sim/scenarios/) on the simulated cluster with its fixed
// seed, prints each teaching moment as it happens, writes <out>/<name>.events.jsonl for the
// visualizer, and prints the visualizer link for the run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeEventLog } from '../src/events/jsonl.js';
import { runScenario, type Narration, type Scenario } from '../src/sim/scenario.js';
import { RealCluster } from '../src/platform/node/startup/real-cluster.js';
import { findScenario, SCENARIOS } from '../src/sim/scenarios/index.js';

const USAGE = 'usage: npm run walkthrough -- <scenario or article> [--lang en|zh] [--out <dir>] [--real]   |   --list   |   --all [--out <dir>]';
const VIZ_URL = process.env['ROCKETMQ_TS_VIZ_URL'] ?? 'http://127.0.0.1:5173/';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

interface Options { name?: string; lang: 'en' | 'zh'; out: string; list: boolean; all: boolean; real: boolean }

function parse(argv: readonly string[]): Options {
  const options: Options = { lang: 'en', out: '.walkthroughs', list: false, all: false, real: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--list') options.list = true;
    else if (arg === '--all') options.all = true;
    else if (arg === '--real') options.real = true;
    else if (arg === '--lang') {
      const lang = argv[++i];
      if (lang !== 'en' && lang !== 'zh') fail(`--lang takes en or zh, got ${String(lang)}`);
      options.lang = lang;
    } else if (arg === '--out') {
      const out = argv[++i];
      if (out === undefined) fail('--out needs a directory');
      options.out = out;
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg.startsWith('-')) fail(`unknown option ${arg}`);
    else if (options.name === undefined) options.name = arg;
    else fail(`one walkthrough at a time (got ${options.name} and ${arg})`);
  }
  return options;
}

/** Run the walkthrough command line with `argv` (the arguments after the script name). */
export async function main(argv: readonly string[]): Promise<void> {
  const options = parse(argv);
  const say = (text: Narration): string => (options.lang === 'zh' ? text.zh : text.en);
  if (options.list) {
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(24)} ${s.article.padEnd(16)} ${say(s.title)}\n`);
    return;
  }
  if (options.all) {
    mkdirSync(options.out, { recursive: true });
    for (const s of SCENARIOS) {
      const run = await runScenario(s);
      writeFileSync(join(options.out, `${s.name}.events.jsonl`), encodeEventLog(run.header, run.events));
      process.stdout.write(`${s.name}: ${run.events.length} events\n`);
    }
    return;
  }
  const name = options.name ?? fail('which walkthrough? (--list shows them)');
  const exact = findScenario(name);
  const chosen = exact !== undefined ? [exact] : SCENARIOS.filter((s) => s.article === name);
  if (chosen.length === 0) fail(`no walkthrough or article named "${name}" (--list shows them)`);
  if (options.real && !chosen.some((s) => s.real === true)) {
    fail(`${name} needs the simulation (crashes, partitions or minutes of virtual time); --real works for: ${SCENARIOS.filter((s) => s.real === true).map((s) => s.name).join(', ')}`);
  }
  for (const scenario of chosen) if (!options.real || scenario.real === true) await narrate(scenario, options, say);
}

/** Run one scenario, printing its beats as they happen, and write its event log. */
async function narrate(scenario: Scenario, options: Options, say: (text: Narration) => string): Promise<void> {
  const where = options.real ? 'real TCP and disk on 127.0.0.1' : `seed ${scenario.seed}`;
  process.stdout.write(`\n${say(scenario.title)}  [${scenario.name}, article ${scenario.article}, ${where}]\n${say(scenario.summary)}\n\n`);
  let step = 0;
  const run = await runScenario(scenario, {
    ...(options.real ? { cluster: new RealCluster(), commit: 'local' } : {}),
    onBeat: ({ at, text }) => process.stdout.write(`${String(++step).padStart(2)}. [t=${String(at).padStart(6)} ms] ${say(text)}\n`),
  });
  mkdirSync(options.out, { recursive: true });
  const file = resolve(join(options.out, `${scenario.name}${options.real ? '.real' : ''}.events.jsonl`));
  writeFileSync(file, encodeEventLog(run.header, run.events));
  process.stdout.write(`\n${run.events.length} events written to ${file}\n`);
  const lang = options.lang === 'zh' ? '&lang=zh' : '';
  if (options.real) process.stdout.write(`Replay it: open ${VIZ_URL} (npm run viz) and drop ${file} on the page\n`);
  else process.stdout.write(`Replay it: ${VIZ_URL}?run=fixtures/${scenario.name}.events.jsonl${lang}  (npm run viz serves it; this run is byte for byte the committed fixture)\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
