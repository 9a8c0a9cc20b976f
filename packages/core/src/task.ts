import { poseidon } from "./poseidon.ts";

/** Every rule has exactly four parameter slots; unused ones are 0. */
export type RuleParams = readonly [bigint, bigint, bigint, bigint];

/** ruleParamsHash = Poseidon(ruleId, p0, p1, p2, p3). */
export function ruleParamsHash(ruleId: number, params: RuleParams): bigint {
  return poseidon([BigInt(ruleId), ...params]);
}

/** The task fields that taskHash binds (PROTOCOL "Task"). */
export interface TaskBinding {
  datasetRoot: bigint;
  ruleParamsHash: bigint;
  pkR: readonly [bigint, bigint];
  goldRoot: bigint;
  taskId: bigint;
  chainId: bigint;
  contract: bigint;
}

/**
 * taskHash = Poseidon(Poseidon(datasetRoot, ruleParamsHash, pkR.x, pkR.y),
 *                     Poseidon(goldRoot, taskId, chainId, contract)).
 * Same as TaskHash in circuits/lib/task.circom and ZkLabelEscrow._taskHash.
 */
export function taskHash(t: TaskBinding): bigint {
  const a = poseidon([t.datasetRoot, t.ruleParamsHash, t.pkR[0], t.pkR[1]]);
  const b = poseidon([t.goldRoot, t.taskId, t.chainId, t.contract]);
  return poseidon([a, b]);
}
