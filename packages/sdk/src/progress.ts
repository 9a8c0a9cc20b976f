/**
 * Staged work with progress and cancellation, for proving in Node and the browser. snarkjs
 * cannot be interrupted inside a stage, so cancellation takes effect between stages (in the
 * browser, terminate the Web Worker to stop within one).
 */

/** Where a staged job is: the stage that started (or finished) and the time since the job began. */
export interface ProveProgress {
  stage: string;
  /** 0-based position of the stage and the number of stages. */
  index: number;
  total: number;
  /** "start" when the stage begins, "done" when it ends. */
  phase: "start" | "done";
  elapsedMs: number;
}

/** Options of a staged job: a progress callback and an AbortSignal. */
export interface StageOptions {
  onProgress?: (p: ProveProgress) => void;
  signal?: AbortSignal;
}

type Stage = readonly [string, (prev: any) => Promise<unknown> | unknown];

/**
 * Runs stages in order, each given the previous one's result; reports every start and end, and
 * throws the signal's reason (an AbortError) before a stage when the job was cancelled.
 */
export async function runStages<T = unknown>(stages: readonly Stage[], opts: StageOptions = {}): Promise<T> {
  const t0 = Date.now();
  let prev: unknown;
  for (const [index, [stage, run]] of stages.entries()) {
    opts.signal?.throwIfAborted();
    opts.onProgress?.({ stage, index, total: stages.length, phase: "start", elapsedMs: Date.now() - t0 });
    prev = await run(prev);
    opts.onProgress?.({ stage, index, total: stages.length, phase: "done", elapsedMs: Date.now() - t0 });
  }
  opts.signal?.throwIfAborted();
  return prev as T;
}
