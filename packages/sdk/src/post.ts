/**
 * Posting a task, as one staged function the app and `zklabel task create` share:
 *   check   the manifest fits the rule's circuit, the worker group exists, the wallet can pay;
 *   key     the requester's encryption key, derived from a wallet signature (or reused);
 *   gold    goldRoot and its openings from the gold answers (handed to `keepGold` before posting);
 *   upload  the dataset to the vault (skipped when the caller uploads elsewhere);
 *   approve the ERC-20 allowance (token tasks only);
 *   create  createTask, bound to the verifier the deployment names.
 * Each stage is reported before it runs, so a UI can show where a failure happened; a failure
 * before "create" posts nothing and locks no funds.
 */
import type { DeploymentFile } from "@zklabel/core/deployment";
import { expectedRuleEntry } from "@zklabel/core/deployment";
import { ZkLabelError } from "@zklabel/core/errors";
import { requesterKeyFromSignature, requesterKeyMessage } from "@zklabel/core/identity";
import { ruleById, ruleCircuit } from "@zklabel/core/rules";
import { type Address, formatUnits, type Hash, zeroAddress } from "viem";
import type { ZkLabelClient } from "./client.ts";
import type { Manifest } from "./dataset.ts";
import { buildGold, type GoldOpenings } from "./gold.ts";
import { encodeTaskMetadata, metadataFromSpec } from "./metadata.ts";
import type { ResolvedSpec } from "./spec.ts";

/** The stages of postTask, in order. */
export const POST_STAGES = ["check", "key", "gold", "upload", "approve", "create"] as const;
/** One stage of postTask. */
export type PostStage = (typeof POST_STAGES)[number];

/** A requester key for one task: the public key the escrow stores and the nonce that derives it again. */
export interface PostKey {
  nonce: bigint;
  pkR: readonly [bigint, bigint];
  pkRDiv8: readonly [bigint, bigint];
}

/** What postTask needs. */
export interface PostTaskArgs {
  /** A client with the requester's wallet. */
  client: ZkLabelClient;
  deployment: DeploymentFile;
  spec: ResolvedSpec;
  manifest: Manifest;
  /** Amount to lock now (token units); everything (items × reward) when absent. */
  funding?: bigint;
  /** Signs a message with the requester's wallet (the key derivation's signature). */
  signMessage(message: string): Promise<`0x${string}`>;
  /** A key derived before for this account (a retry after a failed post): no second signature. */
  key?: PostKey;
  /** Told the key once it is derived, so a caller can pass it back as `key` if a later stage fails. */
  onKey?(key: PostKey): void;
  /** The gold answers (a gold file's JSON) when the spec has a gold section. */
  gold?: unknown;
  /**
   * Keeps the gold openings before the task is posted (a file, browser storage): they are the
   * only way to use goldRoot later, so postTask stops if this throws. Called again with the task
   * id once the task exists.
   */
  keepGold?(openings: GoldOpenings, taskId?: bigint): Promise<void>;
  /** Uploads the dataset to the vault (the stage is skipped when absent). */
  upload?(signal?: AbortSignal): Promise<void>;
  /** The vault URL the task's metadata names. */
  vaultUrl?: string;
  /** Reported before each stage runs. */
  onStage?(stage: PostStage): void;
  signal?: AbortSignal;
  /** Unix time durations count from (tests); the chain's clock is what counts on-chain. */
  now?: number;
}

/** A posted task. */
export interface PostedTask {
  taskId: bigint;
  hash: Hash;
  key: PostKey;
  goldRoot: bigint;
  gold?: GoldOpenings;
  /** The verifier the task is bound to (the deployment's). */
  verifier: Address;
}

/** Runs the post stages in order and returns the created task. */
export async function postTask(a: PostTaskArgs): Promise<PostedTask> {
  const s = a.spec;
  const rule = ruleById(s.ruleId);
  const account = a.client.wallet?.account.address;
  if (!account) throw new ZkLabelError("no_wallet", "posting a task needs a wallet: connect one, then post again");
  const stage = (x: PostStage) => {
    if (a.signal?.aborted) throw new ZkLabelError("cancelled", "posting was stopped before it created the task");
    a.onStage?.(x);
  };

  stage("check");
  const circuit = ruleCircuit(rule);
  const m = a.manifest;
  if ((m.kind ?? "content") !== rule.datasetKind) {
    throw new ZkLabelError(
      "invalid_dataset",
      `the dataset is a ${m.kind ?? "content"} dataset; a ${rule.noun} task needs a ${rule.datasetKind} dataset: build it for this rule`,
    );
  }
  if (m.batchSize !== circuit.params.N || m.depth !== circuit.params.DEPTH) {
    throw new ZkLabelError(
      "invalid_dataset",
      `the dataset was built for batches of ${m.batchSize} at depth ${m.depth}; the ${rule.noun} circuit takes ${circuit.params.N} and ${circuit.params.DEPTH}: rebuild it with --rule ${rule.name} (or --batch-size ${circuit.params.N} --depth ${circuit.params.DEPTH})`,
    );
  }
  const groups = await a.client.groupCount();
  if (s.workerGroupId >= groups) {
    throw new ZkLabelError(
      "invalid_input",
      `worker group ${s.workerGroupId} does not exist (this chain has groups 0 to ${groups - 1n}): use 0 for the open group`,
    );
  }
  const amount = a.funding ?? s.rewardPerItem * BigInt(m.count);
  const held = await a.client.balanceOf(account, s.token);
  if (held < amount) {
    const eth = s.token === zeroAddress;
    const f = (x: bigint) => formatUnits(x, s.spec.reward.decimals);
    throw new ZkLabelError(
      "invalid_input",
      `the wallet holds ${f(held)} but this task locks ${f(amount)}${eth ? " ETH plus gas" : ""}: fund the account, or lower the reward or the number of items`,
    );
  }
  const entry = expectedRuleEntry(a.deployment, s.ruleId);

  stage("key");
  let key = a.key;
  if (!key) {
    const nonce = BigInt(Date.now());
    const derived = requesterKeyFromSignature(
      await a.signMessage(requesterKeyMessage(BigInt(a.deployment.chainId), a.deployment.escrow, nonce)),
    );
    key = { nonce, pkR: derived.pkR, pkRDiv8: derived.pkRDiv8 };
    a.onKey?.(key);
  }

  let goldRoot = 0n;
  let gold: GoldOpenings | undefined;
  if (s.spec.gold) {
    stage("gold");
    if (a.gold === undefined)
      throw new ZkLabelError("invalid_input", "the spec has a gold section: give the gold items and their answers");
    const built = buildGold(m, rule, rule.fromSpec(s.spec.rule).classes, a.gold);
    goldRoot = built.goldRoot;
    gold = built.openings;
    await a.keepGold?.(gold);
  } else if (a.gold !== undefined) {
    throw new ZkLabelError(
      "invalid_input",
      'gold answers need a "gold" section (minAccuracy, challengeWindow) in the spec',
    );
  }

  if (a.upload) {
    stage("upload");
    await a.upload(a.signal);
  }

  if (s.token !== zeroAddress) {
    stage("approve");
    await a.client.approveEscrow(s.token, amount);
  }

  stage("create");
  // Inline metadata carries the key nonce, so the requester needs only the wallet to read labels.
  const meta = s.spec.metadataURI ? undefined : encodeTaskMetadata(metadataFromSpec(s.spec, a.vaultUrl, key.nonce));
  const { taskId, hash } = await a.client.createTask({
    spec: meta ? { ...s, spec: { ...s.spec, metadataURI: meta.uri } } : s,
    manifest: m,
    pkR: key.pkR,
    pkRDiv8: key.pkRDiv8,
    rule: entry,
    funding: amount,
    goldRoot,
    metadataHash: meta?.hash,
  });
  if (gold) await a.keepGold?.(gold, taskId).catch(() => {});
  return { taskId, hash, key, goldRoot, gold, verifier: entry.verifier as Address };
}
