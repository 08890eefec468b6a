/** Types of ./inferred-marks.js for the TypeScript tests. */
export interface InferredMarkProblem {
  /** Path of keys to the offending entry (the mark, or one of its keys). */
  path: (string | number)[];
  /** JSON pointer of the node that carries the mark. */
  pointer: string;
  message: string;
}

export const SCHEMA_KEYWORDS: ReadonlySet<string>;
export const RESPONSE_KEYS: ReadonlySet<string>;
export function toPointer(path: readonly (string | number)[]): string;
export function inferredMarkProblems(document: unknown): InferredMarkProblem[];
