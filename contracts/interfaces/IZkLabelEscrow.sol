// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title zkLabel escrow
/// @notice Requesters fund labeling tasks in ETH or an ERC-20 token; anonymous workers are paid per
/// batch of labels whose zero-knowledge proof shows that a member of the task's worker group labeled
/// the batch's items by the task's rule and encrypted the labels to the requester. See docs/protocol.md.
interface IZkLabelEscrow {
    /// @notice A rule's verifier as registered by the owner; every task keeps a copy of the entry it was
    /// created with, so a later change of the registry never changes a funded task. A replacement takes
    /// effect only `ruleChangeDelay` seconds after it was announced (RuleVerifierScheduled), and
    /// createTask takes the entry the requester expects, so a change cannot slip under a task.
    struct RuleVerifier {
        /// snarkjs Groth16 verifier of the rule's worker circuit.
        address verifier;
        /// N of the circuit: items per batch.
        uint16 batchSize;
        /// DEPTH of the circuit: the dataset tree holds up to 2^datasetDepth items.
        uint8 datasetDepth;
        /// Number of public inputs of the circuit (9 + ciphertext length).
        uint8 publicInputCount;
        /// Groth16BatchVerifier of the same circuit, for submitBatches (0 = none).
        address batchVerifier;
        /// snarkjs Groth16 verifier of the rule's gold-rejection circuit, whose public inputs are
        /// [goldRoot, batchIndex, count, labelsCommitment, bound, goldThreshold] (0 = the rule takes no
        /// gold items: its tasks cannot have any).
        address rejectVerifier;
    }

    /// @notice What a requester fixes when creating a task (docs/protocol.md, "Task"). Only ever in
    /// calldata, so its field order follows the protocol rather than storage packing.
    // solhint-disable-next-line gas-struct-packing
    struct TaskParams {
        /// address(0) for ETH, else an ERC-20 token (fee-on-transfer tokens are refused).
        address token;
        /// Rule id, a key of the rule registry (the built-in rules: 1 classification, 2 bounding box,
        /// 3 sensor range; 0 names no rule).
        uint8 ruleId;
        /// Rule parameter slots, field elements whose meaning is the rule's (classification:
        /// [numClasses, allowedMask, 0, 0]; bounding box: [numClasses, allowedMask, minWidth, minHeight];
        /// sensor range: [lo, hi, 0, 0]). The rule's circuit admits no proof for slots outside the rule.
        uint256[4] ruleParams;
        /// Root of the dataset tree (depth = the rule verifier's datasetDepth).
        uint256 datasetRoot;
        /// Number of items; batch b covers items [b*N, (b+1)*N).
        uint32 itemCount;
        /// Requester's BabyJubJub label-encryption key (in the prime-order subgroup, x != 0).
        uint256[2] pkR;
        /// A curve point Q with 8 * Q = pkR: shows that pkR has no small-order part (the SDK computes it
        /// as (skR / 8 mod l) * Base8). Not stored.
        uint256[2] pkRDiv8;
        /// Root of the gold-item commitments; 0 for a task without gold items.
        uint256 goldRoot;
        /// Minimum accuracy on a batch's gold items, in percent (0 without gold items).
        uint8 minAccuracy;
        /// How close a label must be to a gold answer to count as correct, in percent, as the rule reads
        /// it (bounding boxes: the minimum IoU; 0 for rules that match exactly, and without gold items).
        uint8 goldThreshold;
        /// Seconds a batch stays pending and can be rejected; 0 exactly when there are no gold items.
        uint32 challengeWindow;
        /// WorkerGroups group whose members may label (0 = the open group).
        uint64 workerGroupId;
        /// Reward per labeled item, in token units (wei for ETH).
        uint128 rewardPerItem;
        /// Unix time after which no batch is accepted.
        uint64 deadline;
        /// Amount locked now (ETH: equal to msg.value); at most itemCount * rewardPerItem. Top up later.
        uint256 funding;
        /// Where the title, instructions, class names and vault URL are (e.g. ipfs://...).
        string metadataURI;
        /// keccak256 of the metadata document, so a changed document is detected.
        bytes32 metadataHash;
    }

    /// @notice Stored state of a task.
    struct Task {
        address requester;
        uint40 deadline;
        uint32 itemCount;
        uint8 minAccuracy;
        uint8 goldThreshold;
        /// Set by cancel: the task closes at `closesAt` (at most CANCEL_NOTICE later).
        bool cancelled;
        address token;
        uint64 workerGroupId;
        uint32 challengeWindow;
        uint128 rewardPerItem;
        /// Funds not yet reserved or paid.
        uint128 balance;
        /// Funds reserved by pending batches.
        uint128 reserved;
        uint8 ruleId;
        /// Last second at which a batch is accepted: the deadline, or cancel time + CANCEL_NOTICE if earlier.
        uint40 closesAt;
        /// Items of accepted batches (pending or verified): no top-up may fund more than the rest.
        uint32 acceptedItems;
        /// Items of verified batches (paid, final: no rejection reaches them).
        uint32 verifiedItems;
        /// Set once, with TaskCompleted: every batch verified, or the task closed with none pending.
        bool completed;
        RuleVerifier rule;
        uint256 taskHash;
        uint256 goldRoot;
        uint256[2] pkR;
        bytes32 metadataHash;
        /// Root of the dataset tree, as in TaskParams.
        uint256 datasetRoot;
        /// Chain over the verified batches, in the order they were verified: starts at 0, then
        /// keccak256(abi.encode(digest, batchIndex, keccak256(abi.encode(nullifier, labelsCommitment)))).
        bytes32 batchesDigest;
    }

    /// @notice A pending batch (tasks with gold items only), as finalize and a rejection read it.
    struct PendingBatch {
        address recipient;
        uint16 relayerFeeBps;
        uint40 submittedAt;
        uint16 count;
    }

    /// @notice A withdrawal the credited account signs (EIP-712 typed data, primary type `Withdraw`) and a
    /// relayer submits with withdrawWithSignature: the account needs no ETH. `amount` leaves the account's
    /// credit in `token`; `to` receives `amount - fee` and the submitting relayer is credited `fee`.
    /// `relayer` = address(0) lets any sender submit it; `nonce` is the account's current nonce (see
    /// nonces), and the signature is void after `deadline` (a Unix time).
    struct Withdraw {
        address token;
        address account;
        address to;
        uint256 amount;
        uint256 fee;
        address relayer;
        uint256 nonce;
        uint256 deadline;
    }

    enum BatchState {
        Open,
        Pending,
        Verified
    }

    /// @notice A replacement of a rule's verifier, which `applyRuleVerifier` can make effective from `effectiveAt`.
    event RuleVerifierScheduled(
        uint8 indexed ruleId,
        address verifier,
        uint16 batchSize,
        uint8 datasetDepth,
        uint8 publicInputCount,
        address batchVerifier,
        address rejectVerifier,
        uint256 effectiveAt
    );
    /// @notice The owner withdrew a scheduled replacement.
    event RuleVerifierChangeCancelled(uint8 indexed ruleId);
    /// @notice The owner halted (true) or resumed (false) new tasks, top-ups and batch submissions.
    event PauseSet(bool paused);
    /// @notice The entry new tasks of the rule now copy.
    event RuleVerifierSet(
        uint8 indexed ruleId,
        address verifier,
        uint16 batchSize,
        uint8 datasetDepth,
        uint8 publicInputCount,
        address batchVerifier,
        address rejectVerifier
    );
    event TaskCreated(
        uint256 indexed taskId,
        address indexed requester,
        address indexed token,
        TaskParams params,
        RuleVerifier rule,
        uint256 taskHash
    );
    event TaskFunded(uint256 indexed taskId, address indexed from, uint256 amount, uint256 balance);
    /// @notice A batch's proof verified. `epk` and `ciphertext` are the labels and salt encrypted to the
    /// task's pkR (nonce = batchIndex): the requester decrypts them from this event alone. `finalizesAt`
    /// is the end of the challenge window (the submission time when the task has no gold items: the
    /// batch is verified at once).
    event BatchSubmitted(
        uint256 indexed taskId,
        uint256 indexed batchIndex,
        address indexed recipient,
        address relayer,
        uint256 count,
        uint256 reward,
        uint256 relayerFee,
        uint256 finalizesAt,
        uint256 groupRoot,
        uint256 nullifier,
        uint256 labelsCommitment,
        uint256[2] epk,
        uint256[] ciphertext
    );
    /// @notice A batch is verified: its reward is credited (recipientAmount + relayerAmount = reward).
    event BatchVerified(
        uint256 indexed taskId,
        uint256 indexed batchIndex,
        address indexed recipient,
        address relayer,
        uint256 recipientAmount,
        uint256 relayerAmount
    );
    /// @notice The requester cancelled: batches are still accepted and paid until `closesAt`, then the
    /// unreserved funds can be refunded.
    event TaskCancelled(uint256 indexed taskId, uint256 closesAt);
    /// @notice A batch of a submitBatches call was accepted by an earlier transaction (a copied proof, or
    /// another relayer): it is skipped and the other batches go on.
    event BatchSkipped(uint256 indexed taskId, uint256 indexed batchIndex);
    /// @notice The requester proved that the batch's accuracy on its gold items is below `bound` percent
    /// (at most the task's minAccuracy): its reward returned to the task, the batch is open again, and
    /// the worker's nullifier for it stays spent.
    event BatchRejected(
        uint256 indexed taskId,
        uint256 indexed batchIndex,
        uint256 nullifier,
        uint256 labelsCommitment,
        uint8 bound,
        uint256 returned
    );
    /// @notice The task's dataset is final: every batch is verified, or the task closed with no batch
    /// pending and `verifiedItems` of `itemCount` items verified. Emitted once per task. `batchesDigest`
    /// commits to the verified batches and their labels (see Task.batchesDigest): a consumer of the
    /// dataset recomputes it from the batches' BatchSubmitted values in their BatchVerified order.
    event TaskCompleted(
        uint256 indexed taskId,
        uint256 datasetRoot,
        uint8 ruleId,
        address verifier,
        uint32 itemCount,
        uint32 verifiedItems,
        bytes32 batchesDigest
    );
    event TaskRefunded(uint256 indexed taskId, address indexed requester, uint256 amount);
    /// @notice `amount` of the account's credit in `token` was sent to `to` (by withdraw, or by
    /// withdrawWithSignature net of its fee).
    event Withdrawal(address indexed token, address indexed account, address indexed to, uint256 amount);
    /// @notice A relayer submitted the account's signed withdrawal `nonce` and was credited `fee` of it
    /// (the same transaction's Withdrawal event carries the `amount - fee` sent): the account's credit
    /// fell by the sum, the relayer's rose by `fee`.
    event WithdrawalRelayed(
        address indexed token,
        address indexed account,
        address indexed relayer,
        uint256 nonce,
        uint256 fee
    );

    error InvalidRuleVerifier(uint8 ruleId);
    error RuleVerifierMismatch(uint8 ruleId, address registeredVerifier, address expectedVerifier);
    error NoRuleChangeScheduled(uint8 ruleId);
    error RuleChangeNotDue(uint8 ruleId, uint256 effectiveAt);
    error RuleNotSupported(uint8 ruleId);
    error TaskNotFound(uint256 taskId);
    error EmptyDataset();
    error DatasetTooLarge(uint256 itemCount, uint256 capacity);
    error ZeroReward();
    error DeadlineInPast(uint64 deadline, uint256 nowTime);
    error InvalidFunding(uint256 funding, uint256 maximum);
    error WrongEthAmount(uint256 expected, uint256 sent);
    error EthSentWithToken(uint256 sent);
    error UnsupportedToken(address token, uint256 expected, uint256 received);
    error NotInField(uint256 value);
    error InvalidEncryptionKey(uint256 x, uint256 y);
    error InvalidRuleParams(uint8 ruleId, uint256 slot, uint256 value);
    error InvalidGoldSettings(uint256 goldRoot, uint8 minAccuracy, uint8 goldThreshold, uint32 challengeWindow);
    error UnknownWorkerGroup(uint256 groupId);
    error WrongPublicInputCount(uint256 expected, uint256 given);
    error TaskCancelledAlready(uint256 taskId);
    error TaskExpired(uint256 taskId, uint64 deadline);
    error BatchOutOfRange(uint256 batchIndex, uint256 batchCount);
    error BatchAlreadyAccepted(uint256 taskId, uint256 batchIndex);
    error BatchIsPending(uint256 taskId, uint256 batchIndex);
    error UnknownGroupRoot(uint256 groupId, uint256 groupRoot);
    error WrongTask(uint256 expectedTaskHash, uint256 provenTaskHash);
    error WrongBatchIndex(uint256 expected, uint256 proven);
    error WrongCount(uint256 expected, uint256 proven);
    error InvalidRecipient(uint256 recipientWord);
    error InvalidRelayerFee(uint256 feeBps);
    error InsufficientTaskBalance(uint256 taskId, uint256 needed, uint256 available);
    error InvalidProof();
    error BatchListMismatch(uint256 batches, uint256 proofs);
    error BatchVerificationUnavailable(uint8 ruleId);
    error BatchNotPending(uint256 taskId, uint256 batchIndex);
    error ChallengeWindowOpen(uint256 taskId, uint256 batchIndex, uint256 endsAt);
    error NotRequester(uint256 taskId, address caller);
    error TaskStillOpen(uint256 taskId, uint64 deadline);
    error NothingToWithdraw(address token, address account);
    error TransferFailed(address to, uint256 amount);
    error ZeroAddress();
    error NullifierSpent(uint256 nullifier);
    error ChallengeWindowClosed(uint256 taskId, uint256 batchIndex, uint256 endedAt);
    error InvalidRejectionBound(uint8 bound, uint8 minAccuracy);
    error WrongBatchSeal(uint256 taskId, uint256 batchIndex);
    error SignatureExpired(uint256 deadline, uint256 nowTime);
    error WrongRelayer(address relayer, address sender);
    error FeeAboveAmount(uint256 fee, uint256 amount);
    error InsufficientCredit(address token, address account, uint256 amount, uint256 available);
    error InvalidNonce(address account, uint256 expected, uint256 given);
    error InvalidSignature(address account);
    error EscrowPaused();
    error TaskAlreadyComplete(uint256 taskId);
    error BatchesPending(uint256 taskId, uint256 pendingItems);
    error NothingVerified(uint256 taskId);

    /// @notice Owner only. The first verifier of a rule takes effect at once (no task can use the rule
    /// before); a replacement is scheduled for `ruleChangeDelay` seconds later (RuleVerifierScheduled) and
    /// takes effect with applyRuleVerifier. Existing tasks always keep the entry they were created with.
    function setRuleVerifier(uint8 ruleId, RuleVerifier calldata rule) external;

    /// @notice Anyone, once the scheduled replacement of a rule's verifier is due: makes it effective.
    function applyRuleVerifier(uint8 ruleId) external;

    /// @notice Owner only: withdraws a scheduled replacement before it takes effect.
    function cancelRuleVerifierChange(uint8 ruleId) external;

    /// @notice Owner only: the emergency pause (docs/operations.md). While paused, createTask, topUp,
    /// submitBatch and submitBatches revert with EscrowPaused; everything that moves money out or
    /// settles what was already accepted keeps working: withdraw, withdrawWithSignature, refund, cancel,
    /// finalize and rejectBatch. The pause holds no funds and changes no task.
    function setPaused(bool paused_) external;

    /// @notice Whether the emergency pause is on.
    function paused() external view returns (bool);

    /// @notice Creates a task and locks `params.funding` of its token for it, in one transaction.
    /// @param expectedRule The rule entry the requester was shown (the deployment's verifiers); the call
    /// reverts with RuleVerifierMismatch if the registry holds another one when it is mined.
    /// @return taskId The new task's id (ids start at 1).
    function createTask(
        TaskParams calldata params,
        RuleVerifier calldata expectedRule
    ) external payable returns (uint256 taskId);

    /// @notice Adds funds to an open task (anyone may fund it); `amount` must equal msg.value for ETH.
    function topUp(uint256 taskId, uint256 amount) external payable;

    /// @notice Submits one batch with its proof. The sender is the relayer: it earns the proof's relayer fee.
    /// On a task without gold items the batch is verified and paid at once; otherwise it is pending
    /// until `finalize` after the challenge window. Checks, in order: the pause, input count, field range (every
    /// input), task open, batch in range and neither accepted nor pending, group root, taskHash, batchIndex,
    /// count, recipient and fee, task balance, proof.
    /// @param proof Groth16 proof as [A.x, A.y, B.x1, B.x0, B.y1, B.y0, C.x, C.y].
    /// @param publicInputs [taskHash, groupRoot, nullifier, batchIndex, count, recipientWord, epk.x,
    /// epk.y, labelsCommitment, ciphertext...] with recipientWord = recipient + relayerFeeBps * 2^160.
    function submitBatch(
        uint256 taskId,
        uint256 batchIndex,
        uint256[8] calldata proof,
        uint256[] calldata publicInputs
    ) external;

    /// @notice Submits several batches of one task with one batch-verified check of all their proofs
    /// (k + 3 pairings instead of 4k): what a relayer does with the proofs it collected. A batch that an
    /// earlier transaction already accepted (verified or pending) is skipped with BatchSkipped, so a proof
    /// copied out of this call and sent first cannot make it revert; every other batch is checked and
    /// accepted as by submitBatch, and if any of their proofs is false, the whole call reverts.
    /// @param proofs One proof per batch, in the order of `batchIndexes`.
    /// @param publicInputs The public inputs of all batches, batch after batch.
    function submitBatches(
        uint256 taskId,
        uint256[] calldata batchIndexes,
        uint256[8][] calldata proofs,
        uint256[] calldata publicInputs
    ) external;

    /// @notice Verifies pending batches whose challenge window has ended and credits their rewards;
    /// anyone may call it.
    function finalize(uint256 taskId, uint256[] calldata batchIndexes) external;

    /// @notice Requester only, while the batch's challenge window is open: rejects a pending batch with a
    /// proof, verified by the task's rule rejection verifier, that the worker's accuracy on the batch's
    /// gold items is below `bound` percent. The proof opens all the batch's gold leaves under goldRoot
    /// (so no subset can be picked) and the worker's labels under their labelsCommitment; a batch with
    /// no gold item, or at or above the bound, has no such proof. The reward returns to the task's
    /// balance, the batch reopens, and `nullifier` is spent: the same identity cannot submit it again.
    /// @param nullifier, labelsCommitment The batch's, as in its BatchSubmitted event (checked against
    /// the pending batch's seal).
    /// @param bound At least 1 and at most the task's minAccuracy (the default: the task's threshold).
    function rejectBatch(
        uint256 taskId,
        uint256 batchIndex,
        uint256 nullifier,
        uint256 labelsCommitment,
        uint8 bound,
        uint256[8] calldata proof
    ) external;

    /// @notice Whether a nullifier is spent (by a rejection): a proof carrying it is refused.
    function isNullifierSpent(uint256 nullifier) external view returns (bool);

    /// @notice Requester only: closes the task after a notice period. Batches submitted until `closesAt`
    /// (now + CANCEL_NOTICE, or the deadline if earlier) are still accepted and paid, so a cancel sent
    /// after a worker's submission appeared in the mempool cannot beat it. Top-ups stop at once.
    /// Pending batches still finalize and pay. The unreserved funds are refunded after `closesAt`.
    function cancel(uint256 taskId) external;

    /// @notice Requester only, once the task is closed (after `closesAt`): refunds its unreserved funds.
    function refund(uint256 taskId) external;

    /// @notice Anyone, once the task is closed (after `closesAt`) with no batch pending and at least one
    /// verified: records the task as complete (TaskCompleted). A task whose every batch is verified
    /// completes by itself, in the transaction that verifies the last one.
    function complete(uint256 taskId) external;

    /// @notice Sends the caller's whole credit in `token` (address(0) = ETH) to `to`.
    function withdraw(address token, address to) external;

    /// @notice Anyone, on the credited account's behalf (a payee holds no ETH for gas): performs the
    /// withdrawal `w` that `w.account` signed as EIP-712 typed data of this contract's domain (see
    /// eip712Domain; ERC-1271 for an account with code). Sends `w.amount - w.fee` of `w.token` to `w.to`
    /// and credits `w.fee` to the sender (pull payment). Checks, in order: deadline not passed, sender is
    /// `w.relayer` unless that is address(0), `w.to` not address(0), amount not zero, fee at most the
    /// amount, `w.nonce` the account's current nonce (so a replay fails with InvalidNonce), amount at
    /// most the account's credit, signature. Consumes the nonce: a signature is used once.
    /// @param signature 65 bytes (r, s, v) from an EOA, or what the account's isValidSignature accepts.
    function withdrawWithSignature(Withdraw calldata w, bytes calldata signature) external;

    /// @notice The nonce the account's next signed withdrawal must carry (starts at 0, one up per use).
    function nonces(address account) external view returns (uint256);

    /// @notice The stored task.
    function getTask(uint256 taskId) external view returns (Task memory);

    /// @notice State of a batch, with its pending record when pending.
    function batchState(uint256 taskId, uint256 batchIndex) external view returns (BatchState, PendingBatch memory);

    /// @notice Whether a batch is verified (its reward credited).
    function isBatchAccepted(uint256 taskId, uint256 batchIndex) external view returns (bool);

    /// @notice Number of batches of a task (the last one may be partial).
    function batchCount(uint256 taskId) external view returns (uint256);

    /// @notice Unwithdrawn earnings of an account in a token (address(0) = ETH).
    function credits(address token, address account) external view returns (uint256);
}
