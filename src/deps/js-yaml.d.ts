// js-yaml 4 ships no types and @types/js-yaml is not a dependency: the one call used here (and its parse listener).
declare module 'js-yaml' {
  export class YAMLException extends Error {
    mark?: { line: number; column: number };
  }
  export const FAILSAFE_SCHEMA: unknown;
  export function load(
    text: string,
    options?: {
      schema?: unknown;
      json?: boolean;
      /** called as each node opens and closes; at 'close', `state.anchor` is the node's
       * `&name` (unset before the first anchor) */
      listener?: (
        event: 'open' | 'close',
        state: { anchor?: string | null; line: number }
      ) => void;
    }
  ): unknown;
}
