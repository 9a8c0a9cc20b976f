import { type ErrorCode, ZkLabelError } from "@zklabel/core/errors";
import {
  BaseError,
  type ContractErrorName,
  ContractFunctionRevertedError,
  decodeErrorResult,
  UserRejectedRequestError,
} from "viem";
import { escrowAbi } from "./abi-escrow.ts";
import { groupsAbi } from "./abi-groups.ts";

/**
 * Every custom error of the escrow (contracts/interfaces/IZkLabelEscrow.sol) in words.
 * Typed by the generated ABI: a new error in the contract fails the type check until it is described here.
 */
const ESCROW_ERRORS: Record<ContractErrorName<typeof escrowAbi>, string> = {
  OwnableUnauthorizedAccount: "Only the escrow's owner (or the pending owner, to accept) may do this.",
  OwnableInvalidOwner: "The new owner address is empty: use renounceOwnership to give the registry up.",
  RuleVerifierMismatch:
    "The escrow's registry holds another verifier for this rule than the one you were shown (the deployment's): the registry changed, so nothing was posted. Check the new verifier and update the deployment file before posting.",
  NoRuleChangeScheduled: "No replacement of this rule's verifier is scheduled.",
  RuleChangeNotDue: "The scheduled replacement of this rule's verifier is not due yet.",
  InvalidRuleVerifier:
    "That verifier entry is not usable (no code, or a batch size or depth the escrow cannot handle).",
  RuleNotSupported: "The escrow has no verifier for this rule type yet.",
  EscrowPaused:
    "The escrow's owner has paused new tasks, top-ups and submissions (an emergency pause): nothing was sent. Your funds are safe: withdrawals, refunds, cancels and finalizing keep working. Try again once the pause is lifted.",
  TaskNotFound: "This task does not exist on-chain.",
  EmptyDataset: "A task needs at least one item.",
  DatasetTooLarge: "The dataset has more items than the circuit's tree can hold.",
  ZeroReward: "The reward per item must be more than zero.",
  DeadlineInPast: "The task's deadline is already in the past.",
  InvalidFunding:
    "The amount is zero or more than the task can still use (items × reward, minus what it already holds).",
  WrongEthAmount: "The ETH sent does not match the funding amount.",
  EthSentWithToken: "This task is paid in a token: send no ETH with the call.",
  UnsupportedToken:
    "The token did not arrive in full (a fee-on-transfer or rebasing token, or not a token at all): use a plain ERC-20.",
  NotInField: "A value is not a valid field element.",
  InvalidEncryptionKey:
    "The task's label-encryption key is not a valid BabyJubJub key, so nobody could read the labels.",
  InvalidRuleParams: "A rule parameter of the task is not a field element (it must be below the SNARK scalar field).",
  InvalidGoldSettings:
    "Gold settings do not fit together: a task with gold items needs a rule that can reject (not sensor ranges), a challenge window (up to 30 days), a minimum accuracy and a gold threshold of at most 100%; a task without them has none of these.",
  NullifierSpent:
    "This identity's labels for this batch were rejected: the same identity cannot submit the batch again. Take another batch.",
  ChallengeWindowClosed:
    "The batch's challenge window has ended: it can no longer be rejected, only finalized and paid.",
  InvalidRejectionBound: "The rejection's accuracy bound must be at least 1% and at most the task's minimum accuracy.",
  WrongBatchSeal:
    "The nullifier and labels commitment given are not the pending batch's (read them from its BatchSubmitted event).",
  UnknownWorkerGroup: "The task names a worker group that does not exist.",
  WrongPublicInputCount: "The proof has a different number of public inputs than the task's verifier takes.",
  TaskCancelledAlready:
    "The requester cancelled this task: it takes no more funds, and no more batches once its closing time has passed.",
  TaskExpired: "The task's deadline has passed, so it accepts no more batches.",
  BatchOutOfRange: "This batch number is outside the task's dataset.",
  BatchAlreadyAccepted: "This batch has already been accepted and paid; pick another batch.",
  BatchIsPending: "This batch was already submitted and waits out its challenge window; pick another batch.",
  UnknownGroupRoot:
    "The proof was made against a worker-group root that is not the group's current one, nor one replaced within the grace period: reload the page and prove again.",
  WrongTask: "The proof was made for different task data than the task on-chain.",
  WrongBatchIndex: "The proof is for a different batch than the one submitted.",
  WrongCount: "The proof covers a different number of items than this batch has.",
  InvalidRecipient: "The proof's recipient is not a valid address.",
  InvalidRelayerFee: "The proof's relayer fee is above 100%.",
  InsufficientTaskBalance: "The task does not hold enough funds to pay this batch; the requester must top it up.",
  InvalidProof: "The contract's verifier rejected the proof.",
  BatchListMismatch: "The call gives a different number of proofs than batches.",
  BatchVerificationUnavailable: "This task's rule has no batch verifier: submit its batches one by one.",
  BatchNotPending: "This batch is not waiting to be finalized.",
  ChallengeWindowOpen: "The batch's challenge window has not ended yet.",
  NotRequester: "Only the task's requester may do this.",
  TaskStillOpen:
    "The task is still open (after a cancel, batches are accepted until its closing time), so it cannot be refunded or marked complete yet.",
  TaskAlreadyComplete: "The task is complete already: its verified batches are final.",
  BatchesPending:
    "Some batches are still pending (challenge window): finalize them after their window (or the requester rejects them), then mark the task complete.",
  NothingVerified: "No batch of this task was verified, so there is no dataset to mark complete.",
  NothingToWithdraw: "There is nothing to withdraw.",
  TransferFailed: "The payout transfer to the destination address failed.",
  ZeroAddress: "The destination address is empty.",
  SignatureExpired: "The signed withdrawal's deadline has passed: sign it again with a later deadline.",
  WrongRelayer: "The signed withdrawal names another relayer: only that address may submit it.",
  FeeAboveAmount: "The signed withdrawal's relayer fee is larger than the amount withdrawn.",
  InsufficientCredit: "The signed withdrawal asks for more than the account's credit in this token.",
  InvalidNonce:
    "The signed withdrawal's nonce is not the account's current one: it was used already (or is for later). Sign it again with the current nonce.",
  InvalidSignature:
    "The signature is not the account's signature of this withdrawal (another signer, another amount, fee, destination, relayer, deadline or escrow).",
  InvalidShortString: "The escrow's EIP-712 name or version is malformed.",
  StringTooLong: "The escrow's EIP-712 name or version is too long.",
  ReentrancyGuardReentrantCall: "The call re-entered the escrow and was refused.",
  SafeERC20FailedOperation: "The token transfer failed.",
};

/** Every custom error of WorkerGroups (and the LeanIMT library it uses) in words. */
const GROUP_ERRORS: Record<ContractErrorName<typeof groupsAbi>, string> = {
  GroupNotFound: "This worker group does not exist.",
  NotGroupAdmin: "Only the group's admin may change its members or hand the role on.",
  NotPendingGroupAdmin: "Only the address the admin offered the role to may accept it.",
  GroupFull: "The group holds as many members as the circuits accept: an admin must remove one first.",
  LeafAlreadyExists: "This identity is already a member of the group.",
  LeafCannotBeZero: "An identity commitment cannot be zero.",
  LeafDoesNotExist: "This identity is not a member of the group.",
  LeafGreaterThanSnarkScalarField: "The identity commitment is not a valid field element.",
  WrongSiblingNodes: "The membership proof given for this change does not match the group's tree.",
};

const WORDS: Record<string, string> = { ...GROUP_ERRORS, ...ESCROW_ERRORS };
const isKnownError = (name: string) => Object.hasOwn(WORDS, name);

export {
  ERROR_CODES,
  type ErrorCode,
  errorCode,
  errorKind,
  RuleViolationError,
  ZkLabelError,
} from "@zklabel/core/errors";

/**
 * A failed contract call or wallet request, in words. `errorName` is the contract's custom error
 * when it reverted with one (code "contract_reverted"); "wallet_rejected" when the person said
 * no in their wallet; "chain" for everything else on the way (RPC, a reverted receipt).
 */
export class ContractError extends ZkLabelError {
  override name = "ContractError";
  readonly errorName: string | undefined;
  constructor(message: string, errorName: string | undefined, options?: { cause?: unknown; code?: ErrorCode }) {
    super(options?.code ?? (errorName ? "contract_reverted" : "chain"), message, options);
    this.errorName = errorName;
  }
}

/** A failed wallet or contract call (escrow or worker groups), described for the worker, with its code. */
export function describeError(e: unknown): { message: string; errorName?: string; code: ErrorCode } {
  if (e instanceof BaseError) {
    const reverted = e.walk((x) => x instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      // A call made with a trimmed ABI (viem's simulate returns a request with the function only)
      // cannot decode the contract's errors: decode the raw revert data against the full ABIs.
      let decoded = reverted.data;
      if (!decoded && reverted.raw) {
        try {
          decoded = decodeErrorResult({ abi: [...escrowAbi, ...groupsAbi], data: reverted.raw });
        } catch {}
      }
      const name = decoded?.errorName;
      if (name) {
        const args = decoded?.args?.length ? `(${decoded.args.map(String).join(", ")})` : "";
        return {
          errorName: name,
          code: "contract_reverted",
          message: `${isKnownError(name) ? WORDS[name] : "The contract refused the call."} [${name}${args}]`,
        };
      }
      if (reverted.reason)
        return { code: "contract_reverted", message: `The contract refused the call: ${reverted.reason}` };
    }
    if (e.walk((x) => x instanceof UserRejectedRequestError))
      return { code: "wallet_rejected", message: "You rejected the request in your wallet." };
    return { code: "chain", message: e.shortMessage || e.message };
  }
  if (e instanceof ZkLabelError) return { code: e.code, message: e.message };
  return { code: "chain", message: e instanceof Error ? e.message : String(e) };
}
