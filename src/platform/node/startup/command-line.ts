/**
 * The command-line plumbing shared by `rocketmq-ts namesrv`, `broker` and `admin`: option
 * parsing, Java `.properties` files, and typed config overrides built from them.
 *
 * RocketMQ's startup classes read their options with commons-cli and their config files
 * with `java.util.Properties`, then copy every property onto the config beans by reflection
 * (`MixAll.properties2Object`): a key that names a field sets it, converted to the field's
 * type; any other key is silently ignored. We do the same conversion by looking at the
 * default value of each key (number, boolean, string), but we say so when a key is unknown
 * (a typo in broker.conf otherwise goes unnoticed for ever) and refuse a value that does not
 * convert, with a usage error (exit status 2).
 *
 * ```
 *   broker.conf                         BrokerConfig / MessageStoreConfig
 *   brokerName = broker-b        ──►    brokerName: 'broker-b'          (string default)
 *   listenPort = 20911           ──►    listenPort: 20911                (number default)
 *   autoCreateTopicEnable=false  ──►    autoCreateTopicEnable: false     (boolean default)
 *   mapedFileSizeCommitLog=1024  ──►    mappedFileSizeCommitLog: 1024    (Java 4.4's spelling)
 *   brokerColour = blue          ──►    warning: unknown key "brokerColour" ignored
 *   listenPort = lots            ──►    UsageError: listenPort: "lots" is not an integer
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Unknown keys are reported (Java ignores them); unconvertible values stop the program
 *   (Java throws deep inside reflection, or keeps the default).
 * - Booleans must be `true` or `false` (Java's `Boolean.parseBoolean` reads anything else
 *   as false).
 * - Properties files: `key=value`, `key: value` and `key value` lines, `#`/`!` comments;
 *   no backslash continuation lines or `\uXXXX` escapes.
 *
 * @mirrors org.apache.rocketmq.srvutil.ServerUtil
 * @mirrors org.apache.rocketmq.common.MixAll#properties2Object
 * @article store-init "Starting a broker"
 * @category Platform
 * @module
 */

/** A bad command line or config value: the program prints its usage line and exits with 2. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
  /** The usage line to print with the message; the dispatcher fills in the command's when unset. */
  usage: string | undefined;
  constructor(message: string, usage?: string) {
    super(message);
    this.usage = usage;
  }
}

/** Which options a command takes: names (with their aliases) that carry a value, and flags. */
export interface OptionSpec {
  /** e.g. `{ '-p': 'port', '--port': 'port' }`: each spelling to the option's name. */
  readonly values: Readonly<Record<string, string>>;
  /** e.g. `{ '-h': 'help', '--help': 'help' }`. */
  readonly flags?: Readonly<Record<string, string>>;
}

export interface ParsedArgs {
  /** Option name to its value (flags map to `'true'`); a repeated option keeps the last value. */
  readonly options: ReadonlyMap<string, string>;
  readonly positionals: readonly string[];
}

/**
 * Parse `argv` (without the program and command names) against `spec`. Accepts
 * `-n value`, `--store value` and `--store=value`; `-h`/`--help` are always flags.
 */
export function parseArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const options = new Map<string, string>();
  const positionals: string[] = [];
  const flags: Readonly<Record<string, string>> = { '-h': 'help', '--help': 'help', ...spec.flags };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const spelled = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = flags[spelled];
    const valued = spec.values[spelled];
    if (flag !== undefined && eq < 0) {
      options.set(flag, 'true');
    } else if (valued !== undefined) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('-') && !/^-\d/.test(value))) throw new UsageError(`option ${spelled} needs a value`);
      options.set(valued, value);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${spelled}`);
    } else {
      positionals.push(arg);
    }
  }
  return { options, positionals };
}

/** Refuse arguments that are not options (no command takes any). */
export function noPositionals(args: ParsedArgs): void {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
}

/** An integer option in `[min, max]`, or `fallback` when absent. */
export function intOption(args: ParsedArgs, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new UsageError(`${name}: "${raw}" is not an integer`);
  const value = Number(raw);
  if (value < min || value > max) throw new UsageError(`${name}: ${value} is not between ${min} and ${max}`);
  return value;
}

/** A required option's value. */
export function requiredOption(args: ParsedArgs, name: string, spelling: string): string {
  const value = args.options.get(name);
  if (value === undefined || value.length === 0) throw new UsageError(`option ${spelling} is required`);
  return value;
}

/**
 * Read Java properties text into a map: one `key=value` (or `key: value`, `key value`) per
 * line, `#` and `!` start comments, surrounding blanks trimmed.
 */
export function parseProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*(?:[=:]\s*|\s+)(.*)$/.exec(line);
    if (m === null) properties.set(line, '');
    else properties.set(m[1]!, m[2]!.trim());
  }
  return properties;
}

/** How a key's value is converted: by the type of its default, or a closed set of names. */
export type PropertyKind = 'int' | 'number' | 'boolean' | 'string' | readonly string[];

/** The kind of each key of a config object, from its defaults (`undefined` defaults are strings). */
export function kindsOf(defaults: object, enums: Readonly<Record<string, readonly string[]>> = {}): Map<string, PropertyKind> {
  const kinds = new Map<string, PropertyKind>();
  for (const [key, value] of Object.entries(defaults)) {
    const enumValues = enums[key];
    if (enumValues !== undefined) kinds.set(key, enumValues);
    else if (typeof value === 'number') kinds.set(key, Number.isInteger(value) ? 'int' : 'number');
    else if (typeof value === 'boolean') kinds.set(key, 'boolean');
    else if (typeof value === 'string' || value === undefined) kinds.set(key, 'string');
  }
  return kinds;
}

/** Convert one property to its kind, or throw a UsageError naming the key. */
export function convertProperty(key: string, raw: string, kind: PropertyKind): string | number | boolean {
  if (kind === 'string') return raw;
  if (kind === 'boolean') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new UsageError(`${key}: "${raw}" is not true or false`);
  }
  if (kind === 'int') {
    if (!/^[+-]?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new UsageError(`${key}: "${raw}" is not an integer`);
    return Number(raw);
  }
  if (kind === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${key}: "${raw}" is not a number`);
    return n;
  }
  if (!kind.includes(raw)) throw new UsageError(`${key}: "${raw}" is not one of ${kind.join(', ')}`);
  return raw;
}

/** One config object a properties file may set: its key kinds and the overrides collected for it. */
export interface PropertyTarget {
  readonly kinds: ReadonlyMap<string, PropertyKind>;
  readonly overrides: Record<string, string | number | boolean>;
}

/**
 * Distribute `properties` over `targets` (the first target that knows a key takes it;
 * `aliases` rename old spellings first). Returns a warning per unknown key.
 */
export function applyProperties(properties: ReadonlyMap<string, string>, targets: readonly PropertyTarget[], aliases: Readonly<Record<string, string>> = {}): string[] {
  const warnings: string[] = [];
  for (const [rawKey, raw] of properties) {
    const key = aliases[rawKey] ?? rawKey;
    const target = targets.find((t) => t.kinds.has(key));
    if (target === undefined) {
      warnings.push(`unknown key "${rawKey}" ignored`);
      continue;
    }
    target.overrides[key] = convertProperty(rawKey, raw, target.kinds.get(key)!);
  }
  return warnings;
}
