import { z } from "zod";
import { ZkLabelError } from "./errors.ts";
import { RULE_NAMES } from "./rules/index.ts";

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
  testToken: address,
  rootGracePeriod: uint,
  circuit: z.string(),
  publicInputCount: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  datasetDepth: z.number().int().positive(),
  deployBlock: uint,
  insecureDevKeys: z.literal(true),
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
  /** The data vault the app uploads datasets to (the dev stack runs one). */
  vaultUrl: z.url().optional(),
  /** The relayer workers submit through by default (the dev stack runs one). */
  relayerUrl: z.url().optional(),
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
