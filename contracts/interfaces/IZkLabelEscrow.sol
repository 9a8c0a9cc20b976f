// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title zkLabel escrow
/// @notice Requesters fund labeling tasks; anonymous workers are paid per batch of labels whose
/// zero-knowledge proof shows they are a member of the task's worker group, that the labels follow
/// the task's rule, and that the posted ciphertext encrypts exactly those labels to the requester.
interface IZkLabelEscrow {
    /// @notice What a requester fixes when creating a task (see docs/protocol.md, "Task").
    struct TaskParams {
        /// Poseidon Merkle root of the item leaves (depth = the verifier's dataset depth).
        uint256 datasetRoot;
        /// Rule parameter slots; classification: [numClasses, allowedMask, 0, 0].
        uint256[4] ruleParams;
        /// Requester's BabyJubJub label-encryption key skR * Base8 (on the curve, not the identity).
        uint256[2] pkR;
        /// Root of the gold-item commitments (0 when the task has no gold items).
        uint256 goldRoot;
        /// The WorkerGroups group whose members may label (0 = the open group).
        uint256 workerGroupId;
        /// Payment per labeled item, in wei.
        uint128 rewardPerItem;
        /// Unix time after which no batch is accepted and the requester may reclaim.
        uint64 deadline;
        /// Number of items; batch b covers items [b*N, (b+1)*N).
        uint32 itemCount;
    }

    /// @notice Stored state of a task.
    struct Task {
        address requester;
        uint64 deadline;
        uint32 itemCount;
        uint128 rewardPerItem;
        uint128 balance;
        uint256 taskHash;
        uint256 workerGroupId;
        /// The requester's label-encryption key (also bound in taskHash).
        uint256[2] pkR;
    }

    event TaskCreated(
        uint256 indexed taskId,
        address indexed requester,
        uint256 indexed workerGroupId,
        uint256 datasetRoot,
        uint32 itemCount,
        uint256 ruleId,
        uint256[4] ruleParams,
        uint256[2] pkR,
        uint256 goldRoot,
        uint128 rewardPerItem,
        uint64 deadline,
        uint256 taskHash,
        uint256 funded
    );
    /// @notice A batch's proof verified. `epk` and `ciphertext` are the labels and salt encrypted to
    /// the task's pkR (nonce = batchIndex); the requester decrypts them from this event alone.
    event BatchAccepted(
        uint256 indexed taskId,
        uint256 indexed batchIndex,
        address indexed recipient,
        uint256 count,
        uint256 reward,
        uint256 groupRoot,
        uint256 nullifier,
        uint256 labelsCommitment,
        uint256[2] epk,
        uint256[] ciphertext
    );
    event Withdrawal(address indexed account, address indexed to, uint256 amount);
    event TaskReclaimed(uint256 indexed taskId, address indexed requester, uint256 amount);

    error TaskNotFound(uint256 taskId);
    error EmptyDataset();
    error DatasetTooLarge(uint256 itemCount, uint256 capacity);
    error ZeroReward();
    error DeadlineInPast(uint64 deadline, uint256 nowTime);
    error WrongFunding(uint256 expected, uint256 sent);
    error NotInField(uint256 value);
    error InvalidEncryptionKey(uint256 x, uint256 y);
    error InvalidClassCount(uint256 numClasses);
    error InvalidClassMask(uint256 allowedMask, uint256 numClasses);
    error UnusedRuleParamNotZero(uint256 slot);
    error UnknownWorkerGroup(uint256 groupId);
    error WrongPublicInputCount(uint256 expected, uint256 given);
    error TaskExpired(uint256 taskId, uint64 deadline);
    error BatchOutOfRange(uint256 batchIndex, uint256 batchCount);
    error BatchAlreadyAccepted(uint256 taskId, uint256 batchIndex);
    error WrongTask(uint256 expectedTaskHash, uint256 provenTaskHash);
    error WrongBatchIndex(uint256 expected, uint256 proven);
    error WrongCount(uint256 expected, uint256 proven);
    error InvalidRecipient(uint256 recipient);
    error UnknownGroupRoot(uint256 groupId, uint256 groupRoot);
    error NullifierAlreadyUsed(uint256 nullifier);
    error InvalidProof();
    error NothingToWithdraw(address account);
    error TransferFailed(address to, uint256 amount);
    error NotRequester(uint256 taskId, address caller);
    error TaskStillOpen(uint256 taskId, uint64 deadline);
    error Reentrancy();

    /// @notice Creates a task and locks exactly itemCount * rewardPerItem wei for it.
    /// @return taskId The new task's id (ids start at 1).
    function createTask(TaskParams calldata params) external payable returns (uint256 taskId);

    /// @notice Submits one batch of labels with its proof; on success the proof's recipient is credited.
    /// Checks, in order: input count, task open, batch in range and not yet accepted, every input below
    /// the field modulus, taskHash / batchIndex / count / recipient, group root current or within its
    /// grace period, nullifier unused, proof valid.
    /// @param proof Groth16 proof as [A.x, A.y, B.x1, B.x0, B.y1, B.y0, C.x, C.y].
    /// @param publicInputs [taskHash, groupRoot, nullifier, batchIndex, count, recipient, epk.x, epk.y,
    /// labelsCommitment, ciphertext...] (circuits/circuits.json order).
    function submitBatch(
        uint256 taskId,
        uint256 batchIndex,
        uint256[8] calldata proof,
        uint256[] calldata publicInputs
    ) external;

    /// @notice Sends the caller's whole credit to `to`.
    function withdraw(address payable to) external;

    /// @notice After the deadline, returns the task's unspent funds to its requester.
    function reclaim(uint256 taskId) external;

    /// @notice The stored task.
    function getTask(uint256 taskId) external view returns (Task memory);

    /// @notice Whether a batch of a task has been accepted.
    function isBatchAccepted(uint256 taskId, uint256 batchIndex) external view returns (bool);

    /// @notice Whether a nullifier has been spent by an accepted batch.
    function isNullifierUsed(uint256 nullifier) external view returns (bool);

    /// @notice Number of batches of a task (the last one may be partial).
    function batchCount(uint256 taskId) external view returns (uint256);

    /// @notice Unwithdrawn earnings of an account.
    function credits(address account) external view returns (uint256);
}
