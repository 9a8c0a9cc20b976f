import type { ProveEvent, ProveRequest, ProveResult } from "./prove-protocol";

/** Thrown by a proving run the worker cancelled. */
export class ProveCancelledError extends Error {
  override name = "ProveCancelledError";
  constructor() {
    super("proving was cancelled");
  }
}

/** Thrown when the worker reports a failure (unprovable = the labels break a circuit rule). */
export class ProveFailedError extends Error {
  override name = "ProveFailedError";
  constructor(
    message: string,
    readonly unprovable: boolean,
  ) {
    super(message);
  }
}

export interface ProvingRun {
  result: Promise<ProveResult>;
  /** Stops the worker (and the snarkjs threads it started) at once. */
  cancel(): void;
}

/** Proves one batch in a fresh Web Worker, reporting stage and download progress. */
export function startProving(
  req: ProveRequest,
  onEvent: (e: Exclude<ProveEvent, { type: "done" | "error" }>) => void,
): ProvingRun {
  const worker = new Worker(new URL("./prove.worker.ts", import.meta.url), { type: "module", name: "zklabel-prover" });
  let settle: { resolve(r: ProveResult): void; reject(e: Error): void } | undefined;
  const result = new Promise<ProveResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const finish = (f: (s: NonNullable<typeof settle>) => void) => {
    const s = settle;
    settle = undefined;
    worker.terminate();
    if (s) f(s);
  };
  worker.onmessage = (e: MessageEvent<ProveEvent>) => {
    const m = e.data;
    if (m.type === "done") finish((s) => s.resolve(m));
    else if (m.type === "error") finish((s) => s.reject(new ProveFailedError(m.message, m.unprovable)));
    else if (settle) onEvent(m);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    finish((s) => s.reject(new ProveFailedError(`the proving worker crashed: ${e.message || "unknown error"}`, false)));
  };
  worker.onmessageerror = () =>
    finish((s) => s.reject(new ProveFailedError("the proving worker sent a message that could not be read", false)));
  worker.postMessage(req);
  return { result, cancel: () => finish((s) => s.reject(new ProveCancelledError())) };
}
