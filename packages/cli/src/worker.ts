/**
 * The worker's side of the CLI that talks to a vault: `batch fetch` (download one batch with an
 * anonymous access proof) and `work` (the labeling agent: fetch, label with a person's script or
 * a model, prove, submit, for every open batch).
 */

import { mkdir, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ACCESS_CIRCUIT } from "@zklabel/core/access";
import type { Box } from "@zklabel/core/bbox";
import type { Identity } from "@zklabel/core/identity";
import { deployedCircuit } from "@zklabel/core/registry";
import { ruleNameOf } from "@zklabel/core/task";
import { ZkLabelError } from "@zklabel/sdk/client";
import { readWorkerGroup, workerGroupsReader } from "@zklabel/sdk/events";
import type { ProveProgress } from "@zklabel/sdk/progress";
import { type FetchedBatch, VaultClient, VaultError } from "@zklabel/sdk/vault";
import { escrowReader, readTaskInfo, type TaskInfo, taskMetadata } from "@zklabel/sdk/work";
import { type Address, isAddress, zeroAddress } from "viem";
import {
  type Ctx,
  connect,
  EXIT,
  InputError,
  loadIdentity,
  ROOT,
  UsageError,
  type Values,
  wholeNumber,
} from "./common.ts";

const artifactsOf = (name: string) => {
  const dir = join(ROOT, "build/circuits", name);
  return { wasm: join(dir, "main.wasm"), zkey: join(dir, "main.zkey") };
};

/** Progress on stderr: a redrawn line on a terminal, one line per stage otherwise. */
export function stageReporter(what: string): (p: ProveProgress) => void {
  return (p) => {
    const line = `${what}: ${p.stage} ${p.phase === "start" ? "…" : "done"} [${"#".repeat(p.index + (p.phase === "done" ? 1 : 0)).padEnd(p.total, ".")}] ${(p.elapsedMs / 1000).toFixed(1)} s`;
    if (process.stderr.isTTY)
      process.stderr.write(`\r${line.padEnd(78)}${p.phase === "done" && p.index === p.total - 1 ? "\n" : ""}`);
    else if (p.phase === "done") process.stderr.write(`${line}\n`);
  };
}

/** A task as a worker sees it: its parameters, metadata, the worker's group and the vault. */
async function workerContext(values: Values, taskId: bigint, identity: Identity, needWallet: boolean) {
  const c = await connect(values, needWallet);
  const info = await readTaskInfo(
    escrowReader({
      client: c.client.publicClient,
      address: c.client.escrow,
      fromBlock: BigInt(c.deployment.deployBlock),
    }),
    taskId,
  );
  const meta = taskMetadata(info);
  const vaultUrl = typeof values.vault === "string" ? values.vault : meta?.vault;
  if (!vaultUrl) {
    throw new InputError(`task ${taskId} names no vault in its metadata: pass --vault URL (ask the requester for it)`);
  }
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
    throw new InputError(
      `your identity is not in worker group ${stored.workerGroupId}: run \`zklabel group join\` first`,
    );
  }
  return { ...c, info, meta, stored, group, vault: new VaultClient(vaultUrl) };
}

async function fetchOne(
  w: Awaited<ReturnType<typeof workerContext>>,
  identity: Identity,
  batchIndex: number,
): Promise<FetchedBatch> {
  return w.vault.fetchBatch({
    task: w.info,
    batchIndex,
    identity,
    group: w.group,
    artifacts: artifactsOf(ACCESS_CIRCUIT),
    onProgress: stageReporter(`batch ${batchIndex} download`),
  });
}

/** zklabel batch fetch: one batch's items into a folder, with batch.json (what `batch prove --batch-dir` reads). */
export async function batchFetch(ctx: Ctx, values: Values): Promise<number> {
  for (const k of ["task", "batch", "out"]) {
    if (typeof values[k] !== "string") throw new UsageError(`batch fetch needs --${k}; see zklabel batch --help`);
  }
  const taskId = BigInt(wholeNumber(values.task, "--task"));
  const batchIndex = wholeNumber(values.batch, "--batch");
  const identity = await loadIdentity(values["identity-file"]);
  const w = await workerContext(values, taskId, identity, false);
  const fetched = await fetchOne(w, identity, batchIndex).finally(async () => {
    await (await import("@zklabel/core/prove")).releaseSnarkjs();
  });
  const out = resolve(values.out as string);
  await mkdir(join(out, "items"), { recursive: true });
  const files: string[] = [];
  for (const it of fetched.items) {
    const file = `${String(it.index).padStart(7, "0")}-${basename(it.name) || "item"}`;
    await writeFile(join(out, "items", file), it.bytes);
    files.push(file);
  }
  const s = fetched.slice;
  await writeFile(
    join(out, "batch.json"),
    `${JSON.stringify(
      {
        taskId: taskId.toString(),
        batchIndex,
        datasetRoot: `0x${s.root.toString(16)}`,
        depth: s.depth,
        chunk: s.chunk,
        itemCount: s.size,
        leaves: s.leaves.map((x) => `0x${x.toString(16)}`),
        path: s.path.map((x) => `0x${x.toString(16)}`),
        items: fetched.items.map((it, i) => ({
          index: it.index,
          name: it.name,
          type: it.type,
          file: `items/${files[i]}`,
        })),
        classes: w.meta?.rule.classes,
      },
      null,
      2,
    )}\n`,
  );
  ctx.out(
    `fetched ${fetched.items.length} items of batch ${batchIndex} (checked against the on-chain root) into ${out}`,
    {
      ok: true,
      out,
      items: fetched.items.length,
    },
  );
  return EXIT.ok;
}

/** What a labeler module exports: `label(item, task)` per item, or `labelBatch(items, task)`. */
interface Labeler {
  label?: (item: AgentItem, task: AgentTask) => unknown;
  labelBatch?: (items: AgentItem[], task: AgentTask) => unknown;
}
interface AgentItem {
  index: number;
  name: string;
  type: string;
  bytes: Uint8Array;
  /** The item as text, for text types. */
  text?: string;
  /** Sensor tasks: the window's 16 readings. */
  readings?: number[];
  /** Bounding-box tasks: the image's size in pixels. */
  width?: number;
  height?: number;
}
interface AgentTask {
  taskId: string;
  batchIndex: number;
  title?: string;
  instructions?: string;
  /** The rule: a class per item (classification), a box per image (bbox), normal/anomaly per window (sensor). */
  rule: "classification" | "bbox" | "sensor";
  classes: string[];
  /** The rule's numbers: allowedMask (classification, bbox), minWidth/minHeight (bbox), lo/hi (sensor). */
  params: Record<string, number | string>;
}

/** A labeler's box answer: {class (name or number) or cls, x, y, w, h} in image pixels. */
function boxAnswer(answer: unknown, classes: readonly string[], where: string): Box {
  const a = answer as { class?: unknown; cls?: unknown; x?: unknown; y?: unknown; w?: unknown; h?: unknown } | null;
  const whole = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;
  if (!a || typeof a !== "object" || ![a.x, a.y, a.w, a.h].every(whole)) {
    throw new RangeError(
      `${where}: the labeler answered ${JSON.stringify(answer)}; answer a box {class, x, y, w, h} in whole pixels`,
    );
  }
  return {
    cls: classNumber(a.class ?? a.cls, classes, where),
    x: a.x as number,
    y: a.y as number,
    w: a.w as number,
    h: a.h as number,
  };
}

async function loadLabeler(path: string): Promise<Labeler> {
  let mod: Labeler & { default?: unknown };
  try {
    mod = await import(pathToFileURL(resolve(path)).href);
  } catch (e) {
    throw new InputError(`cannot load the labeler ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const fromDefault = (typeof mod.default === "function" ? { label: mod.default } : (mod.default ?? {})) as Labeler;
  const labeler = { label: mod.label ?? fromDefault.label, labelBatch: mod.labelBatch ?? fromDefault.labelBatch };
  if (typeof labeler.label !== "function" && typeof labeler.labelBatch !== "function") {
    throw new InputError(
      `${path} exports no labeler: export \`label(item, task)\` (or a default function) returning a class name or number, or \`labelBatch(items, task)\` returning a list`,
    );
  }
  return labeler;
}

/** A labeler's answer as a class number: a known class name or a whole number. */
function classNumber(answer: unknown, classes: readonly string[], where: string): number {
  if (typeof answer === "number" && Number.isInteger(answer) && answer >= 0) return answer;
  if (typeof answer === "string") {
    const i = classes.indexOf(answer);
    if (i >= 0) return i;
    throw new RangeError(
      `${where}: the labeler answered "${answer}", which is not one of the classes (${classes.join(", ")})`,
    );
  }
  throw new RangeError(`${where}: the labeler answered ${JSON.stringify(answer)}; answer a class name or number`);
}

/**
 * zklabel work: the labeling agent. Loops over the task's open batches (in random order, so two
 * workers rarely collide), downloads each anonymously, asks the labeler, proves and submits.
 * Labels that break the task's rule stop it before any proof, with nothing submitted.
 */
export async function work(ctx: Ctx, values: Values): Promise<number> {
  if (typeof values.task !== "string" || typeof values.labeler !== "string") {
    throw new UsageError(
      "usage: zklabel work --task ID --labeler ./agent.mjs [--max-batches K] [--vault URL] [--to ADDRESS]",
    );
  }
  const taskId = BigInt(wholeNumber(values.task, "--task"));
  const maxBatches =
    typeof values["max-batches"] === "string" ? wholeNumber(values["max-batches"], "--max-batches") : Infinity;
  const labeler = await loadLabeler(values.labeler);
  const identity = await loadIdentity(values["identity-file"]);
  const w = await workerContext(values, taskId, identity, true);
  const to = (typeof values.to === "string" ? values.to : w.account) as Address;
  if (!isAddress(to) || to === zeroAddress) throw new InputError("--to must be a non-zero 0x address");
  const rule = ruleNameOf(w.info.ruleId) ?? "classification";
  const p4 = w.info.ruleParams;
  const classes = rule === "sensor" ? ["normal", "anomaly"] : (w.meta?.rule.classes ?? []);
  const params: AgentTask["params"] =
    rule === "sensor"
      ? { lo: Number(p4[0]), hi: Number(p4[1]) }
      : rule === "bbox"
        ? { allowedMask: p4[1].toString(), minWidth: Number(p4[2]), minHeight: Number(p4[3]) }
        : { allowedMask: p4[1].toString() };
  const { proveBoxBatch, proveClassificationBatch, proveSensorBatch } = await import("@zklabel/sdk/work");
  const { randomField } = await import("@zklabel/core/field");
  const { releaseSnarkjs } = await import("@zklabel/core/prove");
  const { escrowAbi } = await import("@zklabel/sdk/abi-escrow");
  const batches = Math.ceil(w.info.itemCount / w.info.batchSize);
  const stateOf = async (b: number) => {
    const [state] = await w.client.publicClient.readContract({
      address: w.client.escrow,
      abi: escrowAbi,
      functionName: "batchState",
      args: [taskId, BigInt(b)],
    });
    return state;
  };
  const order = Array.from({ length: batches }, (_, b) => b).sort(() => Math.random() - 0.5);
  const done: { batchIndex: number; items: number; hash: string }[] = [];
  const skipped: { batchIndex: number; reason: string }[] = [];
  const log = (m: string) => process.stderr.write(`${m}\n`);
  log(
    `task ${taskId}: ${w.meta?.title ?? "(no title)"}; ${batches} batches of ${w.info.batchSize}, classes ${classes.join(", ") || "(numbers)"}`,
  );
  try {
    for (const b of order) {
      if (done.length >= maxBatches) break;
      // A cancelled (closing) task, or one about to close, gets no new batch: labels submitted too late
      // would be shown to everyone unpaid.
      const closing = await w.client.cannotStartBatch(taskId);
      if (closing) {
        log(`stopping: ${closing}`);
        skipped.push({ batchIndex: b, reason: closing });
        break;
      }
      if ((await stateOf(b)) !== 0) continue;
      let fetched: FetchedBatch;
      try {
        fetched = await fetchOne(w, identity, b);
      } catch (e) {
        if (e instanceof VaultError && e.code === "batch_taken") {
          skipped.push({ batchIndex: b, reason: "taken by another worker" });
          continue;
        }
        throw e;
      }
      const task: AgentTask = {
        taskId: taskId.toString(),
        batchIndex: b,
        title: w.meta?.title,
        instructions: w.meta?.instructions,
        rule,
        classes,
        params,
      };
      const items: AgentItem[] = fetched.items.map((it) => ({
        index: it.index,
        name: it.name,
        type: it.type,
        bytes: it.bytes,
        readings: it.readings,
        width: it.width,
        height: it.height,
        text:
          it.type.startsWith("text/") || it.type === "application/json"
            ? new TextDecoder().decode(it.bytes)
            : undefined,
      }));
      const answers = labeler.labelBatch
        ? await labeler.labelBatch(items, task)
        : await Promise.all(items.map((it) => (labeler.label as NonNullable<Labeler["label"]>)(it, task)));
      if (!Array.isArray(answers) || answers.length !== items.length) {
        throw new InputError(
          `the labeler returned ${Array.isArray(answers) ? answers.length : "no"} labels for the ${items.length} items of batch ${b}`,
        );
      }
      const where = (i: number) => `item ${items[i].index} ("${items[i].name}")`;
      const boxes = rule === "bbox" ? answers.map((a, i) => boxAnswer(a, classes, where(i))) : undefined;
      const labels = boxes ? boxes.map((x) => x.cls) : answers.map((a, i) => classNumber(a, classes, where(i)));
      log(`batch ${b}: labeled ${labels.length} items`);
      const common = {
        task: w.info,
        chainId: BigInt(w.deployment.chainId),
        escrow: w.client.escrow,
        batchIndex: b,
        identity,
        group: w.group,
        recipient: to,
        salt: randomField(),
        artifacts: artifactsOf(deployedCircuit(rule).name),
        onProgress: stageReporter(`batch ${b} proof`),
      };
      const proof = boxes
        ? await proveBoxBatch({
            ...common,
            slice: fetched.slice,
            items: fetched.items.map((x) => ({
              contentHash: x.contentHash,
              width: x.width ?? 0,
              height: x.height ?? 0,
            })),
            boxes,
          })
        : rule === "sensor"
          ? await proveSensorBatch({
              ...common,
              slice: fetched.slice,
              windows: fetched.items.map((x) => x.readings ?? []),
              labels,
            })
          : await proveClassificationBatch({ ...common, dataset: fetched.slice, labels });
      try {
        const hash = await w.client.submitBatch(taskId, b, proof);
        done.push({ batchIndex: b, items: labels.length, hash });
        log(`batch ${b}: submitted (tx ${hash})`);
      } catch (e) {
        if (e instanceof ZkLabelError && (e.errorName === "BatchAlreadyAccepted" || e.errorName === "BatchIsPending")) {
          skipped.push({ batchIndex: b, reason: "submitted by another worker first" });
          log(`batch ${b}: another worker submitted it first; moving on`);
          continue;
        }
        throw e;
      }
    }
  } catch (e) {
    if (e instanceof RangeError) {
      const problems = e.message.split("; ");
      const shown =
        problems.length > 5 ? `${problems.slice(0, 5).join("; ")}; and ${problems.length - 5} more` : e.message;
      throw new InputError(
        `your labeler broke the task's rules, so no proof can exist and nothing was submitted for this batch (${done.length} earlier batch${done.length === 1 ? "" : "es"} were): ${shown}`,
      );
    }
    throw e;
  } finally {
    await releaseSnarkjs();
  }
  const items = done.reduce((n, d) => n + d.items, 0);
  ctx.out(
    `submitted ${done.length} batch${done.length === 1 ? "" : "es"} (${items} items) of task ${taskId}${skipped.length ? `; skipped ${skipped.map((s) => `${s.batchIndex} (${s.reason})`).join(", ")}` : ""}`,
    { ok: true, submitted: done, skipped, items },
  );
  return EXIT.ok;
}

export type { TaskInfo };
