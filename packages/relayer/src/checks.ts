/**
 * The relayer's checks before it spends gas (docs/protocol.md §7.2): every check the escrow makes
 * before the proof, read from the chain now, and a simulation of the submission. Each failure is a
 * code and a sentence for the worker. Run when a proof arrives and again right before it is sent.
 */
import { MAX_RELAYER_FEE_BPS } from "@zklabel/core/batch";
import { workerPublicValues } from "@zklabel/core/envelope";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import { SUBMIT_MARGIN_SECONDS } from "@zklabel/core/lifecycle";
import type { ProofWords } from "@zklabel/core/proof";
import type { CircuitInfo } from "@zklabel/core/registry";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { groupsAbi } from "@zklabel/sdk/abi-groups";
import { describeError } from "@zklabel/sdk/errors";
import type { Account, Address, PublicClient } from "viem";
import type { StoredTicket } from "./store.ts";

/** A circuit the relayer can verify proofs of, by the verifier contract tasks name. */
export interface KnownVerifier {
  verifier: Address;
  circuit: CircuitInfo;
  vkey: unknown;
}

export function createChecks(opts: {
  publicClient: PublicClient;
  account: Account;
  escrow: Address;
  groups: Address;
  verifiers: KnownVerifier[];
  minFeeBps: number;
}) {
  const { publicClient: pc, account, escrow } = opts;

  function readTask(taskId: bigint) {
    return pc.readContract({ address: escrow, abi: escrowAbi, functionName: "getTask", args: [taskId] });
  }
  type TaskStruct = Awaited<ReturnType<typeof readTask>>;

  /** Whether the escrow's owner has paused submissions (docs/operations.md, "Emergency pause"). */
  function escrowPaused(): Promise<boolean> {
    return pc.readContract({ address: escrow, abi: escrowAbi, functionName: "paused" });
  }

  /** The chain's clock (what the escrow checks deadlines against), seconds. */
  async function now(): Promise<number> {
    return Number((await pc.getBlock()).timestamp);
  }

  function knownVerifier(task: TaskStruct): KnownVerifier | undefined {
    return opts.verifiers.find((v) => v.verifier.toLowerCase() === task.rule.verifier.toLowerCase());
  }

  /**
   * Every check the escrow makes before the proof, from the chain now: why this proof would fail,
   * with a code, or undefined. Run when a proof arrives and again right before it is sent.
   */
  async function problem(
    taskId: bigint,
    batchIndex: number,
    inputs: readonly bigint[],
  ): Promise<{ status: number; code: string; message: string } | undefined> {
    if (await escrowPaused()) {
      return {
        status: 503,
        code: "escrow_paused",
        message:
          "the escrow's owner has paused submissions (an emergency pause): keep your proof and send it again once the pause is lifted",
      };
    }
    let task: TaskStruct;
    try {
      task = await readTask(taskId);
    } catch (e) {
      const d = describeError(e);
      if (d.errorName === "TaskNotFound")
        return { status: 404, code: "no_task", message: `the escrow has no task ${taskId}` };
      throw e;
    }
    const known = knownVerifier(task);
    if (!known) {
      return {
        status: 422,
        code: "unknown_verifier",
        message: `task ${taskId}'s rule verifier ${task.rule.verifier} is not one this relayer checks proofs for: submit directly`,
      };
    }
    const circuit = known.circuit;
    if (inputs.length !== Number(task.rule.publicInputCount)) {
      return {
        status: 400,
        code: "wrong_inputs",
        message: `task ${taskId}'s proofs have ${task.rule.publicInputCount} public inputs, this one has ${inputs.length}`,
      };
    }
    if (inputs.some((x) => x >= SNARK_SCALAR_FIELD))
      return { status: 400, code: "wrong_inputs", message: "a public input is not a field element" };
    const t = await now();
    const closesAt = Number(task.closesAt);
    if (t > closesAt - SUBMIT_MARGIN_SECONDS) {
      return {
        status: 410,
        code: "task_closed",
        message:
          t > closesAt
            ? `task ${taskId} closed at ${new Date(closesAt * 1000).toISOString()}: it takes no batches`
            : `task ${taskId} closes in ${closesAt - t} s: too soon to be sure a submission is mined before it closes (your labels would be public without pay); the proof was not sent`,
      };
    }
    const pub = workerPublicValues(circuit, inputs);
    const batches = Math.ceil(Number(task.itemCount) / Number(task.rule.batchSize));
    if (batchIndex >= batches)
      return { status: 404, code: "no_batch", message: `task ${taskId} has batches 0..${batches - 1}` };
    if (pub.batchIndex !== BigInt(batchIndex)) {
      return {
        status: 400,
        code: "wrong_batch",
        message: `the proof is for batch ${pub.batchIndex}, not batch ${batchIndex}`,
      };
    }
    if (pub.taskHash !== task.taskHash)
      return { status: 400, code: "wrong_task", message: `the proof is not for task ${taskId}` };
    const n = Number(task.rule.batchSize);
    const count = batchIndex + 1 < batches ? n : Number(task.itemCount) - batchIndex * n;
    if (pub.count !== BigInt(count)) {
      return {
        status: 400,
        code: "wrong_count",
        message: `batch ${batchIndex} has ${count} items; the proof says ${pub.count}`,
      };
    }
    const recipient = pub.recipient & ((1n << 160n) - 1n);
    const fee = Number(pub.recipient >> 160n);
    if (recipient === 0n || pub.recipient >> 176n !== 0n || fee > MAX_RELAYER_FEE_BPS) {
      return {
        status: 400,
        code: "bad_recipient",
        message: "the proof's recipient word is not an address with a fee of 0..10,000 basis points",
      };
    }
    if (fee < opts.minFeeBps) {
      return {
        status: 402,
        code: "fee_too_low",
        message: `the proof pays this relayer ${fee} basis points; its minimum is ${opts.minFeeBps} (${opts.minFeeBps / 100} % of the batch's reward): prove again with a relayer fee of at least ${opts.minFeeBps}`,
      };
    }
    const [state] = await pc.readContract({
      address: escrow,
      abi: escrowAbi,
      functionName: "batchState",
      args: [taskId, BigInt(batchIndex)],
    });
    if (state !== 0) {
      return {
        status: 409,
        code: "batch_taken",
        message: `batch ${batchIndex} of task ${taskId} is already ${state === 1 ? "submitted (pending)" : "verified"}: another worker took it first; label an open batch`,
      };
    }
    const rootOk = await pc.readContract({
      address: opts.groups,
      abi: groupsAbi,
      functionName: "isValidRoot",
      args: [task.workerGroupId, pub.groupRoot],
    });
    if (!rootOk) {
      return {
        status: 409,
        code: "root_expired",
        message: `the proof's group root is no longer a valid root of worker group ${task.workerGroupId} (the group changed and its grace period ended): prove again against the current group`,
      };
    }
    if (task.challengeWindow !== 0) {
      const spent = await pc.readContract({
        address: escrow,
        abi: escrowAbi,
        functionName: "isNullifierSpent",
        args: [pub.nullifier],
      });
      if (spent) {
        return {
          status: 409,
          code: "nullifier_spent",
          message: `this identity's batch ${batchIndex} was rejected with a proof: the same identity cannot submit it again`,
        };
      }
    }
    const reward = BigInt(count) * task.rewardPerItem;
    if (task.balance < reward) {
      return {
        status: 409,
        code: "task_unfunded",
        message: `task ${taskId} holds ${task.balance}, less than this batch's reward ${reward}`,
      };
    }
    return undefined;
  }

  /** Why the escrow would refuse the proof now, with its code (batch_taken when another submission won the race), or undefined. */
  async function simulateOne(t: StoredTicket): Promise<{ code: string; reason: string } | undefined> {
    try {
      await pc.simulateContract({
        account,
        address: escrow,
        abi: escrowAbi,
        functionName: "submitBatch",
        args: [
          BigInt(t.taskId),
          BigInt(t.batchIndex),
          t.proof.map(BigInt) as unknown as ProofWords,
          t.publicInputs.map(BigInt),
        ],
      });
      return undefined;
    } catch (e) {
      const d = describeError(e);
      const taken = d.errorName === "BatchIsPending" || d.errorName === "BatchAlreadyAccepted";
      return {
        code: taken ? "batch_taken" : "would_revert",
        reason: `the escrow would refuse this proof now: ${d.message}`,
      };
    }
  }

  return { readTask, knownVerifier, problem, simulateOne, now, escrowPaused };
}
