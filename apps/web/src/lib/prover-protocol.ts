import type { Box } from "@zklabel/core/bbox";
import type { ProofWords } from "@zklabel/core/proof";
import type { TaskInfo } from "@zklabel/sdk/work";

/** The batch's slice of the dataset tree, as the vault served it (re-checked by the worker). */
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

/** What the page asks a worker thread to do: download a batch from the vault, or prove it. */
export type WorkerRequest =
  | (Common & { kind: "fetch"; vaultUrl: string })
  | (Common & {
      kind: "prove";
      chainId: number;
      escrow: `0x${string}`;
      /** The batch's labels, in item order: class numbers (sensor: 1 = anomaly). */
      labels: number[];
      /** Bounding-box tasks: one box per item, in item order. */
      boxes?: Box[];
      /** The batch's items as fetched (their sizes and readings). */
      items: ItemWire[];
      /** The connected address: the proof pays only this recipient. */
      recipient: `0x${string}`;
      slice: SliceWire;
    });

/** Stages: "circuit" (download or cache), then the vault's "challenge", "prove", "download" or the proof's "input", "witness", "proof". */
export type WorkerStage = "circuit" | "challenge" | "prove" | "download" | "input" | "witness" | "proof";

/** One downloaded, checked item. */
export interface ItemWire {
  index: number;
  name: string;
  type: string;
  bytes: Uint8Array;
  contentHash: bigint;
  /** Box images: pixel size. */
  width?: number;
  height?: number;
  /** Sensor windows: the readings. */
  readings?: number[];
}

/** Messages from the worker. */
export type WorkerEvent =
  | { type: "stage"; stage: WorkerStage }
  | { type: "download"; loaded: number; total: number | null; fromCache: boolean }
  | { type: "fetched"; items: ItemWire[]; slice: SliceWire; ms: number }
  | {
      type: "proved";
      proof: ProofWords;
      publicSignals: bigint[];
      timings: { circuitMs: number; provingMs: number };
      fromCache: boolean;
    }
  | { type: "error"; message: string };

export type FetchResult = Extract<WorkerEvent, { type: "fetched" }>;
export type ProveResult = Extract<WorkerEvent, { type: "proved" }>;
