import { BaseError, ContractFunctionRevertedError, UserRejectedRequestError } from "viem";

/** The escrow's custom errors in words (contracts/interfaces/IZkLabelEscrow.sol). */
const ESCROW_ERRORS: Record<string, string> = {
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
  NothingToWithdraw: "There is nothing to withdraw for this account.",
  TransferFailed: "The payout transfer to the destination address failed.",
  Reentrancy: "The call re-entered the escrow and was refused.",
  NotRequester: "Only the task's requester may do this.",
  TaskStillOpen: "The task is still open.",
  WrongFunding: "The funding sent does not match the task's total reward.",
};

/** A failed wallet or contract call, described for the worker. */
export function describeError(e: unknown): { message: string; errorName?: string } {
  if (e instanceof BaseError) {
    const reverted = e.walk((x) => x instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      const name = reverted.data?.errorName;
      if (name) {
        const args = reverted.data?.args?.length ? `(${reverted.data.args.map(String).join(", ")})` : "";
        return { errorName: name, message: `${ESCROW_ERRORS[name] ?? "The contract refused the call."} [${name}${args}]` };
      }
      if (reverted.reason) return { message: `The contract refused the call: ${reverted.reason}` };
    }
    if (e.walk((x) => x instanceof UserRejectedRequestError)) return { message: "You rejected the request in your wallet." };
    return { message: e.shortMessage || e.message };
  }
  return { message: e instanceof Error ? e.message : String(e) };
}
