/**
 * A task as a worker reaches it: its parameters and metadata from the chain, its rule module,
 * the worker group (with the worker in it), the vault its items are in, and the circuits a
 * worker runs (the vault's access proof, the rule's batch proof).
 */
import { join } from "node:path";
import { ACCESS_CIRCUIT } from "@zklabel/core/access";
import { oldCircuitProblem } from "@zklabel/core/deployment";
import { ZkLabelError } from "@zklabel/core/errors";
import type { Identity } from "@zklabel/core/identity";
import type { ProvingArtifacts } from "@zklabel/core/prove";
import { type AnyRule, ruleCircuit } from "@zklabel/core/rules";
import { readWorkerGroup, workerGroupsReader } from "@zklabel/sdk/events";
import { escrowReader, readTaskInfo, taskMetadata, taskParams, taskRule } from "@zklabel/sdk/task-info";
import { type FetchedBatch, VaultClient } from "@zklabel/sdk/vault";
import { type ChainOptions, type Connection, connect, inputError, ROOT, requesterKey, usageError } from "./common.ts";
import { stageReporter } from "./progress.ts";

/** A built circuit's wasm and zkey in build/circuits. */
export function artifactsOf(circuit: string): ProvingArtifacts {
  const dir = join(ROOT, "build/circuits", circuit);
  return { wasm: join(dir, "main.wasm"), zkey: join(dir, "main.zkey") };
}

/** The artifacts of a rule's deployed batch circuit. */
export const ruleArtifacts = (rule: AnyRule): ProvingArtifacts => artifactsOf(ruleCircuit(rule).name);

/** The escrow's events from the deployment block on. */
export const eventsOf = (c: Connection) =>
  escrowReader({
    client: c.client.publicClient,
    address: c.client.escrow,
    fromBlock: BigInt(c.deployment.deployBlock),
  });

/**
 * The task's parameters (TaskCreated), metadata, rule and class names. `forWork` refuses a task whose
 * parameters are outside its rule (code invalid_params): no worker should label what cannot be proven.
 * Reading a task's labels never refuses, so no label that did reach the chain is lost.
 */
export async function taskView(c: Connection, taskId: bigint, forWork = false) {
  const info = await readTaskInfo(eventsOf(c), taskId);
  const meta = taskMetadata(info);
  const rule = taskRule(info);
  const params = forWork ? taskParams(info) : rule.decodeParams(info.ruleParams);
  const old = forWork ? oldCircuitProblem(c.deployment, info.ruleId, info.verifier, taskId) : undefined;
  if (old) throw new ZkLabelError("old_circuit", old);
  return { info, meta, rule, params, classes: rule.classNames(params, meta?.rule.classes) };
}

/**
 * The requester's decryption key skR for a task: derived from the wallet's signature with the key
 * nonce (`keyNonce`, else the one the task's metadata names) and checked against the task's pkR.
 */
export async function taskRequesterKey(
  c: Connection,
  taskId: bigint,
  pkR: readonly [bigint, bigint],
  meta: { keyNonce?: string } | null,
  keyNonce?: bigint,
): Promise<bigint> {
  const nonce = keyNonce ?? (meta?.keyNonce === undefined ? undefined : BigInt(meta.keyNonce));
  if (nonce === undefined)
    throw usageError(
      `task ${taskId}'s metadata names no key nonce: pass the one \`task create\` printed with --key-nonce`,
    );
  const key = await requesterKey(c, nonce);
  if (pkR[0] !== key.pkR[0] || pkR[1] !== key.pkR[1])
    throw inputError(
      `this account and key nonce do not give task ${taskId}'s encryption key: check --account and --key-nonce`,
    );
  return key.skR;
}

/** The task's worker group, refusing an identity that is not in it. */
export async function memberGroup(c: Connection, taskId: bigint, identity: Identity) {
  const stored = await c.client.getTask(taskId);
  const group = await readWorkerGroup(
    workerGroupsReader({
      client: c.client.publicClient,
      address: c.client.groups,
      fromBlock: BigInt(c.deployment.deployBlock),
    }),
    stored.workerGroupId,
    identity.commitment,
  );
  if (group.indexOf(identity.commitment) < 0) {
    throw inputError(`your identity is not in worker group ${stored.workerGroupId}: run \`zklabel group join\` first`);
  }
  return group;
}

/** Everything a worker needs to download, label and prove a task's batches. */
export async function workerTask(
  o: ChainOptions & { vault?: string },
  taskId: bigint,
  identity: Identity,
  needWallet: boolean,
) {
  const c = await connect(o, needWallet);
  const task = await taskView(c, taskId, true);
  const vaultUrl = o.vault ?? task.meta?.vault;
  if (!vaultUrl) {
    throw inputError(`task ${taskId} names no vault in its metadata: pass --vault URL (ask the requester for it)`);
  }
  const group = await memberGroup(c, taskId, identity);
  return { ...c, ...task, group, identity, vault: new VaultClient(vaultUrl) };
}

export type WorkerTask = Awaited<ReturnType<typeof workerTask>>;

/** Downloads one batch anonymously (an access proof), checked against the task's on-chain root. */
export function fetchBatch(w: WorkerTask, batchIndex: number): Promise<FetchedBatch> {
  return w.vault.fetchBatch({
    task: w.info,
    batchIndex,
    identity: w.identity,
    group: w.group,
    artifacts: artifactsOf(ACCESS_CIRCUIT),
    onProgress: stageReporter(`batch ${batchIndex} download`),
  });
}
