// Types for book-index.mjs (plain JavaScript, so the typedoc plugin can load it with plain Node).

export declare const REPO_ROOT: string;
export declare const VIZ_URL: string;
export declare function vizLink(fixture: string, step?: number): string;
export declare function moduleOf(file: string): string;
export declare const MODULE_ORDER: readonly string[];
export declare function listSourceFiles(root?: string): string[];

export interface Article {
  readonly slug: string;
  readonly title: string;
  readonly url: string;
}
export declare function readArticles(root?: string): Article[];
export declare function unlink(text: string): string;

export interface SourceHeader {
  readonly file: string;
  readonly module: string;
  readonly summary: string;
  readonly mirrors: readonly string[];
  readonly articles: ReadonlyArray<{ readonly slug: string; readonly section: string }>;
  readonly emits: readonly string[];
  readonly category: string;
  readonly differencesInline: string;
  readonly differences: readonly string[];
  readonly hasDiagram: boolean;
}
export declare function parseHeader(file: string, text: string): SourceHeader;
export declare function readHeaders(root?: string): SourceHeader[];

export interface ScenarioInfo {
  readonly name: string;
  readonly article: string;
  readonly title: { readonly en: string; readonly zh: string };
  readonly file: string;
}
export declare function readScenarios(root?: string): ScenarioInfo[];
export declare function readEventSources(root?: string): Map<string, string>;

export interface FixtureEvent {
  readonly seq: number;
  readonly kind: string;
  readonly src: string | undefined;
}
export interface Fixture {
  readonly name: string;
  readonly scenario: string;
  readonly events: readonly FixtureEvent[];
}
export declare function readFixtures(root?: string): Fixture[];

export interface SymbolUse {
  readonly kinds: Set<string>;
  readonly firstSeq: number;
  count: number;
}
export declare function indexFixtureSources(fixtures: readonly Fixture[]): Map<string, Map<string, Map<string, SymbolUse>>>;

export declare const BORROWED_SCENARIOS: Readonly<Record<string, readonly string[]>>;
export declare function scenariosOf(slug: string, scenarios: readonly ScenarioInfo[]): ScenarioInfo[];
export declare function walkthroughScriptOf(slug: string, root?: string): string;
