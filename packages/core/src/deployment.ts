import { z } from "zod";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address");
const uint = z.string().regex(/^\d+$/, "must be a decimal integer string");

/** The seeded demo task, as `npm run dev` writes it for the app (items are public in the demo only). */
export const demoTaskSchema = z.object({
  taskId: uint,
  title: z.string(),
  instructions: z.string(),
  classes: z.array(z.string()).min(1).max(32),
  numClasses: z.number().int().min(1).max(32),
  allowedMask: uint,
  items: z.array(z.string()).min(1),
  pkR: z.tuple([uint, uint]),
  goldRoot: uint,
  workerGroupId: uint,
  rewardPerItem: uint,
  deadline: uint,
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
  /** Every rule with a verifier behind the escrow (classification, bbox, sensor). */
  rules: z
    .array(
      z.object({
        rule: z.enum(["classification", "bbox", "sensor"]),
        ruleId: z.number().int().positive(),
        circuit: z.string(),
        verifier: address,
        batchVerifier: address,
        batchSize: z.number().int().positive(),
        datasetDepth: z.number().int().positive(),
        publicInputCount: z.number().int().positive(),
      }),
    )
    .optional(),
  /** The data vault the app uploads datasets to (the dev stack runs one). */
  vaultUrl: z.url().optional(),
  demoTask: demoTaskSchema,
});

export type DeploymentFile = z.infer<typeof deploymentSchema>;
export type DemoTask = z.infer<typeof demoTaskSchema>;
