import { BaseError, type ContractErrorName, ContractFunctionRevertedError, UserRejectedRequestError } from "viem";
import type { escrowAbi } from "./escrow-abi.ts";

/**
 * Every custom error of the escrow (contracts/interfaces/IZkLabelEscrow.sol) in words.
 * Typed by the generated ABI: a new error in the contract fails the type check until it is described here.
 */
const ESCROW_ERRORS: Record<ContractErrorName<typeof escrowAbi>, string> = {
  TaskNotFound: "This task does not exist on-chain.",
  TaskExpired: "The task's deadline has passed, so it accepts no more batches.",
  BatchOutOfRange: "This batch number is outside the task's dataset.",
  BatchAlreadyAccepted: "This batch has already been accepted and paid; pick another batch.",
  WrongTask: "The proof was made for different task data than the task on-chain.",
  WrongBatchIndex: "The proof is for a different batch than the one submitted.",
  WrongCount: "The proof covers a different number of items than this batch has.",
  InvalidRecipient: "The proof's recipient is not a valid address.",
  InvalidProof: "The contract's verifier rejected the proof.",
  NotInField: "A public input is not a valid field element.",
  InvalidEncryptionKey:
    "The task's label-encryption key is not a valid BabyJubJub key, so nobody could read the labels.",
  NothingToWithdraw: "There is nothing to withdraw for this account.",
  TransferFailed: "The payout transfer to the destination address failed.",
  Reentrancy: "The call re-entered the escrow and was refused.",
  NotRequester: "Only the task's requester may do this.",
  TaskStillOpen: "The task is still open, so its funds cannot be reclaimed yet.",
  WrongFunding: "The funding sent does not match the task's total reward.",
  EmptyDataset: "A task needs at least one item.",
  DatasetTooLarge: "The dataset has more items than the circuit's tree can hold.",
  ZeroReward: "The reward per item must be more than zero.",
  DeadlineInPast: "The task's deadline is already in the past.",
  InvalidClassCount: "The task's number of classes is outside what the circuit supports.",
  InvalidClassMask: "The task's allowed-class mask does not fit its number of classes.",
  UnusedRuleParamNotZero: "An unused rule parameter of the task is not zero.",
};

const isEscrowError = (name: string): name is keyof typeof ESCROW_ERRORS => Object.hasOwn(ESCROW_ERRORS, name);

/** A failed wallet or contract call, described for the worker. */
export function describeError(e: unknown): { message: string; errorName?: string } {
  if (e instanceof BaseError) {
    const reverted = e.walk((x) => x instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      const name = reverted.data?.errorName;
      if (name) {
        const args = reverted.data?.args?.length ? `(${reverted.data.args.map(String).join(", ")})` : "";
        return {
          errorName: name,
          message: `${isEscrowError(name) ? ESCROW_ERRORS[name] : "The contract refused the call."} [${name}${args}]`,
        };
      }
      if (reverted.reason) return { message: `The contract refused the call: ${reverted.reason}` };
    }
    if (e.walk((x) => x instanceof UserRejectedRequestError))
      return { message: "You rejected the request in your wallet." };
    return { message: e.shortMessage || e.message };
  }
  return { message: e instanceof Error ? e.message : String(e) };
}
