/**
 * The page's side of the prover thread: one fresh Web Worker per job, so cancelling terminates it
 * (and snarkjs's own threads) at once. Failures come back with the SDK's error code, so the page
 * words them by code (a RuleViolationError's issues included).
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

/** Runs one request in a fresh prover thread, reporting stages and circuit download progress. */
function start<T>(req: ProverRequest, done: ProverEvent["type"], onEvent: (e: ProverProgress) => void): ProverJob<T> {
  const thread = new Worker(new URL("./prover.thread.ts", import.meta.url), {
    type: "module",
    name: "zklabel-prover",
  });
  let settle: { resolve(r: T): void; reject(e: Error): void } | undefined;
  const result = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const finish = (f: (s: NonNullable<typeof settle>) => void) => {
    const s = settle;
    settle = undefined;
    thread.terminate();
    if (s) f(s);
  };
  thread.onmessage = (e: MessageEvent<ProverEvent>) => {
    const m = e.data;
    if (m.type === done) finish((s) => s.resolve(m as T));
    else if (m.type === "error") finish((s) => s.reject(failure(m)));
    else if (settle && (m.type === "stage" || m.type === "download")) onEvent(m);
  };
  thread.onerror = (e) => {
    e.preventDefault();
    finish((s) => s.reject(new Error(`the prover thread crashed: ${e.message || "unknown error"}`)));
  };
  thread.onmessageerror = () =>
    finish((s) => s.reject(new Error("the prover thread sent a message that could not be read")));
  thread.postMessage(req);
  return {
    result,
    cancel: () => finish((s) => s.reject(new ZkLabelError("cancelled", "the job was cancelled"))),
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
