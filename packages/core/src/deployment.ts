import { z } from "zod";
import { ZkLabelError } from "./errors.ts";
import { RULE_NAMES } from "./rules/index.ts";

/** The local development chain (Hardhat's): the only chain INSECURE development keys and accounts may be used on. */
export const LOCAL_CHAIN_ID = 31337;

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address");
const uint = z.string().regex(/^\d+$/, "must be a decimal integer string");

/**
 * The demo task `npm run dev` seeds (its items are in the vault, never in this public file: the
 * app reads every task, the demo one included, from the chain).
 */
export const demoTaskSchema = z.object({
  taskId: uint,
  title: z.string(),
  itemCount: z.number().int().positive(),
});

/** apps/web/public/deployment.json: where the contracts are and what was seeded. */
export const deploymentSchema = z.object({
  chainId: z.number().int().positive(),
  rpcUrl: z.url(),
  escrow: address,
  verifier: address,
  batchVerifier: address,
  groups: address,
  /** A mintable ERC-20 for trying token-funded tasks: the local chain only. */
  testToken: address.optional(),
  rootGracePeriod: uint,
  circuit: z.string(),
  publicInputCount: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  datasetDepth: z.number().int().positive(),
  deployBlock: uint,
  /** true when any verifier checks proofs with INSECURE development keys (the local chain only). */
  insecureDevKeys: z.boolean(),
  /** The network's name (contracts/networks/<name>.json; "localhost" for the dev stack). */
  network: z.string().min(1).default("localhost"),
  /** Every rule with a verifier behind the escrow (the rule modules of packages/core/src/rules/). */
  rules: z
    .array(
      z.object({
        rule: z.enum(RULE_NAMES),
        ruleId: z.number().int().positive(),
        circuit: z.string(),
        verifier: address,
        batchVerifier: address,
        /** The gold-rejection verifier (the zero address: the rule takes no gold items). */
        rejectVerifier: address,
        /** The rejection circuit behind it, when there is one. */
        rejectCircuit: z.string().optional(),
        batchSize: z.number().int().positive(),
        datasetDepth: z.number().int().positive(),
        publicInputCount: z.number().int().positive(),
      }),
    )
    .optional(),
  /** Every contract deployed, by name: its address, artifact and the keccak256 of the artifact's runtime code. */
  contracts: z
    .record(z.string(), z.object({ address, artifact: z.string(), codeHash: z.string().regex(/^0x[0-9a-f]{64}$/) }))
    .optional(),
  /** Every circuit behind a deployed verifier: whose keys, and the sha256 of the files clients prove with. */
  circuits: z
    .record(
      z.string(),
      z.object({
        keys: z.enum(["development", "ceremony"]),
        transcriptSha256: z.string().optional(),
        zkeySha256: z.string(),
        wasmSha256: z.string(),
        vkeySha256: z.string(),
      }),
    )
    .optional(),
  /** The data vault the app uploads datasets to (the dev stack runs one). */
  vaultUrl: z.url().optional(),
  /** The relayer workers submit through by default (the dev stack runs one). */
  relayerUrl: z.url().optional(),
  /**
   * The indexer (apps/indexer: Ponder, SQL over HTTP) the auditor's pages read through when it is up
   * and caught up with the chain; without it (or when it is not) they read the escrow's events directly.
   */
  indexerUrl: z.url().optional(),
  demoTask: demoTaskSchema.optional(),
});

export type DeploymentFile = z.infer<typeof deploymentSchema>;
export type DemoTask = z.infer<typeof demoTaskSchema>;

/** A rule verifier entry as the escrow's registry holds it (IZkLabelEscrow.RuleVerifier). */
export interface RuleEntry {
  verifier: `0x${string}`;
  batchSize: number;
  datasetDepth: number;
  publicInputCount: number;
  batchVerifier: `0x${string}`;
  rejectVerifier: `0x${string}`;
}

/**
 * The rule entry this deployment names for `ruleId`: what a requester is shown and what createTask
 * must find in the registry (a registry swapped under the task makes it revert, RuleVerifierMismatch).
 */
export function expectedRuleEntry(
  d: {
    rules?: readonly {
      ruleId: number;
      verifier: string;
      batchVerifier: string;
      rejectVerifier: string;
      batchSize: number;
      datasetDepth: number;
      publicInputCount: number;
    }[];
  },
  ruleId: number,
): RuleEntry {
  const r = d.rules?.find((x) => x.ruleId === ruleId);
  if (!r)
    throw new ZkLabelError(
      "unknown_rule",
      `this deployment names no verifier for rule ${ruleId}: update deployment.json`,
    );
  return {
    verifier: r.verifier as `0x${string}`,
    batchSize: r.batchSize,
    datasetDepth: r.datasetDepth,
    publicInputCount: r.publicInputCount,
    batchVerifier: r.batchVerifier as `0x${string}`,
    rejectVerifier: r.rejectVerifier as `0x${string}`,
  };
}

/** Whether two rule entries are the same (addresses compared case-insensitively). */
export function sameRuleEntry(a: RuleEntry, b: RuleEntry): boolean {
  return (
    a.verifier.toLowerCase() === b.verifier.toLowerCase() &&
    a.batchVerifier.toLowerCase() === b.batchVerifier.toLowerCase() &&
    a.rejectVerifier.toLowerCase() === b.rejectVerifier.toLowerCase() &&
    a.batchSize === b.batchSize &&
    a.datasetDepth === b.datasetDepth &&
    a.publicInputCount === b.publicInputCount
  );
}

/**
 * Why this client cannot prove for task `taskId` of rule `ruleId`, whose rule entry (copied when the
 * task was created) names `verifier`; undefined when it can. Clients prove with the circuit of the
 * deployment's entry for the rule, and a task keeps the entry it was created with: after a circuit
 * version is replaced (docs/operations.md, "Upgrades"), a proof for an older task would not verify.
 */
export function oldCircuitProblem(
  d: { rules?: readonly { ruleId: number; verifier: string; circuit: string }[] },
  ruleId: number,
  verifier: string,
  taskId: bigint,
): string | undefined {
  const r = d.rules?.find((x) => x.ruleId === ruleId);
  if (!r || r.verifier.toLowerCase() === verifier.toLowerCase()) return undefined;
  return `task ${taskId} was created with rule ${ruleId}'s verifier ${verifier}, which this deployment no longer names (it names ${r.verifier}, circuit ${r.circuit}): the task takes proofs of an older circuit version, which this client does not make. Pick another task.`;
}
