/**
 * The page's side of the prover thread (a Web Worker). One thread stays alive between jobs: it keeps
 * snarkjs's curve (its own sub-threads and WebAssembly, rebuilt in a fresh thread at every proof) and
 * the circuit files it loaded, so only the first proof pays for them. A job finds the idle thread, or
 * starts one when another job holds it; cancelling a job terminates its thread (and snarkjs's threads)
 * at once, and the next job starts a fresh one. Failures come back with the SDK's error code, so the
 * page words them by code (a RuleViolationError's issues included).
 */
import { RuleViolationError, ZkLabelError } from "@zklabel/core/errors";
import type {
  FetchResult,
  ProveResult,
  ProverEvent,
  ProverRequest,
  RejectionResult,
  RejectRequest,
} from "./prover-protocol";

/** A running job: its result and a cancel that stops the thread at once (the result then fails with code "cancelled"). */
export interface ProverJob<T> {
  result: Promise<T>;
  cancel(): void;
}

/** Progress a job reports: its stage, and the circuit download. */
export type ProverProgress = Extract<ProverEvent, { type: "stage" | "download" }>;

/** The thread's failure as the error it was (same code; typed issues for rule violations). */
function failure(m: Extract<ProverEvent, { type: "error" }>): Error {
  if (m.code === "rule_violation" && m.issues) return new RuleViolationError(m.issues);
  return m.code ? new ZkLabelError(m.code, m.message) : new Error(m.message);
}

/** The thread no job holds, kept for the next one. */
let idle: Worker | undefined;

const spawn = () =>
  new Worker(new URL("./prover.thread.ts", import.meta.url), { type: "module", name: "zklabel-prover" });

/** A job's thread is kept for the next job when it answered; one that crashed or was cancelled is terminated. */
function release(thread: Worker, healthy: boolean): void {
  thread.onmessage = null;
  thread.onerror = null;
  thread.onmessageerror = null;
  if (healthy && !idle) idle = thread;
  else thread.terminate();
}

/** Runs one request in the prover thread, reporting stages and circuit download progress. */
function start<T>(req: ProverRequest, done: ProverEvent["type"], onEvent: (e: ProverProgress) => void): ProverJob<T> {
  const thread = idle ?? spawn();
  idle = undefined;
  let settle: { resolve(r: T): void; reject(e: Error): void } | undefined;
  const result = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const finish = (healthy: boolean, f: (s: NonNullable<typeof settle>) => void) => {
    const s = settle;
    settle = undefined;
    if (!s) return;
    release(thread, healthy);
    f(s);
  };
  thread.onmessage = (e: MessageEvent<ProverEvent>) => {
    const m = e.data;
    if (m.type === done) finish(true, (s) => s.resolve(m as T));
    else if (m.type === "error") finish(true, (s) => s.reject(failure(m)));
    else if (settle && (m.type === "stage" || m.type === "download")) onEvent(m);
  };
  thread.onerror = (e) => {
    e.preventDefault();
    finish(false, (s) => s.reject(new Error(`the prover thread crashed: ${e.message || "unknown error"}`)));
  };
  thread.onmessageerror = () =>
    finish(false, (s) => s.reject(new Error("the prover thread sent a message that could not be read")));
  thread.postMessage(req);
  return {
    result,
    cancel: () => finish(false, (s) => s.reject(new ZkLabelError("cancelled", "the job was cancelled"))),
  };
}

/** Downloads a batch's items from the vault with an anonymous access proof. */
export const startFetch = (req: Extract<ProverRequest, { kind: "fetch" }>, onEvent: (e: ProverProgress) => void) =>
  start<FetchResult>(req, "fetched", onEvent);

/** Proves a labeled batch. */
export const startProving = (req: Extract<ProverRequest, { kind: "prove" }>, onEvent: (e: ProverProgress) => void) =>
  start<ProveResult>(req, "proved", onEvent);

/** Proves the requester's gold rejection of a pending batch (the gold openings stay in this browser). */
export const startRejecting = (req: RejectRequest, onEvent: (e: ProverProgress) => void) =>
  start<RejectionResult>(req, "rejection", onEvent);
