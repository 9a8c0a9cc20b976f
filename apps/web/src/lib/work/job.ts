"use client";
/**
 * The worker's one job at a time, as a state machine: downloading a batch from the vault, or
 * proving a batch in the prover thread and submitting the proof. Each run moves through phases
 * (the thread's stages, then submitting and confirming) to done, failed or cancelled; a run that
 * a newer one replaced no longer updates.
 */
import type { ProofWords } from "@zklabel/core/proof";
import type { Ticket, TicketStatus } from "@zklabel/sdk/relayer";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Hash } from "viem";
import { errorCode, messageFor } from "../errors";
import { type ProverJob, type ProverProgress, startFetch, startProving } from "../prover-client";
import type { FetchResult, ProverRequest, ProverStage } from "../prover-protocol";
import { recordProvingTime } from "../proving-time";

/** Where a run is ("queued": the relayer holds the proof until it sends it with others). */
export type Phase = ProverStage | "submitting" | "queued" | "confirming" | "done" | "failed" | "cancelled";

/** One run of the job: what it does, for which batch, where it is and how it ended. */
export interface Run {
  kind: "fetch" | "prove";
  batch: number;
  phase: Phase;
  startedAt: number;
  endedAt?: number;
  download?: { loaded: number; total: number | null; fromCache: boolean };
  hash?: Hash;
  /** How the proof goes on-chain: handed to the relayer, or sent from the connected wallet. */
  via?: "relayer" | "wallet";
  /** The relayer's ticket for the proof (its id, and its status as the relayer last said). */
  ticket?: { id: string; status: TicketStatus };
  provingMs?: number;
  error?: string;
}

/** Phases in which a run is under way. */
export const WORKING: readonly Phase[] = [
  "circuit",
  "challenge",
  "prove",
  "download",
  "input",
  "witness",
  "proof",
  "submitting",
  "queued",
  "confirming",
];
/** Phases a run can be cancelled in (in the prover thread; a transaction sent is not taken back). */
export const CANCELLABLE: readonly Phase[] = ["circuit", "challenge", "prove", "download", "input", "witness", "proof"];

/** What a submission reports on its way: the relayer's ticket as it moves, the transaction once broadcast. */
export interface SubmitEvents {
  onTicket(ticket: Ticket): void;
  onSent(hash: Hash): void;
}

/**
 * Sends a proof to the chain, by the wallet or the relayer; resolved once it is mined (or the
 * relayer says it is pending or verified), rejected with the reason in words when it was refused.
 */
export type Submit = (proof: { proof: ProofWords; publicSignals: bigint[] }, on: SubmitEvents) => Promise<void>;

/** The job's state and its actions. */
export function useProverJob() {
  const [run, setRun] = useState<Run | null>(null);
  const job = useRef<ProverJob<unknown> | null>(null);
  useEffect(() => () => job.current?.cancel(), []);
  const busy = run !== null && WORKING.includes(run.phase);

  const update = useCallback(
    (startedAt: number, patch: Partial<Run>) =>
      setRun((r) => (r && r.startedAt === startedAt ? { ...r, ...patch } : r)),
    [],
  );

  /** Runs one thread job; its result, or undefined when it failed or was cancelled (the run says which). */
  async function inThread<T>(
    kind: Run["kind"],
    batch: number,
    start: (onEvent: (e: ProverProgress) => void) => ProverJob<T>,
  ): Promise<{ startedAt: number; result?: T }> {
    const startedAt = Date.now();
    setRun({ kind, batch, phase: "circuit", startedAt });
    const j = start((e) => {
      if (e.type === "stage") update(startedAt, { phase: e.stage });
      else update(startedAt, { download: { loaded: e.loaded, total: e.total, fromCache: e.fromCache } });
    });
    job.current = j;
    try {
      return { startedAt, result: await j.result };
    } catch (e) {
      if (errorCode(e) === "cancelled") update(startedAt, { phase: "cancelled", endedAt: Date.now() });
      else update(startedAt, { phase: "failed", endedAt: Date.now(), error: messageFor(e) });
      return { startedAt };
    } finally {
      if (job.current === j) job.current = null;
    }
  }

  /** Downloads a batch from the vault; the checked batch, or undefined when the run failed. */
  async function fetchBatch(req: Extract<ProverRequest, { kind: "fetch" }>): Promise<FetchResult | undefined> {
    const { startedAt, result } = await inThread("fetch", req.batchIndex, (on) => startFetch(req, on));
    if (result) update(startedAt, { phase: "done", endedAt: Date.now() });
    return result;
  }

  /** Proves a labeled batch in the prover thread, then submits the proof with `submit`. */
  async function proveAndSubmit(
    req: Extract<ProverRequest, { kind: "prove" }>,
    via: Run["via"],
    submit: Submit,
  ): Promise<void> {
    const { startedAt, result } = await inThread("prove", req.batchIndex, (on) => startProving(req, on));
    if (!result) return;
    recordProvingTime(result.circuit, result.timings.provingMs);
    update(startedAt, { phase: "submitting", via, provingMs: result.timings.provingMs });
    let hash: Hash | undefined;
    try {
      await submit(result, {
        onTicket: (t) => {
          if (t.txHash) hash = t.txHash as Hash;
          update(startedAt, {
            ticket: { id: t.id, status: t.status },
            ...(t.status === "queued" ? { phase: "queued" } : {}),
            ...(t.status === "submitted" ? { phase: "confirming" } : {}),
            ...(t.txHash ? { hash: t.txHash as Hash } : {}),
          });
        },
        onSent: (h) => {
          hash = h;
          update(startedAt, { phase: "confirming", hash: h });
        },
      });
      update(startedAt, { phase: "done", endedAt: Date.now() });
    } catch (e) {
      update(startedAt, { phase: "failed", endedAt: Date.now(), error: messageFor(e), hash });
    }
  }

  return {
    run,
    busy,
    fetchBatch,
    proveAndSubmit,
    /** Stops the run in the prover thread at once. */
    cancel: () => job.current?.cancel(),
    /** Forgets the last run unless it was for `batch` (another batch was chosen). */
    keepOnlyFor: (batch: number) => setRun((r) => (r && r.batch === batch ? r : null)),
  };
}
