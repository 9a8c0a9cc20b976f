/**
 * A verifiable labeled-dataset export (browser and Node): a folder anyone can check against the
 * chain alone. The requester opens a task's VERIFIED batches (labels and salts) and writes them
 * with their proofs, public inputs and transactions; the verifier re-packs every label, opens each
 * batch's on-chain labelsCommitment with the published salt, re-runs each proof through the task's
 * on-chain verifier (eth_call), checks each item's content hash under the task's dataset root, and
 * compares the set of batches with the escrow's verified batches and its TaskCompleted event.
 *
 * The folder is an in-memory Map of relative paths to bytes or text, so the CLI (a directory) and
 * the web app (a dropped folder) share this code. Layout: docs/verified-dataset.md.
 */
import { workerPublicValues } from "@zklabel/core/envelope";
import { ZkLabelError } from "@zklabel/core/errors";
import { contentHash } from "@zklabel/core/field";
import { labelsCommitment } from "@zklabel/core/labels";
import { rootFromItemProof } from "@zklabel/core/merkle";
import { type AnyRule, ruleById, ruleCircuit } from "@zklabel/core/rules";
import {
  type Abi,
  type Address,
  concatHex,
  decodeEventLog,
  decodeFunctionData,
  decodeFunctionResult,
  encodeAbiParameters,
  type Hex,
  keccak256,
  numberToHex,
  type PublicClient,
  toFunctionSelector,
} from "viem";
import { z } from "zod";
import { escrowAbi } from "./abi-escrow.ts";
import { aggregatedVerifierAbi } from "./aggregation/contracts.ts";
import { checkManifest, itemFacts, type Manifest } from "./dataset.ts";
import type { DecodedLog } from "./events.ts";
import { exportsCoco, labelRows, toCoco, toJsonl } from "./export.ts";
import { openSubmission } from "./open.ts";
import { escrowReader, taskInfoFromLog, taskMetadata } from "./task-info.ts";

/** A folder of files by relative path ("labels.jsonl", "items/a.png"): bytes or text. */
export type VerifiedFolder = Map<string, Uint8Array | string>;

export const PROVENANCE_FORMAT = "zklabel-provenance/1";
export const VERIFIED_FILES = {
  labels: "labels.jsonl",
  coco: "annotations.coco.json",
  card: "README.md",
  provenance: "provenance.json",
  manifest: "manifest.json",
  items: "items/",
} as const;

const dec = z.string().regex(/^[0-9]+$/, "must be a decimal integer string");
const addr = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed address");
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hash");

/** provenance.json: where every batch of the export is on the chain, and what opens its commitment. */
export const provenanceSchema = z.object({
  format: z.literal(PROVENANCE_FORMAT),
  chainId: z.number().int().positive(),
  escrow: addr,
  taskId: dec,
  taskHash: dec,
  ruleId: z.number().int().min(0),
  rule: z.string(),
  /** The task's class names (its metadata's), which the className column uses. */
  classes: z.array(z.string()).default([]),
  verifier: addr,
  batchSize: z.number().int().min(1),
  itemCount: z.number().int().min(1),
  datasetRoot: dec,
  /** The block of the task's TaskCreated event: the verifier reads the escrow's events from it. */
  fromBlock: dec,
  completion: z
    .object({
      transaction: hash32,
      blockNumber: dec,
      verifiedItems: z.number().int().min(0),
      batchesDigest: hash32,
    })
    .nullable(),
  /** Verified batches, in the order they became verified (BatchVerified events). */
  batches: z.array(
    z.object({
      batchIndex: z.number().int().min(0),
      count: z.number().int().min(1),
      items: z.array(z.object({ index: z.number().int().min(0), name: z.string(), contentHash: z.string() })),
      nullifier: dec,
      labelsCommitment: dec,
      salt: dec,
      /** The batch's N packed label values (zero past count), as the circuit commits to them. */
      labelValues: z.array(dec),
      /** The Groth16 proof's 8 words; null for a batch submitted through the aggregation adapter. */
      proof: z.array(dec).length(8).nullable(),
      aggregated: z.boolean(),
      publicInputs: z.array(dec),
      transaction: hash32,
      blockNumber: dec,
      verifiedTransaction: hash32,
      verifiedBlockNumber: dec,
    }),
  ),
});
export type Provenance = z.infer<typeof provenanceSchema>;
type ProvenanceBatch = Provenance["batches"][number];

/** One row of labels.jsonl: where the item is, the rule's columns, and the packed label value. */
const rowSchema = z
  .object({
    index: z.number().int().min(0),
    batchIndex: z.number().int().min(0),
    name: z.string(),
    contentHash: z.string(),
    labelValue: dec,
  })
  .passthrough();

// --- events ---------------------------------------------------------------------------------

/** What a batch's BatchSubmitted event says of it. */
export interface SubmittedBatch {
  batchIndex: number;
  nullifier: bigint;
  labelsCommitment: bigint;
}

/**
 * The escrow's batchesDigest (docs/protocol.md §5.7a): d = bytes32(taskHash); for each batch in
 * verification order, d = keccak256(abi.encode(d, batchIndex, keccak256(abi.encode(nullifier, labelsCommitment)))).
 */
export function batchesDigest(taskHash: bigint, batches: readonly SubmittedBatch[]): Hex {
  let d: Hex = numberToHex(taskHash, { size: 32 });
  for (const b of batches) {
    const inner = keccak256(
      encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [b.nullifier, b.labelsCommitment]),
    );
    d = keccak256(
      encodeAbiParameters(
        [{ type: "bytes32" }, { type: "uint256" }, { type: "bytes32" }],
        [d, BigInt(b.batchIndex), inner],
      ),
    );
  }
  return d;
}

const chainOrder = (a: DecodedLog, b: DecodedLog) =>
  a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1;

/** A verified batch: its standing submission (the last BatchSubmitted before it was verified) and its BatchVerified event. */
export interface VerifiedBatchLogs {
  batchIndex: number;
  submitted: DecodedLog;
  verified: DecodedLog;
}

/** The task's verified batches in the order they became verified (block number, then log index). */
export function verifiedBatchesOf(logs: readonly DecodedLog[], taskId: bigint): VerifiedBatchLogs[] {
  const last = new Map<number, DecodedLog>();
  const out: VerifiedBatchLogs[] = [];
  for (const l of [...logs].sort(chainOrder)) {
    if (l.args.taskId !== taskId) continue;
    const b = Number(l.args.batchIndex);
    if (l.eventName === "BatchSubmitted") last.set(b, l);
    else if (l.eventName === "BatchRejected") last.delete(b);
    else if (l.eventName === "BatchVerified") {
      const submitted = last.get(b);
      if (submitted && !out.some((x) => x.batchIndex === b)) out.push({ batchIndex: b, submitted, verified: l });
    }
  }
  return out;
}

/** The task's TaskCompleted event, or null while it is not complete. */
export function completionOf(logs: readonly DecodedLog[], taskId: bigint) {
  const l = logs.find((x) => x.eventName === "TaskCompleted" && x.args.taskId === taskId);
  if (!l) return null;
  const a = l.args as {
    verifiedItems: number | bigint;
    itemCount: number | bigint;
    batchesDigest: Hex;
    datasetRoot?: bigint;
    verifier?: Address;
  };
  return {
    datasetRoot: a.datasetRoot,
    verifier: a.verifier,
    transaction: l.transactionHash as Hex,
    blockNumber: l.blockNumber,
    verifiedItems: Number(a.verifiedItems),
    itemCount: Number(a.itemCount),
    batchesDigest: a.batchesDigest.toLowerCase() as Hex,
  };
}

const submittedOf = (l: DecodedLog): SubmittedBatch => ({
  batchIndex: Number(l.args.batchIndex),
  nullifier: l.args.nullifier as bigint,
  labelsCommitment: l.args.labelsCommitment as bigint,
});

// --- calldata -------------------------------------------------------------------------------

/** A batch's proof and public inputs from its transaction's calldata; proof null when it went through the aggregation adapter. */
export function proofFromCalldata(
  input: Hex,
  batchIndex: number,
): { proof: readonly bigint[] | null; publicInputs: readonly bigint[]; aggregated: boolean } {
  try {
    const call = decodeFunctionData({ abi: escrowAbi, data: input });
    if (call.functionName === "submitBatch")
      return { proof: call.args[2], publicInputs: call.args[3], aggregated: false };
    if (call.functionName === "submitBatches") {
      const i = call.args[1].indexOf(BigInt(batchIndex));
      const n = call.args[3].length / call.args[1].length;
      if (i >= 0)
        return { proof: call.args[2][i], publicInputs: call.args[3].slice(i * n, (i + 1) * n), aggregated: false };
    }
  } catch {}
  try {
    const call = decodeFunctionData({ abi: aggregatedVerifierAbi, data: input });
    if (call.functionName === "submitBatchAggregated" && call.args[2] === BigInt(batchIndex))
      return { proof: null, publicInputs: call.args[3], aggregated: true };
  } catch {}
  throw new ZkLabelError(
    "invalid_input",
    `the transaction is not a submission of batch ${batchIndex} (submitBatch, submitBatches or submitBatchAggregated)`,
  );
}

// --- export ---------------------------------------------------------------------------------

const s = (x: bigint | number) => x.toString();
const text = (f: Uint8Array | string) => (typeof f === "string" ? f : new TextDecoder().decode(f));

/**
 * The labeled dataset of a task's verified batches as a verifiable folder. `logs` are the escrow's
 * events (an EventReader's), `skR` the requester's key, `manifest` the task's dataset manifest;
 * `items` (name → bytes) adds the item files. Pending and rejected batches are left out.
 */
export async function buildVerifiedExport(args: {
  client: Pick<PublicClient, "getTransaction">;
  chainId: number;
  escrow: Address;
  taskId: bigint;
  logs: readonly DecodedLog[];
  skR: bigint;
  manifest: Manifest;
  classes?: readonly string[];
  items?: ReadonlyMap<string, Uint8Array>;
  license?: string;
}): Promise<{ folder: VerifiedFolder; provenance: Provenance; labels: number; batches: number; excluded: number[] }> {
  const created = args.logs.find((l) => l.eventName === "TaskCreated" && l.args.taskId === args.taskId);
  if (!created)
    throw new ZkLabelError(
      "not_found",
      `task ${args.taskId} has no TaskCreated event: check the task id and the deployment`,
    );
  const info = taskInfoFromLog(created);
  const rule = ruleById(info.ruleId);
  const n = info.batchSize;
  if (BigInt(args.manifest.root) !== info.datasetRoot)
    throw new ZkLabelError(
      "invalid_dataset",
      `the manifest's root ${args.manifest.root} is not task ${args.taskId}'s dataset root 0x${info.datasetRoot.toString(16)}: pass the task's manifest`,
    );
  const verified = verifiedBatchesOf(args.logs, args.taskId);
  const submittedIdx = new Set(
    args.logs
      .filter((l) => l.eventName === "BatchSubmitted" && l.args.taskId === args.taskId)
      .map((l) => Number(l.args.batchIndex)),
  );
  const excluded = [...submittedIdx].filter((b) => !verified.some((v) => v.batchIndex === b)).sort((a, b) => a - b);
  const opened: { batchIndex: number; labels: unknown[] }[] = [];
  const batches: ProvenanceBatch[] = [];
  for (const v of verified) {
    const b = openSubmission(v.submitted, rule, args.skR, n);
    const labels = b.opened.labels;
    const values = Array.from({ length: n }, (_, i) => (i < labels.length ? rule.labelValue(labels[i]) : 0n));
    const tx = await args.client.getTransaction({ hash: v.submitted.transactionHash as Hex });
    const call = proofFromCalldata(tx.input, v.batchIndex);
    opened.push({ batchIndex: v.batchIndex, labels });
    batches.push({
      batchIndex: v.batchIndex,
      count: b.count,
      items: labels.map((_, i) => {
        const index = v.batchIndex * n + i;
        const m = args.manifest.items[index];
        return { index, name: m?.name ?? "", contentHash: m?.contentHash ?? "" };
      }),
      nullifier: s(b.nullifier),
      labelsCommitment: s(b.labelsCommitment),
      salt: s(b.opened.salt),
      labelValues: values.map(s),
      proof: call.proof ? call.proof.map(s) : null,
      aggregated: call.aggregated,
      publicInputs: call.publicInputs.map(s),
      transaction: v.submitted.transactionHash as Hex,
      blockNumber: s(v.submitted.blockNumber),
      verifiedTransaction: v.verified.transactionHash as Hex,
      verifiedBlockNumber: s(v.verified.blockNumber),
    });
  }
  const done = completionOf(args.logs, args.taskId);
  const provenance: Provenance = {
    format: PROVENANCE_FORMAT,
    chainId: args.chainId,
    escrow: args.escrow,
    taskId: s(args.taskId),
    taskHash: s(info.taskHash),
    ruleId: info.ruleId,
    rule: rule.name,
    classes: [...(args.classes ?? [])],
    verifier: info.verifier,
    batchSize: n,
    itemCount: info.itemCount,
    datasetRoot: s(info.datasetRoot),
    fromBlock: s(created.blockNumber),
    completion: done && {
      transaction: done.transaction,
      blockNumber: s(done.blockNumber),
      verifiedItems: done.verifiedItems,
      batchesDigest: done.batchesDigest,
    },
    batches,
  };
  const classes = args.classes ?? [];
  const valuesOf = new Map(batches.map((b) => [b.batchIndex, b.labelValues]));
  const rows = labelRows(rule, opened, n, args.manifest, classes).map((r) => {
    const batchIndex = Math.floor(r.index / n);
    const value = valuesOf.get(batchIndex)?.[r.index - batchIndex * n] ?? "0";
    const { index, name, contentHash: h, ...fields } = r;
    return { index, batchIndex, name, contentHash: h, ...fields, labelValue: value };
  });
  const folder: VerifiedFolder = new Map();
  folder.set(VERIFIED_FILES.labels, toJsonl(rows as never));
  if (exportsCoco(rule) && opened.length > 0)
    folder.set(VERIFIED_FILES.coco, toCoco(rule, opened, n, args.manifest, classes));
  folder.set(VERIFIED_FILES.manifest, `${JSON.stringify(args.manifest, null, 2)}\n`);
  folder.set(VERIFIED_FILES.provenance, `${JSON.stringify(provenance, null, 2)}\n`);
  let itemFiles = 0;
  if (args.items) {
    for (const b of batches)
      for (const it of b.items) {
        const bytes = args.items.get(it.name);
        if (!bytes) continue;
        folder.set(`${VERIFIED_FILES.items}${safeName(it.name)}`, bytes);
        itemFiles++;
      }
  }
  folder.set(
    VERIFIED_FILES.card,
    datasetCard({ provenance, rule, rows: rows.length, excluded, itemFiles, license: args.license }),
  );
  return { folder, provenance, labels: rows.length, batches: batches.length, excluded };
}

/** An item's name as a relative path inside items/, refusing names that would climb out of it. */
function safeName(name: string): string {
  if (name === "" || name.split(/[\\/]/).some((p) => p === ".." || p === "") || name.startsWith("/"))
    throw new ZkLabelError("invalid_dataset", `item name "${name}" is not a plain relative path: rename the item`);
  return name;
}

/** README.md: a Hugging Face dataset card (labels.jsonl as the default config), then what was verified and what was not. */
function datasetCard(a: {
  provenance: Provenance;
  rule: AnyRule;
  rows: number;
  excluded: number[];
  itemFiles: number;
  license?: string;
}): string {
  const p = a.provenance;
  const front = [
    "---",
    `license: ${a.license ?? "other"}`,
    `pretty_name: "zkLabel task ${p.taskId}: ${a.rule.title}"`,
    ...(exportsCoco(a.rule) ? ["task_categories:", "- object-detection"] : []),
    "tags:",
    "- zklabel",
    "- verifiable",
    "- zero-knowledge",
    "configs:",
    "- config_name: default",
    `  data_files: ${VERIFIED_FILES.labels}`,
    "---",
  ];
  const batchLines = p.batches.map(
    (b) =>
      `| ${b.batchIndex} | ${b.count} | ${b.transaction} | ${b.blockNumber} | ${b.aggregated ? "aggregated (no Groth16 proof in calldata)" : "Groth16"} |`,
  );
  return `${[
    ...front,
    "",
    `# zkLabel task ${p.taskId}: ${a.rule.title}`,
    "",
    `${a.rows} labeled items from ${p.batches.length} verified batch${p.batches.length === 1 ? "" : "es"} of task ${p.taskId} (${p.itemCount} items in all).`,
    "`labels.jsonl` has one row per item: its dataset index, batch, name, content hash, the rule's columns and `labelValue`, the label packed as the circuit packs it." +
      (exportsCoco(a.rule) ? " `annotations.coco.json` holds the same labels as COCO instances." : ""),
    "",
    "## Where it comes from",
    "",
    `- Chain id: ${p.chainId}`,
    `- Escrow: ${p.escrow}`,
    `- Task: ${p.taskId} (taskHash ${p.taskHash})`,
    `- Rule: ${a.rule.title} (rule id ${p.ruleId}): ${a.rule.summary}`,
    `- Rule verifier: ${p.verifier}`,
    `- Dataset root: ${p.datasetRoot} (\`manifest.json\` lists every item's name and content hash under it)`,
    p.completion
      ? `- Completed in transaction ${p.completion.transaction} (block ${p.completion.blockNumber}): ${p.completion.verifiedItems} verified items, batches digest ${p.completion.batchesDigest}`
      : "- The task is NOT complete on the chain (no TaskCompleted event when this was exported): the completion check of `zklabel dataset verify` fails until it is.",
    "",
    "| batch | items | transaction | block | proof |",
    "|---|---|---|---|---|",
    ...batchLines,
    "",
    "## What was verified",
    "",
    "Each batch's Groth16 proof was accepted by the task's rule verifier on chain: the labels were made by a member of the task's worker group, over the items of that batch under the dataset root, and every label follows the rule as the circuit states it. " +
      "The proof binds a commitment to the batch's labels (`labelsCommitment`); `provenance.json` publishes each batch's salt, so anyone re-packs the labels of `labels.jsonl` and opens the on-chain commitment. " +
      "`zklabel dataset verify DIR` checks all of it against the chain alone: chain id, task hash and dataset root; each commitment; each proof (an eth_call of the task's verifier) and its public inputs against the batch's event; each item's content hash under the dataset root; and that the batches are exactly the task's verified batches (the TaskCompleted event's count and digest).",
    "",
    "## What was NOT verified",
    "",
    "- Semantic correctness beyond the rule: a proof shows a label follows the rule (an allowed class, a box inside the image, ...), not that it is the right label for the item. Gold items, where the task had them, only let the requester reject batches below the task's accuracy during the challenge window.",
    `- Pending and rejected batches are excluded: only verified batches are here.${a.excluded.length ? ` Submitted but not verified at export: batch ${a.excluded.join(", ")}.` : ""}`,
    a.itemFiles
      ? `- Item files: ${a.itemFiles} are included under \`items/\`; their content hashes are checked.`
      : "- The items themselves are absent (only names and content hashes): their bytes cannot be checked from this folder.",
    "",
    "Publishing the salts makes the labels public: anyone can open the on-chain commitments with them. Only the requester could read them before this export.",
    "",
  ].join("\n")}`;
}

// --- verify ---------------------------------------------------------------------------------

/** One check's result: whether it holds and what was found; `item` / `items` name the dataset index(es) at fault. */
export interface VerifyCheck {
  ok: boolean;
  detail: string;
  item?: number;
  items?: number[];
  skipped?: boolean;
}
export interface BatchReport {
  batchIndex: number;
  transaction: string;
  checks: { commitment: VerifyCheck; proof: VerifyCheck; items: VerifyCheck };
}
export interface VerifyReport {
  ok: boolean;
  taskId: string;
  chainId: number;
  escrow: string;
  chain: VerifyCheck;
  batches: BatchReport[];
  batchSet: VerifyCheck & { missing: number[]; extra: number[] };
  completion: VerifyCheck;
}

const okCheck = (detail: string): VerifyCheck => ({ ok: true, detail });
const bad = (detail: string, more: Partial<VerifyCheck> = {}): VerifyCheck => ({ ok: false, detail, ...more });

/** Reads and validates provenance.json; a ZkLabelError that says what is wrong. */
export function readProvenance(folder: VerifiedFolder): Provenance {
  const f = folder.get(VERIFIED_FILES.provenance);
  if (f === undefined)
    throw new ZkLabelError(
      "invalid_input",
      `the folder has no ${VERIFIED_FILES.provenance}: is it a zkLabel dataset export?`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text(f));
  } catch {
    throw new ZkLabelError("invalid_input", `${VERIFIED_FILES.provenance} is not valid JSON: export the dataset again`);
  }
  const parsed = provenanceSchema.safeParse(json);
  if (!parsed.success)
    throw new ZkLabelError(
      "invalid_input",
      `${VERIFIED_FILES.provenance} is not a ${PROVENANCE_FORMAT} file: ${parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .join("; ")}`,
    );
  return parsed.data;
}

function readRows(folder: VerifiedFolder) {
  const f = folder.get(VERIFIED_FILES.labels);
  if (f === undefined) throw new ZkLabelError("invalid_input", `the folder has no ${VERIFIED_FILES.labels}`);
  return text(f)
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      let json: unknown;
      try {
        json = JSON.parse(l);
      } catch {
        throw new ZkLabelError("invalid_input", `${VERIFIED_FILES.labels} line ${i + 1} is not JSON`);
      }
      const r = rowSchema.safeParse(json);
      if (!r.success)
        throw new ZkLabelError(
          "invalid_input",
          `${VERIFIED_FILES.labels} line ${i + 1}: ${r.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`,
        );
      return r.data as z.infer<typeof rowSchema> & Record<string, unknown>;
    });
}

/** The calldata of the rule verifier's verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[K]): selector, proof words, inputs. */
export function verifyProofCalldata(proof: readonly bigint[], inputs: readonly bigint[]): Hex {
  const selector = toFunctionSelector(`verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[${inputs.length}])`);
  return concatHex([selector, ...[...proof, ...inputs].map((w) => numberToHex(w, { size: 32 }))]);
}

type VerifyClient = Pick<
  PublicClient,
  "getChainId" | "getBlockNumber" | "getContractEvents" | "getTransactionReceipt" | "call"
>;

/**
 * Checks an exported folder against the chain alone (a viem public client of the chain it names).
 * `expectedEscrow`: the escrow the caller's deployment names (refused when the export names another).
 * Never throws for a wrong export: every problem is a failed check naming the batch and item.
 */
export async function verifyVerifiedExport(
  folder: VerifiedFolder,
  client: VerifyClient,
  opts: { expectedEscrow?: Address } = {},
): Promise<VerifyReport> {
  const p = readProvenance(folder);
  const rows = readRows(folder);
  const taskId = BigInt(p.taskId);
  const report: VerifyReport = {
    ok: false,
    taskId: p.taskId,
    chainId: p.chainId,
    escrow: p.escrow,
    chain: okCheck(""),
    batches: [],
    batchSet: { ...bad("not checked"), missing: [], extra: [] },
    completion: bad("not checked"),
  };
  const chainId = await client.getChainId();
  if (chainId !== p.chainId) {
    report.chain = bad(
      `the export is for chain ${p.chainId} but the client is connected to chain ${chainId}: verify it with an RPC of chain ${p.chainId}`,
    );
    return report;
  }
  if (opts.expectedEscrow && opts.expectedEscrow.toLowerCase() !== p.escrow.toLowerCase()) {
    report.chain = bad(
      `the export names escrow ${p.escrow} but your deployment's escrow is ${opts.expectedEscrow}: use the deployment of the export's escrow`,
    );
    return report;
  }
  const logs = await escrowReader({ client, address: p.escrow as Address, fromBlock: BigInt(p.fromBlock) }).read();
  const created = logs.find((l) => l.eventName === "TaskCreated" && l.args.taskId === taskId);
  if (!created) {
    report.chain = bad(
      `escrow ${p.escrow} on chain ${chainId} has no TaskCreated event for task ${p.taskId} from block ${p.fromBlock}: the task or its escrow is wrong`,
    );
    return report;
  }
  const info = taskInfoFromLog(created);
  const mismatches = [
    ["taskHash", p.taskHash, s(info.taskHash)],
    ["datasetRoot", p.datasetRoot, s(info.datasetRoot)],
    ["ruleId", s(p.ruleId), s(info.ruleId)],
    ["verifier", p.verifier.toLowerCase(), info.verifier.toLowerCase()],
    ["batchSize", s(p.batchSize), s(info.batchSize)],
    ["itemCount", s(p.itemCount), s(info.itemCount)],
  ].filter(([, a, b]) => a !== b);
  report.chain = mismatches.length
    ? bad(
        `task ${p.taskId} on chain: ${mismatches.map(([k, a, b]) => `${k} is ${b}, the export says ${a}`).join("; ")}`,
      )
    : okCheck(`chain ${chainId}, escrow ${p.escrow}, task ${p.taskId}: taskHash and datasetRoot match`);

  let rule: AnyRule | undefined;
  try {
    rule = ruleById(info.ruleId);
  } catch (e) {
    report.chain = bad(e instanceof Error ? e.message : String(e));
    return report;
  }
  const n = info.batchSize;
  // Class names come from the task's metadata, which TaskCreated carries bound by its on-chain hash:
  // an export that renames classes (its className column and provenance agreeing with each other) fails.
  let classes: readonly string[] = p.classes;
  try {
    const meta = taskMetadata(info);
    classes = rule.classNames(rule.decodeParams(info.ruleParams), meta?.rule.classes);
  } catch (e) {
    report.chain = bad(`task ${p.taskId}'s metadata: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (classes.join("\n") !== p.classes.join("\n"))
    report.chain = bad(
      `task ${p.taskId}'s class names on chain are ${JSON.stringify(classes)}, the export says ${JSON.stringify(p.classes)}`,
    );

  // The dataset tree of the exported manifest, checked against the on-chain root.
  let tree: ReturnType<typeof checkManifest> | null = null;
  let treeProblem = "";
  const mf = folder.get(VERIFIED_FILES.manifest);
  if (mf === undefined)
    treeProblem = `the folder has no ${VERIFIED_FILES.manifest}: item content hashes cannot be placed under the root`;
  else {
    try {
      tree = checkManifest(JSON.parse(text(mf)));
      if (tree.tree.root !== info.datasetRoot) {
        treeProblem = `${VERIFIED_FILES.manifest}'s items hash to root ${tree.tree.root}, not the task's dataset root ${info.datasetRoot}`;
        tree = null;
      }
    } catch (e) {
      treeProblem = `${VERIFIED_FILES.manifest}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  const submittedInTask = logs.filter((l) => l.eventName === "BatchSubmitted" && l.args.taskId === taskId);
  const circuit = ruleCircuit(rule);
  const rowsByBatch = new Map<number, typeof rows>();
  for (const r of rows) rowsByBatch.set(r.batchIndex, [...(rowsByBatch.get(r.batchIndex) ?? []), r]);

  for (const b of p.batches) {
    const event = submittedInTask.find(
      (l) => l.transactionHash === b.transaction && Number(l.args.batchIndex) === b.batchIndex,
    );
    report.batches.push({
      batchIndex: b.batchIndex,
      transaction: b.transaction,
      checks: {
        commitment: commitmentCheck(b, rowsByBatch.get(b.batchIndex) ?? [], event, rule, n, taskId, classes),
        proof: await proofCheck(client, b, event, info, p, circuit, taskId).catch((e: unknown) =>
          bad(`batch ${b.batchIndex}: the proof could not be checked: ${e instanceof Error ? e.message : String(e)}`),
        ),
        items: itemsCheck(b, rowsByBatch.get(b.batchIndex) ?? [], folder, tree, treeProblem, rule, n),
      },
    });
  }
  const listed = new Set(p.batches.map((b) => b.batchIndex));
  const stray = [...rowsByBatch.keys()].filter((k) => !listed.has(k));
  if (stray.length)
    report.chain = bad(
      `${report.chain.ok ? "" : `${report.chain.detail}; `}${VERIFIED_FILES.labels} has rows of batch ${stray.join(", ")}, which ${VERIFIED_FILES.provenance} does not list`,
    );

  // The set of batches, against the chain's verified batches and its TaskCompleted event.
  const verified = verifiedBatchesOf(logs, taskId);
  const onChain = verified.map((v) => v.batchIndex);
  const missing = onChain.filter((x) => !listed.has(x));
  const extra = [...listed].filter((x) => !onChain.includes(x));
  const dup = p.batches.map((b) => b.batchIndex).filter((x, i, a) => a.indexOf(x) !== i);
  const order = p.batches.map((b) => b.batchIndex).join(",") === onChain.join(",");
  report.batchSet =
    missing.length || extra.length || dup.length
      ? {
          ...bad(
            [
              missing.length ? `missing verified batch${missing.length > 1 ? "es" : ""} ${missing.join(", ")}` : "",
              extra.length
                ? `batch${extra.length > 1 ? "es" : ""} ${extra.join(", ")} not verified in task ${p.taskId}`
                : "",
              dup.length ? `batch ${dup.join(", ")} listed twice` : "",
            ]
              .filter(Boolean)
              .join("; "),
          ),
          missing,
          extra,
        }
      : order
        ? {
            ...okCheck(`the ${onChain.length} verified batches of task ${p.taskId}, in verification order`),
            missing,
            extra,
          }
        : { ...bad(`the batches are not in the order they were verified (${onChain.join(", ")})`), missing, extra };

  const done = completionOf(logs, taskId);
  const items = p.batches.reduce((a, b) => a + b.count, 0);
  const digest = batchesDigest(
    BigInt(p.taskHash),
    p.batches.map((b) => ({
      batchIndex: b.batchIndex,
      nullifier: BigInt(b.nullifier),
      labelsCommitment: BigInt(b.labelsCommitment),
    })),
  );
  if (!done) report.completion = bad(`task ${p.taskId} is not complete on the chain (no TaskCompleted event)`);
  else {
    const problems = [
      done.verifiedItems !== items ? `verifiedItems is ${done.verifiedItems}, the export's batches hold ${items}` : "",
      done.batchesDigest !== digest.toLowerCase()
        ? `batchesDigest is ${done.batchesDigest}, the export's batches give ${digest}`
        : "",
      done.datasetRoot !== undefined && s(done.datasetRoot) !== p.datasetRoot
        ? `its datasetRoot is ${done.datasetRoot}, the export says ${p.datasetRoot}`
        : "",
      done.verifier !== undefined && done.verifier.toLowerCase() !== p.verifier.toLowerCase()
        ? `its verifier is ${done.verifier}, the export says ${p.verifier}`
        : "",
      p.completion && p.completion.transaction.toLowerCase() !== done.transaction.toLowerCase()
        ? `completed in ${done.transaction}, the export says ${p.completion.transaction}`
        : "",
    ].filter(Boolean);
    report.completion = problems.length
      ? bad(`TaskCompleted of task ${p.taskId}: ${problems.join("; ")}`)
      : okCheck(`completed in ${done.transaction}: ${items} verified items, digest ${digest}`);
  }
  report.ok =
    report.chain.ok &&
    report.batchSet.ok &&
    report.completion.ok &&
    report.batches.every((b) => Object.values(b.checks).every((c) => c.ok));
  return report;
}

function commitmentCheck(
  b: ProvenanceBatch,
  rows: readonly (Record<string, unknown> & { index: number; labelValue: string })[],
  event: DecodedLog | undefined,
  rule: AnyRule,
  n: number,
  taskId: bigint,
  classes: readonly string[],
): VerifyCheck {
  const at = `batch ${b.batchIndex}`;
  if (!event)
    return bad(`${at}: transaction ${b.transaction} holds no BatchSubmitted of task ${taskId} batch ${b.batchIndex}`);
  const onChain = submittedOf(event);
  if (s(onChain.labelsCommitment) !== b.labelsCommitment || s(onChain.nullifier) !== b.nullifier)
    return bad(`${at}: the export's nullifier or labelsCommitment is not the on-chain event's`);
  const sorted = [...rows].sort((x, y) => x.index - y.index);
  const expected = Array.from({ length: b.count }, (_, i) => b.batchIndex * n + i);
  const got = sorted.map((r) => r.index);
  if (got.join(",") !== expected.join(",")) {
    const absent = expected.filter((i) => !got.includes(i));
    const stray = got.filter((i) => !expected.includes(i));
    return bad(
      `${at}: ${VERIFIED_FILES.labels} has ${got.length} rows for it, expected items ${expected[0]}..${expected[expected.length - 1]}${absent.length ? `; missing item ${absent.join(", ")}` : ""}${stray.length ? `; unexpected item ${stray.join(", ")}` : ""}`,
      { items: [...absent, ...stray], item: [...absent, ...stray][0] },
    );
  }
  // Every row's columns must be what its packed value says (a changed column is named).
  const values: bigint[] = [];
  for (const r of sorted) {
    const v = BigInt(r.labelValue);
    let fields: Record<string, string | number>;
    try {
      fields = rule.exportFields(rule.labelFromValue(v), classes) as Record<string, string | number>;
    } catch {
      return bad(`${at}: item ${r.index} ("${r.name}"): labelValue ${v} is not a ${rule.noun} label`, {
        item: r.index,
      });
    }
    const differs = Object.entries(fields).filter(([k, x]) => r[k] !== x);
    if (differs.length)
      return bad(
        `${at}: item ${r.index} ("${r.name}"): its ${differs.map(([k]) => k).join(", ")} ${differs.length > 1 ? "are" : "is"} not what its labelValue ${v} says (${differs.map(([k, x]) => `${k} ${JSON.stringify(x)}`).join(", ")})`,
        { item: r.index },
      );
    values.push(v);
  }
  const full = Array.from({ length: n }, (_, i) => values[i] ?? 0n);
  const c = labelsCommitment(full, rule.labelBits, BigInt(b.salt));
  if (c === onChain.labelsCommitment)
    return okCheck(
      `${at}: ${b.count} labels with the published salt open labelsCommitment ${onChain.labelsCommitment}`,
    );
  const differ = values.map((v, i) => (s(v) !== b.labelValues[i] ? b.batchIndex * n + i : -1)).filter((i) => i >= 0);
  const recorded = b.labelValues.map((x) => BigInt(x));
  if (differ.length && labelsCommitment(recorded, rule.labelBits, BigInt(b.salt)) === onChain.labelsCommitment)
    return bad(
      `${at}: the labels do not open the on-chain labelsCommitment: item ${differ.join(", ")} ${differ.length > 1 ? "differ" : "differs"} from the committed label${differ.length > 1 ? "s" : ""}`,
      { item: differ[0], items: differ },
    );
  return bad(
    `${at}: the labels with the published salt do not open the on-chain labelsCommitment ${onChain.labelsCommitment}`,
  );
}

async function proofCheck(
  client: VerifyClient,
  b: ProvenanceBatch,
  event: DecodedLog | undefined,
  info: ReturnType<typeof taskInfoFromLog>,
  p: Provenance,
  circuit: ReturnType<typeof ruleCircuit>,
  taskId: bigint,
): Promise<VerifyCheck> {
  const at = `batch ${b.batchIndex}`;
  // The transaction's receipt must hold this task's submission of this batch.
  const receipt = await client.getTransactionReceipt({ hash: b.transaction as Hex }).catch(() => null);
  if (!receipt) return bad(`${at}: transaction ${b.transaction} is not on chain ${p.chainId}`);
  const mine = receipt.logs.some((l) => {
    if (l.address.toLowerCase() !== p.escrow.toLowerCase()) return false;
    try {
      const e = decodeEventLog({ abi: escrowAbi as Abi, data: l.data, topics: l.topics }) as unknown as {
        eventName: string;
        args: Record<string, unknown>;
      };
      return (
        (e.eventName === "BatchSubmitted" || e.eventName === "BatchVerified") &&
        e.args.taskId === taskId &&
        Number(e.args.batchIndex) === b.batchIndex
      );
    } catch {
      return false;
    }
  });
  if (!mine)
    return bad(
      `${at}: transaction ${b.transaction} holds no BatchSubmitted of task ${p.taskId} batch ${b.batchIndex} (a batch of another task?)`,
    );
  if (!event) return bad(`${at}: no BatchSubmitted event of task ${p.taskId} in ${b.transaction}`);
  const inputs = b.publicInputs.map((x) => BigInt(x));
  let v: ReturnType<typeof workerPublicValues>;
  try {
    v = workerPublicValues(circuit, inputs);
  } catch (e) {
    return bad(
      `${at}: the public inputs do not fit the ${circuit.name} circuit: ${e instanceof Error ? e.message : e}`,
    );
  }
  const a = event.args as Record<string, unknown> & { epk: readonly bigint[]; ciphertext: readonly bigint[] };
  const want = [
    info.taskHash,
    a.groupRoot,
    a.nullifier,
    a.batchIndex,
    a.count,
    a.labelsCommitment,
    ...a.epk,
    ...a.ciphertext,
  ] as bigint[];
  const got = [
    v.taskHash,
    v.groupRoot,
    v.nullifier,
    v.batchIndex,
    v.count,
    v.labelsCommitment,
    ...v.epk,
    ...v.ciphertext,
  ];
  if (want.length !== got.length || want.some((x, k) => x !== got[k]))
    return bad(`${at}: the public inputs are not the on-chain event's values (or not this task's taskHash)`);
  if (b.aggregated || b.proof === null)
    return {
      ok: true,
      skipped: true,
      detail: `${at}: submitted through the aggregation adapter: no Groth16 proof on chain to re-run (the escrow accepted it against an aggregation receipt); public inputs match the event`,
    };
  const data = verifyProofCalldata(
    b.proof.map((x) => BigInt(x)),
    inputs,
  );
  const r = await client.call({ to: info.verifier, data }).catch(() => null);
  let valid = false;
  if (r?.data && r.data.length >= 66) {
    try {
      valid = decodeFunctionResult({
        abi: [{ type: "function", name: "f", inputs: [], outputs: [{ type: "bool" }], stateMutability: "view" }],
        functionName: "f",
        data: r.data,
      }) as boolean;
    } catch {}
  }
  return valid
    ? okCheck(`${at}: the proof verifies against the task's verifier ${info.verifier}; public inputs match the event`)
    : bad(`${at}: the proof does not verify against the task's verifier ${info.verifier}`);
}

function itemsCheck(
  b: ProvenanceBatch,
  rows: readonly (Record<string, unknown> & { index: number; name: string; contentHash: string })[],
  folder: VerifiedFolder,
  tree: ReturnType<typeof checkManifest> | null,
  treeProblem: string,
  rule: AnyRule,
  n: number,
): VerifyCheck {
  const at = `batch ${b.batchIndex}`;
  if (!tree) return bad(`${at}: ${treeProblem}`);
  const m = tree.manifest;
  const kind = m.kind ?? "content";
  let files = 0;
  for (const [k, it] of b.items.entries()) {
    const expected = b.batchIndex * n + k;
    const listed = m.items[it.index];
    const row = rows.find((r) => r.index === it.index);
    const name = `item ${it.index} ("${it.name}")`;
    if (it.index !== expected)
      return bad(`${at}: ${name} is listed at place ${k}, where item ${expected} belongs`, { item: it.index });
    if (!listed) return bad(`${at}: ${name} is not in the dataset of ${m.count} items`, { item: it.index });
    if (listed.contentHash !== it.contentHash || listed.name !== it.name)
      return bad(
        `${at}: ${name} has content hash ${it.contentHash}, but the dataset under the root holds "${listed.name}" (${listed.contentHash}) at index ${it.index}`,
        { item: it.index },
      );
    if (row && (row.contentHash !== it.contentHash || row.name !== it.name))
      return bad(`${at}: ${VERIFIED_FILES.labels} names ${it.index} "${row.name}" (${row.contentHash}), not ${name}`, {
        item: it.index,
      });
    if (
      kind === "content" &&
      rootFromItemProof(BigInt(it.contentHash), tree.tree.itemProof(it.index)) !== tree.tree.root
    )
      return bad(`${at}: ${name}'s leaf is not under the dataset root`, { item: it.index });
    const file = folder.get(`${VERIFIED_FILES.items}${it.name}`);
    if (file !== undefined) {
      const bytes = typeof file === "string" ? new TextEncoder().encode(file) : file;
      let h: bigint;
      try {
        h = kind === "content" ? contentHash(bytes) : itemFacts(kind, it.name, bytes).contentHash;
      } catch (e) {
        return bad(`${at}: ${name}: ${e instanceof Error ? e.message : String(e)}`, { item: it.index });
      }
      if (h !== BigInt(it.contentHash))
        return bad(
          `${at}: ${name}: the file items/${it.name} hashes to 0x${h.toString(16)}, not the listed ${it.contentHash}`,
          {
            item: it.index,
          },
        );
      files++;
    }
  }
  void rule;
  return okCheck(
    `${at}: ${b.items.length} items under the dataset root${files ? `, ${files} item files match their hashes` : " (no item files)"}`,
  );
}
