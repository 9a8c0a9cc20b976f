import type { DeploymentFile } from "@zklabel/core/deployment";
import type { ProofWords } from "@zklabel/core/proof";

/** What the page asks the proving worker to do. */
export interface ProveRequest {
  deployment: DeploymentFile;
  batchIndex: number;
  /** Labels of the batch's present items, in item order. */
  labels: number[];
  /** The connected address: the proof pays only this recipient. */
  recipient: `0x${string}`;
  /** The worker's exported Semaphore identity key (never leaves this browser). */
  identityKey: string;
  /** Leaves of the task's worker group, in order (decimal; 0 for a removed member), as rebuilt from the chain. */
  groupLeaves: string[];
  /** The task's on-chain taskHash (decimal), to catch stale task data before proving. */
  expectedTaskHash?: string;
}

export type ProveStage = "download" | "prepare" | "proving";

/** Messages from the worker. */
export type ProveEvent =
  | { type: "stage"; stage: ProveStage; detail?: string }
  | { type: "download"; loaded: number; total: number | null; fromCache: boolean }
  | {
      type: "done";
      proof: ProofWords;
      publicSignals: bigint[];
      timings: { downloadMs: number; prepareMs: number; provingMs: number };
      fromCache: boolean;
    }
  | { type: "error"; message: string; unprovable: boolean };

export type ProveResult = Extract<ProveEvent, { type: "done" }>;
