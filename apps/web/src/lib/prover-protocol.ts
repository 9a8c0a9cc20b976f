/**
 * The messages between the page and the prover thread (a Web Worker, lib/prover.thread.ts). A
 * batch's items travel once, out of the thread to the page after the download; proving sends
 * back only what the rule reads of them (their facts), never their bytes.
 */
import type { ErrorCode } from "@zklabel/core/errors";
import type { ProofWords } from "@zklabel/core/proof";
import type { ItemFacts, RuleIssue } from "@zklabel/core/rules";
import type { GoldOpenings } from "@zklabel/sdk/gold";
import type { ReviewedBatch } from "@zklabel/sdk/review";
import type { TaskInfo } from "@zklabel/sdk/task-info";

/** The batch's slice of the dataset tree, as the vault served it (re-checked by the prover thread). */
export interface SliceWire {
  depth: number;
  chunk: number;
  size: number;
  batchIndex: number;
  leaves: bigint[];
  path: bigint[];
}

interface Common {
  task: TaskInfo;
  batchIndex: number;
  /** The worker's exported Semaphore identity key (never leaves this browser). */
  identityKey: string;
  /** Leaves of the task's worker group, in order (0 for a removed member), as rebuilt from the chain. */
  groupLeaves: bigint[];
}

/** The requester's rejection of a pending batch: the batch as reviewed, the secret gold openings, the task's gold settings. */
export interface RejectRequest {
  kind: "reject";
  task: TaskInfo;
  batch: ReviewedBatch;
  openings: GoldOpenings;
  minAccuracy: number;
  goldThreshold: number;
}

/** What the page asks the prover thread to do: download a batch from the vault, prove it, or prove a gold rejection. */
export type ProverRequest =
  | RejectRequest
  | (Common & { kind: "fetch"; vaultUrl: string })
  | (Common & {
      kind: "prove";
      chainId: number;
      escrow: `0x${string}`;
      /** The batch's labels, in item order, as the task's rule writes them (a class number, a box, ...). */
      labels: unknown[];
      /** What the rule reads of each item of the batch (content hash, image size, readings), in order. */
      items: ItemFacts[];
      /**
       * Who the proof pays: through a relayer, the identity's payee for this batch (core/payee);
       * from the wallet, the connected address. Bound in the proof, so no one can redirect it.
       */
      recipient: `0x${string}`;
      /** The relayer's fee, basis points of the reward, bound with the recipient (0 from the wallet). */
      relayerFeeBps: number;
      slice: SliceWire;
    });

/** Stages: "circuit" (download or cache), then the vault's "challenge", "prove", "download" or the proof's "input", "witness", "proof". */
export type ProverStage = "circuit" | "challenge" | "prove" | "download" | "input" | "witness" | "proof";

/** One downloaded, checked item: its bytes (to show it) and what the rule reads of it. */
export interface ItemWire extends ItemFacts {
  index: number;
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** Messages from the prover thread. */
export type ProverEvent =
  | { type: "stage"; stage: ProverStage }
  | { type: "download"; loaded: number; total: number | null; fromCache: boolean }
  | { type: "fetched"; items: ItemWire[]; slice: SliceWire; ms: number }
  | {
      type: "proved";
      proof: ProofWords;
      publicSignals: bigint[];
      timings: { circuitMs: number; provingMs: number };
      fromCache: boolean;
      /** The registry name of the circuit that proved (the task's rule's deployed circuit). */
      circuit: string;
    }
  | {
      type: "rejection";
      proof: ProofWords;
      publicSignals: bigint[];
      bound: number;
      gold: number;
      correct: number;
      timings: { circuitMs: number; provingMs: number };
      fromCache: boolean;
      circuit: string;
    }
  | { type: "error"; message: string; code?: ErrorCode; issues?: RuleIssue[] };

export type FetchResult = Extract<ProverEvent, { type: "fetched" }>;
export type ProveResult = Extract<ProverEvent, { type: "proved" }>;
export type RejectionResult = Extract<ProverEvent, { type: "rejection" }>;

/** What the rule reads of an item, without its bytes (what proving sends into the thread). */
export const factsOf = (x: ItemFacts): ItemFacts => ({
  contentHash: x.contentHash,
  leaf: x.leaf,
  width: x.width,
  height: x.height,
  readings: x.readings,
  fields: x.fields,
});
