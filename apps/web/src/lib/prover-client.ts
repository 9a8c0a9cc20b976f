import type { FetchResult, ProveResult, WorkerEvent, WorkerRequest } from "./prove-protocol";

/** Thrown by a job the page cancelled. */
export class JobCancelledError extends Error {
  override name = "JobCancelledError";
  constructor() {
    super("cancelled");
  }
}

/** Thrown when the worker reports a failure (its message is a sentence). */
export class JobFailedError extends Error {
  override name = "JobFailedError";
}

/** A running job: its result and a cancel that stops the worker (and snarkjs's threads) at once. */
export interface WorkerJob<T> {
  result: Promise<T>;
  cancel(): void;
}

type Progress = Extract<WorkerEvent, { type: "stage" | "download" }>;

/** Runs one request in a fresh Web Worker, reporting stages and circuit download progress. */
function start<T>(req: WorkerRequest, done: WorkerEvent["type"], onEvent: (e: Progress) => void): WorkerJob<T> {
  const worker = new Worker(new URL("./prove.worker.ts", import.meta.url), { type: "module", name: "zklabel-prover" });
  let settle: { resolve(r: T): void; reject(e: Error): void } | undefined;
  const result = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const finish = (f: (s: NonNullable<typeof settle>) => void) => {
    const s = settle;
    settle = undefined;
    worker.terminate();
    if (s) f(s);
  };
  worker.onmessage = (e: MessageEvent<WorkerEvent>) => {
    const m = e.data;
    if (m.type === done) finish((s) => s.resolve(m as T));
    else if (m.type === "error") finish((s) => s.reject(new JobFailedError(m.message)));
    else if (settle && (m.type === "stage" || m.type === "download")) onEvent(m);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    finish((s) => s.reject(new JobFailedError(`the proving worker crashed: ${e.message || "unknown error"}`)));
  };
  worker.onmessageerror = () =>
    finish((s) => s.reject(new JobFailedError("the proving worker sent a message that could not be read")));
  worker.postMessage(req);
  return { result, cancel: () => finish((s) => s.reject(new JobCancelledError())) };
}

/** Downloads a batch's items from the vault with an anonymous access proof. */
export const startFetch = (req: Extract<WorkerRequest, { kind: "fetch" }>, onEvent: (e: Progress) => void) =>
  start<FetchResult>(req, "fetched", onEvent);

/** Proves a labeled batch. */
export const startProving = (req: Extract<WorkerRequest, { kind: "prove" }>, onEvent: (e: Progress) => void) =>
  start<ProveResult>(req, "proved", onEvent);
