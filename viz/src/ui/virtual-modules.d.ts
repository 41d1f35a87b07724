/**
 * Types of the modules the viz's Vite plugin makes up at build time (see viz/vite.config.ts).
 */
declare module 'virtual:emit-sites' {
  /** Event kind → every `.emit('kind'` in src/: file (from the repository root), 1-based line, Class.method. */
  const sites: Record<string, Array<{ file: string; line: number; symbol: string }>>;
  export default sites;
}

declare module 'virtual:fixtures' {
  /** The `*.events.jsonl` file names in viz/fixtures/ when the app was built. */
  const names: string[];
  export default names;
}
