// The part of madge 8's API that import-cycles.test.ts uses (madge ships no types; @types/madge
// describes madge 5).
declare module 'madge' {
  interface MadgeResult {
    /** Each module (relative to the scanned directory) with the modules it imports. */
    obj(): Record<string, string[]>;
    /** The import cycles, each as the modules along it. */
    circular(): string[][];
  }
  interface MadgeConfig {
    fileExtensions?: string[];
    tsConfig?: string | object;
    detectiveOptions?: Record<string, Record<string, unknown>>;
  }
  export default function madge(path: string | string[], config?: MadgeConfig): Promise<MadgeResult>;
}
