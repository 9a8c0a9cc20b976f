/**
 * Pure helpers of the auditor pages: batch counts, the progress series, the calldata of a batch
 * submission, the checks that tie a proof's public inputs to its event, the rule's parameters by
 * name. No React, no network.
 */

import { className } from "@zklabel/core/display";
import { type WorkerPublicValues, workerPublicValues } from "@zklabel/core/envelope";
import type { ProofWords } from "@zklabel/core/proof";
import type { CircuitInfo } from "@zklabel/core/registry";
import type { AnyRule } from "@zklabel/core/rules";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import type { DecodedLog } from "@zklabel/sdk/events";
import { decodeFunctionData, type Hex } from "viem";
import type { Rejection, TaskSummary, TaskView } from "./task-views";

/** A field element or hash as 0x-prefixed hex. */
export const hex = (x: bigint): string => `0x${x.toString(16)}`;

/** A long hex value shortened to its first and last characters: 0x1f3a…9b2c. */
export function shortHex(value: string, keep = 6): string {
  return value.length <= keep * 2 + 3 ? value : `${value.slice(0, keep + 2)}…${value.slice(-keep)}`;
}

/** The verifiers a task was created with (its copy of the rule registry entry), from its TaskCreated event. */
export function createdVerifiers(t: Pick<TaskView, "created">) {
  const rule = t.created.args.rule as {
    verifier: `0x${string}`;
    batchVerifier: `0x${string}`;
    publicInputCount: number;
  };
  return { verifier: rule.verifier, batchVerifier: rule.batchVerifier, publicInputCount: rule.publicInputCount };
}

/** Batches per state, and rejections so far (each reopened its batch, so a rejected batch also counts as open or in its new state). */
export function batchCounts(t: TaskView | TaskSummary): {
  verified: number;
  pending: number;
  open: number;
  rejected: number;
} {
  const verified = t.verifiedBatches;
  const pending = t.pendingBatches;
  const [batches, rejected] = "batchCount" in t ? [t.batchCount, t.rejected] : [t.batches.length, t.rejections.length];
  return { verified, pending, open: batches - verified - pending, rejected };
}

/** One step of the progress chart: at `time` (unix seconds), `items` items were verified. */
export interface ProgressPoint {
  time: number;
  items: number;
  /** The batch whose verification this step is. */
  batch?: number;
}

/**
 * Verified items over time, a step series starting at 0 when the task was created: one point per
 * BatchVerified event whose block time is known (`blockTime` maps block number to unix seconds).
 */
export function progressSeries(t: TaskView, blockTime: ReadonlyMap<bigint, number>): ProgressPoint[] | null {
  const start = blockTime.get(t.created.blockNumber);
  if (start === undefined) return null;
  const points: ProgressPoint[] = [{ time: start, items: 0 }];
  let items = 0;
  for (const e of t.events) {
    if (e.eventName !== "BatchVerified") continue;
    const time = blockTime.get(e.blockNumber);
    if (time === undefined) return null;
    const batch = Number(e.args.batchIndex as bigint);
    items += t.batches[batch]?.count ?? 0;
    points.push({ time, items, batch });
  }
  return points;
}

/** A batch's proof and public inputs as the transaction that submitted it carried them. */
export interface SubmittedProof {
  /** submitBatch (one proof) or submitBatches (several, verified together). */
  functionName: "submitBatch" | "submitBatches";
  /** How many batches the transaction submitted. */
  batchesInCall: number;
  proof: ProofWords;
  inputs: readonly bigint[];
}

/** Takes batch `batchIndex`'s proof and public inputs out of a submitBatch or submitBatches calldata. */
export function proofFromCalldata(input: Hex, batchIndex: bigint): SubmittedProof {
  let call: ReturnType<typeof decodeFunctionData<typeof escrowAbi>>;
  try {
    call = decodeFunctionData({ abi: escrowAbi, data: input });
  } catch {
    throw new Error("the transaction's calldata is not a call to the escrow, so it holds no proof to check");
  }
  if (call.functionName === "submitBatch") {
    return { functionName: "submitBatch", batchesInCall: 1, proof: call.args[2] as ProofWords, inputs: call.args[3] };
  }
  if (call.functionName === "submitBatches") {
    const [, indexes, proofs, inputs] = call.args;
    const i = indexes.indexOf(batchIndex);
    if (i < 0) throw new Error(`the transaction submitted batches ${indexes.join(", ")}, not batch ${batchIndex}`);
    const n = inputs.length / indexes.length;
    return {
      functionName: "submitBatches",
      batchesInCall: indexes.length,
      proof: proofs[i] as ProofWords,
      inputs: inputs.slice(i * n, (i + 1) * n),
    };
  }
  throw new Error(`the transaction calls ${call.functionName}, not a batch submission`);
}

/** One public input of a proof, with the value the chain's records say it must have. */
export interface NamedInput {
  /** "taskHash", "epk[0]", "ciphertext[3]"... */
  name: string;
  value: bigint;
  /** Where the expected value comes from, when something on-chain fixes it. */
  source?: string;
  expected?: bigint;
  matches?: boolean;
}

const ADDRESS_MASK = (1n << 160n) - 1n;

/**
 * Names a batch proof's public inputs (arrays flattened as epk[0], ciphertext[3]...) and sets
 * each against its BatchSubmitted event and the task (taskHash from TaskCreated); the recipient
 * word is compared on its low 160 bits, the address (the high bits carry the relayer fee).
 */
export function namedInputs(
  circuit: CircuitInfo,
  inputs: readonly bigint[],
  submitted: DecodedLog,
  taskHash: bigint,
): NamedInput[] {
  const v: WorkerPublicValues = workerPublicValues(circuit, inputs);
  const a = submitted.args as {
    batchIndex: bigint;
    recipient: string;
    count: bigint;
    groupRoot: bigint;
    nullifier: bigint;
    labelsCommitment: bigint;
    epk: readonly bigint[];
    ciphertext: readonly bigint[];
  };
  const ev = "BatchSubmitted event";
  const expected: Record<string, { value: bigint; source: string } | undefined> = {
    taskHash: { value: taskHash, source: "TaskCreated event" },
    groupRoot: { value: a.groupRoot, source: ev },
    nullifier: { value: a.nullifier, source: ev },
    batchIndex: { value: a.batchIndex, source: ev },
    count: { value: a.count, source: ev },
    recipient: { value: BigInt(a.recipient), source: `${ev} (address bits)` },
    labelsCommitment: { value: a.labelsCommitment, source: ev },
  };
  const out: NamedInput[] = [];
  const push = (name: string, value: bigint, exp?: { value: bigint; source: string }, mask?: bigint) =>
    out.push({
      name,
      value,
      source: exp?.source,
      expected: exp?.value,
      matches: exp ? (mask === undefined ? value : value & mask) === exp.value : undefined,
    });
  for (const name of circuit.publicInputs) {
    const value = (v as unknown as Record<string, bigint | readonly bigint[]>)[name];
    if (typeof value === "bigint") {
      push(name, value, expected[name], name === "recipient" ? ADDRESS_MASK : undefined);
    } else {
      const eventArray = name === "epk" ? a.epk : name === "ciphertext" ? a.ciphertext : undefined;
      value.forEach((x, k) => {
        const e = eventArray?.[k];
        push(`${name}[${k}]`, x, e === undefined ? undefined : { value: e, source: ev });
      });
      if (eventArray && eventArray.length !== value.length) {
        out.push({
          name: `${name} (length)`,
          value: BigInt(value.length),
          expected: BigInt(eventArray.length),
          source: ev,
          matches: false,
        });
      }
    }
  }
  return out;
}

/** A stable React key for an event: its transaction and log index. */
export const eventKey = (e: DecodedLog): string => `${e.transactionHash}:${e.logIndex}`;

/** The batch an event is about, if any. */
export const eventBatch = (e: DecodedLog): number | undefined =>
  e.args.batchIndex === undefined ? undefined : Number(e.args.batchIndex as bigint);

/**
 * A task's rule parameters by name, as its rule module decodes the four on-chain slots
 * (masks in binary), and the classes its workers may use, by name.
 */
export function ruleParamFacts(
  rule: AnyRule,
  slots: readonly bigint[],
  named: readonly string[] | undefined,
): { params: { name: string; value: string }[]; allowed: string[] } {
  const p = rule.decodeParams(slots) as Record<string, number | bigint>;
  const classes = rule.classNames(p, named);
  return {
    params: Object.entries(p).map(([name, v]) => ({
      name,
      value: typeof v === "bigint" && /mask/i.test(name) ? `0b${v.toString(2)}` : v.toString(),
    })),
    allowed: rule.allowedClasses(p).map((c) => classes[c] ?? className(c)),
  };
}

/** A file name for a task's manifest download. */
export const manifestFileName = (taskId: bigint): string => `zklabel-task-${taskId}-manifest.json`;

/** A rejection's proof and arguments as its rejectBatch transaction carried them (the event holds no proof). */
export interface RejectionCall {
  batchIndex: bigint;
  nullifier: bigint;
  labelsCommitment: bigint;
  bound: number;
  proof: ProofWords;
}

/** Takes a rejection's arguments and proof out of a rejectBatch calldata. */
export function rejectionFromCalldata(input: Hex): RejectionCall {
  let call: ReturnType<typeof decodeFunctionData<typeof escrowAbi>>;
  try {
    call = decodeFunctionData({ abi: escrowAbi, data: input });
  } catch {
    throw new Error("the transaction's calldata is not a call to the escrow, so it holds no rejection proof");
  }
  if (call.functionName !== "rejectBatch")
    throw new Error(`the transaction calls ${call.functionName}, not rejectBatch`);
  const [, batchIndex, nullifier, labelsCommitment, bound, proof] = call.args;
  return { batchIndex, nullifier, labelsCommitment, bound: Number(bound), proof: proof as ProofWords };
}

/**
 * A rejection proof's public inputs, in the rejection circuit's order, from the chain's records
 * (as the escrow builds them): goldRoot and goldThreshold from the task, batchIndex and count of
 * the batch, labelsCommitment and bound from the call, each also checked against the event.
 */
export function rejectionInputs(
  circuit: CircuitInfo,
  t: TaskView,
  r: Rejection,
  call: RejectionCall,
): { inputs: bigint[]; named: NamedInput[] } {
  const ev = "BatchRejected event";
  const a = r.event.args as { nullifier: bigint; labelsCommitment: bigint; bound: number | bigint };
  const count = BigInt((r.submitted?.args.count as bigint | undefined) ?? BigInt(t.batches[r.batchIndex]?.count ?? 0));
  const values: Record<string, { value: bigint; source: string; expected?: bigint }> = {
    goldRoot: { value: t.info.goldRoot, source: "TaskCreated event" },
    batchIndex: { value: call.batchIndex, source: ev, expected: BigInt(r.batchIndex) },
    count: { value: count, source: "BatchSubmitted event" },
    labelsCommitment: { value: call.labelsCommitment, source: ev, expected: a.labelsCommitment },
    bound: { value: BigInt(call.bound), source: ev, expected: BigInt(a.bound) },
    goldThreshold: { value: BigInt(t.goldThreshold), source: "TaskCreated event" },
  };
  const named: NamedInput[] = circuit.publicInputs.map((name) => {
    const v = values[name];
    if (!v) throw new Error(`the rejection circuit ${circuit.name} takes an input "${name}" this app does not know`);
    const expected = v.expected ?? v.value;
    return { name, value: v.value, source: v.source, expected, matches: v.value === expected };
  });
  if (call.nullifier !== a.nullifier)
    named.push({ name: "nullifier (call)", value: call.nullifier, source: ev, expected: a.nullifier, matches: false });
  return { inputs: named.filter((x) => !x.name.includes(" ")).map((x) => x.value), named };
}

const vkeys = new Map<string, Promise<unknown>>();

/** A circuit's verification key as this app serves it (fetched once per page load). */
export function fetchVkey(name: string): Promise<unknown> {
  let p = vkeys.get(name);
  if (!p) {
    const url = `/circuits/${name}.vkey.json`;
    p = fetch(url).then(async (res) => {
      if (!res.ok) throw new Error(`the verification key ${url} could not be fetched (HTTP ${res.status})`);
      return res.json();
    });
    p.catch(() => vkeys.delete(name));
    vkeys.set(name, p);
  }
  return p;
}

/** Verifies a Groth16 proof (the escrow's eight words) against the circuit's key in this browser, with snarkjs. */
export async function verifyInBrowser(
  circuitName: string,
  inputs: readonly bigint[],
  proof: ProofWords,
): Promise<{ valid: boolean; ms: number }> {
  const [vkey, snarkjs, { wordsToProof }] = await Promise.all([
    fetchVkey(circuitName),
    import("snarkjs"),
    import("@zklabel/core/proof"),
  ]);
  const started = performance.now();
  const valid = await snarkjs.groth16.verify(vkey as never, inputs.map(String), wordsToProof(proof) as never);
  return { valid, ms: performance.now() - started };
}
