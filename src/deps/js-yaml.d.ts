// js-yaml 4 ships no types and @types/js-yaml is not a dependency: the one call used here.
declare module 'js-yaml' {
  export class YAMLException extends Error {
    mark?: { line: number; column: number };
  }
  export const FAILSAFE_SCHEMA: unknown;
  export function load(
    text: string,
    options?: { schema?: unknown; json?: boolean }
  ): unknown;
}
