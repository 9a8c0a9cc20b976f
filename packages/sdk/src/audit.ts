/**
 * Auditing a task without trusting anyone: every submitted batch's proof is taken from its
 * transaction's calldata and verified again, locally, against the verification key; the event
 * and the escrow's storage must agree with it.
 */

import { workerPublicValues } from "@zklabel/core/envelope";
import type { ProofWords } from "@zklabel/core/proof";
import { wordsToProof } from "@zklabel/core/proof";
import type { CircuitInfo } from "@zklabel/core/registry";
import * as snarkjs from "snarkjs";
import { decodeFunctionData, type PublicClient } from "viem";
import { escrowAbi } from "./abi-escrow.ts";
import type { DecodedLog } from "./events.ts";

/** What the audit found for one batch. */
export interface BatchAudit {
  batchIndex: number;
  transaction: `0x${string}`;
  /** The proof from the transaction verifies against the verification key. */
  proofValid: boolean;
  /** The event's values equal the proof's public inputs. */
  eventMatchesInputs: boolean;
  /** The escrow's stored state (verified or pending) agrees with the event. */
  storageAgrees: boolean;
  state: "pending" | "verified" | "open";
}

/** A task's audit report: one entry per submitted batch, and whether all of it holds. */
export interface TaskAudit {
  taskId: bigint;
  batches: BatchAudit[];
  ok: boolean;
}

/**
 * Re-verifies every submitted batch of `taskId`; `logs` come from an escrow EventReader.
 */
export async function auditTask(args: {
  client: Pick<PublicClient, "getTransaction" | "readContract">;
  escrow: `0x${string}`;
  taskId: bigint;
  logs: readonly DecodedLog[];
  /** The task's circuit (its public-input order) and verification key (snarkjs JSON). */
  circuit: CircuitInfo;
  vkey: unknown;
}): Promise<TaskAudit> {
  const batches: BatchAudit[] = [];
  for (const log of args.logs) {
    if (log.eventName !== "BatchSubmitted" || log.args.taskId !== args.taskId) continue;
    const a = log.args as {
      batchIndex: bigint;
      count: bigint;
      groupRoot: bigint;
      nullifier: bigint;
      labelsCommitment: bigint;
      epk: readonly bigint[];
      ciphertext: readonly bigint[];
    };
    const tx = await args.client.getTransaction({ hash: log.transactionHash as `0x${string}` });
    const call = decodeFunctionData({ abi: escrowAbi, data: tx.input });
    let proof: readonly bigint[];
    let inputs: readonly bigint[];
    if (call.functionName === "submitBatch") {
      proof = call.args[2];
      inputs = call.args[3];
    } else if (call.functionName === "submitBatches") {
      const i = call.args[1].indexOf(a.batchIndex);
      const n = call.args[3].length / call.args[1].length;
      proof = call.args[2][i];
      inputs = call.args[3].slice(i * n, (i + 1) * n);
    } else {
      throw new Error(`transaction ${log.transactionHash} is not a batch submission`);
    }
    const proofValid = await snarkjs.groth16.verify(
      args.vkey as never,
      inputs.map(String),
      wordsToProof(proof as unknown as ProofWords) as never,
    );
    const v = workerPublicValues(args.circuit, inputs);
    const expected = [a.groupRoot, a.nullifier, a.batchIndex, a.count, a.labelsCommitment, ...a.epk, ...a.ciphertext];
    const proven = [v.groupRoot, v.nullifier, v.batchIndex, v.count, v.labelsCommitment, ...v.epk, ...v.ciphertext];
    const eventMatchesInputs = expected.length === proven.length && expected.every((x, k) => x === proven[k]);
    const [stateCode] = (await args.client.readContract({
      address: args.escrow,
      abi: escrowAbi,
      functionName: "batchState",
      args: [args.taskId, a.batchIndex],
    })) as readonly [number, unknown];
    const state = (["open", "pending", "verified"] as const)[stateCode] ?? "open";
    batches.push({
      batchIndex: Number(a.batchIndex),
      transaction: log.transactionHash as `0x${string}`,
      proofValid,
      eventMatchesInputs,
      storageAgrees: state !== "open",
      state,
    });
  }
  batches.sort((x, y) => x.batchIndex - y.batchIndex);
  return {
    taskId: args.taskId,
    batches,
    ok: batches.every((b) => b.proofValid && b.eventMatchesInputs && b.storageAgrees),
  };
}
