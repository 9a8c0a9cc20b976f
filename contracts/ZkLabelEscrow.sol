// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PoseidonT3} from "poseidon-solidity/PoseidonT3.sol";
import {PoseidonT5} from "poseidon-solidity/PoseidonT5.sol";
import {PoseidonT6} from "poseidon-solidity/PoseidonT6.sol";
import {IWorkerGroups} from "./interfaces/IWorkerGroups.sol";
import {IZkLabelEscrow} from "./interfaces/IZkLabelEscrow.sol";

/// @title zkLabel escrow (classification rule)
/// @notice Holds requesters' ETH and pays anonymous workers per batch whose Groth16 proof shows
/// group membership, an unused nullifier, labels that follow the task's rule and their encryption
/// to the requester. See docs/protocol.md.
contract ZkLabelEscrow is IZkLabelEscrow {
    uint256 internal constant SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @notice Rule id of classification (RULE_ID in circuits/classification.circom).
    uint256 public constant RULE_CLASSIFICATION = 1;
    uint256 internal constant MAX_CLASSES = 32;

    // Positions in the public input vector (circuits/circuits.json order); the ciphertext follows.
    uint256 internal constant IN_TASK_HASH = 0;
    uint256 internal constant IN_GROUP_ROOT = 1;
    uint256 internal constant IN_NULLIFIER = 2;
    uint256 internal constant IN_BATCH_INDEX = 3;
    uint256 internal constant IN_COUNT = 4;
    uint256 internal constant IN_RECIPIENT = 5;
    uint256 internal constant IN_EPK_X = 6;
    uint256 internal constant IN_EPK_Y = 7;
    uint256 internal constant IN_LABELS_COMMITMENT = 8;
    uint256 internal constant IN_CIPHERTEXT = 9;

    /// @notice snarkjs Groth16 verifier of the classification worker circuit:
    /// verifyProof(uint256[2], uint256[2][2], uint256[2], uint256[publicInputCount]).
    address public immutable verifier;
    /// @notice Number of public inputs of the verifier's circuit (9 + ciphertext length).
    uint256 public immutable publicInputCount;
    /// @notice Registry of worker groups whose roots proofs are checked against.
    IWorkerGroups public immutable groups;
    /// @notice Items per batch (N of the verifier's circuit).
    uint256 public immutable batchSize;
    /// @notice Depth of the dataset tree the circuit proves inclusion in.
    uint256 public immutable datasetDepth;

    /// @notice Number of tasks created; the latest task's id.
    uint256 public taskCount;
    mapping(uint256 taskId => Task) internal _tasks;
    /// @dev One bit per batch: taskId => word index => bits.
    mapping(uint256 taskId => mapping(uint256 word => uint256 bits)) internal _accepted;
    /// @inheritdoc IZkLabelEscrow
    mapping(uint256 nullifier => bool used) public isNullifierUsed;
    /// @inheritdoc IZkLabelEscrow
    mapping(address account => uint256 amount) public credits;
    uint256 private _locked = 1;
    bytes4 private immutable _verifySelector;

    modifier nonReentrant() {
        if (_locked != 1) revert Reentrancy();
        _locked = 2;
        _;
        _locked = 1;
    }

    /// @param verifier_ snarkjs verifier of the classification worker circuit.
    /// @param publicInputCount_ Its number of public inputs (more than 9: the ciphertext is not empty).
    /// @param groups_ The worker group registry.
    /// @param batchSize_ N of that circuit.
    /// @param datasetDepth_ DEPTH of that circuit.
    constructor(
        address verifier_,
        uint256 publicInputCount_,
        IWorkerGroups groups_,
        uint256 batchSize_,
        uint256 datasetDepth_
    ) {
        if (publicInputCount_ <= IN_CIPHERTEXT) revert WrongPublicInputCount(IN_CIPHERTEXT + 1, publicInputCount_);
        verifier = verifier_;
        publicInputCount = publicInputCount_;
        groups = groups_;
        batchSize = batchSize_;
        datasetDepth = datasetDepth_;
        _verifySelector = bytes4(
            keccak256(
                abi.encodePacked(
                    "verifyProof(uint256[2],",
                    "uint256[2][2],uint256[2],",
                    "uint256[",
                    _decimal(publicInputCount_),
                    "])"
                )
            )
        );
    }

    /// @inheritdoc IZkLabelEscrow
    function createTask(TaskParams calldata p) external payable returns (uint256 taskId) {
        if (p.itemCount == 0) revert EmptyDataset();
        if (p.itemCount > (uint256(1) << datasetDepth)) revert DatasetTooLarge(p.itemCount, uint256(1) << datasetDepth);
        if (p.rewardPerItem == 0) revert ZeroReward();
        if (p.deadline <= block.timestamp) revert DeadlineInPast(p.deadline, block.timestamp);
        uint256 total = uint256(p.itemCount) * p.rewardPerItem;
        if (msg.value != total) revert WrongFunding(total, msg.value);
        _checkField(p.datasetRoot);
        _checkField(p.goldRoot);
        _checkEncryptionKey(p.pkR[0], p.pkR[1]);
        _checkClassificationParams(p.ruleParams);
        if (p.workerGroupId >= groups.groupCount()) revert UnknownWorkerGroup(p.workerGroupId);

        taskId = ++taskCount;
        uint256 ruleParamsHash = PoseidonT6.hash(
            [RULE_CLASSIFICATION, p.ruleParams[0], p.ruleParams[1], p.ruleParams[2], p.ruleParams[3]]
        );
        uint256 th = PoseidonT3.hash(
            [
                PoseidonT5.hash([p.datasetRoot, ruleParamsHash, p.pkR[0], p.pkR[1]]),
                PoseidonT5.hash([p.goldRoot, taskId, block.chainid, uint256(uint160(address(this)))])
            ]
        );
        _tasks[taskId] = Task({
            requester: msg.sender,
            deadline: p.deadline,
            itemCount: p.itemCount,
            rewardPerItem: p.rewardPerItem,
            balance: uint128(total),
            taskHash: th,
            workerGroupId: p.workerGroupId,
            pkR: p.pkR
        });
        emit TaskCreated(
            taskId,
            msg.sender,
            p.workerGroupId,
            p.datasetRoot,
            p.itemCount,
            RULE_CLASSIFICATION,
            p.ruleParams,
            p.pkR,
            p.goldRoot,
            p.rewardPerItem,
            p.deadline,
            th,
            total
        );
    }

    /// @inheritdoc IZkLabelEscrow
    function submitBatch(
        uint256 taskId,
        uint256 batchIndex,
        uint256[8] calldata proof,
        uint256[] calldata publicInputs
    ) external {
        if (publicInputs.length != publicInputCount)
            revert WrongPublicInputCount(publicInputCount, publicInputs.length);
        Task storage t = _task(taskId);
        uint256 count = _checkBatch(t, taskId, batchIndex, publicInputs);
        if (!_verify(proof, publicInputs)) revert InvalidProof();

        _accepted[taskId][batchIndex >> 8] |= uint256(1) << (batchIndex & 255);
        isNullifierUsed[publicInputs[IN_NULLIFIER]] = true;
        uint256 reward = count * t.rewardPerItem;
        t.balance -= uint128(reward);
        address recipient = address(uint160(publicInputs[IN_RECIPIENT]));
        credits[recipient] += reward;
        _emitAccepted(taskId, batchIndex, recipient, count, reward, publicInputs);
    }

    /// @inheritdoc IZkLabelEscrow
    function withdraw(address payable to) external nonReentrant {
        uint256 amount = credits[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        credits[msg.sender] = 0;
        emit Withdrawal(msg.sender, to, amount);
        _send(to, amount);
    }

    /// @inheritdoc IZkLabelEscrow
    function reclaim(uint256 taskId) external nonReentrant {
        Task storage t = _task(taskId);
        if (msg.sender != t.requester) revert NotRequester(taskId, msg.sender);
        if (block.timestamp <= t.deadline) revert TaskStillOpen(taskId, t.deadline);
        uint256 amount = t.balance;
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        t.balance = 0;
        emit TaskReclaimed(taskId, msg.sender, amount);
        _send(payable(msg.sender), amount);
    }

    /// @inheritdoc IZkLabelEscrow
    function getTask(uint256 taskId) external view returns (Task memory) {
        return _task(taskId);
    }

    /// @inheritdoc IZkLabelEscrow
    function isBatchAccepted(uint256 taskId, uint256 batchIndex) external view returns (bool) {
        return _accepted[taskId][batchIndex >> 8] & (uint256(1) << (batchIndex & 255)) != 0;
    }

    /// @inheritdoc IZkLabelEscrow
    function batchCount(uint256 taskId) external view returns (uint256) {
        return _batchCount(_task(taskId).itemCount);
    }

    /// @dev Every check of submitBatch before the proof, in the documented order; returns the batch's count.
    function _checkBatch(
        Task storage t,
        uint256 taskId,
        uint256 batchIndex,
        uint256[] calldata publicInputs
    ) internal view returns (uint256 count) {
        if (block.timestamp > t.deadline) revert TaskExpired(taskId, t.deadline);
        uint256 batches = _batchCount(t.itemCount);
        if (batchIndex >= batches) revert BatchOutOfRange(batchIndex, batches);
        if (_accepted[taskId][batchIndex >> 8] & (uint256(1) << (batchIndex & 255)) != 0) {
            revert BatchAlreadyAccepted(taskId, batchIndex);
        }
        for (uint256 i = 0; i < publicInputs.length; i++) {
            _checkField(publicInputs[i]);
        }
        if (publicInputs[IN_TASK_HASH] != t.taskHash) revert WrongTask(t.taskHash, publicInputs[IN_TASK_HASH]);
        if (publicInputs[IN_BATCH_INDEX] != batchIndex)
            revert WrongBatchIndex(batchIndex, publicInputs[IN_BATCH_INDEX]);
        count = batchIndex + 1 < batches ? batchSize : t.itemCount - batchIndex * batchSize;
        if (publicInputs[IN_COUNT] != count) revert WrongCount(count, publicInputs[IN_COUNT]);
        uint256 recipientWord = publicInputs[IN_RECIPIENT];
        if (recipientWord == 0 || recipientWord >> 160 != 0) revert InvalidRecipient(recipientWord);
        if (!groups.isValidRoot(t.workerGroupId, publicInputs[IN_GROUP_ROOT])) {
            revert UnknownGroupRoot(t.workerGroupId, publicInputs[IN_GROUP_ROOT]);
        }
        if (isNullifierUsed[publicInputs[IN_NULLIFIER]]) revert NullifierAlreadyUsed(publicInputs[IN_NULLIFIER]);
    }

    function _emitAccepted(
        uint256 taskId,
        uint256 batchIndex,
        address recipient,
        uint256 count,
        uint256 reward,
        uint256[] calldata publicInputs
    ) internal {
        emit BatchAccepted(
            taskId,
            batchIndex,
            recipient,
            count,
            reward,
            publicInputs[IN_GROUP_ROOT],
            publicInputs[IN_NULLIFIER],
            publicInputs[IN_LABELS_COMMITMENT],
            [publicInputs[IN_EPK_X], publicInputs[IN_EPK_Y]],
            publicInputs[IN_CIPHERTEXT:]
        );
    }

    /// @dev Calls the snarkjs verifier, whose public-input array length is fixed per circuit: the
    /// calldata is the selector, the eight proof words and the inputs, each one 32-byte word.
    function _verify(uint256[8] calldata proof, uint256[] calldata publicInputs) internal view returns (bool) {
        (bool ok, bytes memory ret) = verifier.staticcall(abi.encodePacked(_verifySelector, proof, publicInputs));
        return ok && ret.length == 32 && abi.decode(ret, (bool));
    }

    function _task(uint256 taskId) internal view returns (Task storage t) {
        t = _tasks[taskId];
        if (t.requester == address(0)) revert TaskNotFound(taskId);
    }

    function _batchCount(uint256 itemCount) internal view returns (uint256) {
        return (itemCount + batchSize - 1) / batchSize;
    }

    function _checkField(uint256 x) internal pure {
        if (x >= SNARK_SCALAR_FIELD) revert NotInField(x);
    }

    /// @dev pkR must be a BabyJubJub point (a x^2 + y^2 = 1 + d x^2 y^2) other than one with x = 0:
    /// with x = 0 the circuit's ECDH yields (0, 1) and anyone could decrypt the labels.
    /// The subgroup check (l * pkR = O) is too costly here; the SDK refuses such tasks.
    function _checkEncryptionKey(uint256 x, uint256 y) internal pure {
        if (x == 0 || x >= SNARK_SCALAR_FIELD || y >= SNARK_SCALAR_FIELD) revert InvalidEncryptionKey(x, y);
        uint256 x2 = mulmod(x, x, SNARK_SCALAR_FIELD);
        uint256 y2 = mulmod(y, y, SNARK_SCALAR_FIELD);
        uint256 lhs = addmod(mulmod(168700, x2, SNARK_SCALAR_FIELD), y2, SNARK_SCALAR_FIELD);
        uint256 rhs = addmod(
            1,
            mulmod(mulmod(168696, x2, SNARK_SCALAR_FIELD), y2, SNARK_SCALAR_FIELD),
            SNARK_SCALAR_FIELD
        );
        if (lhs != rhs) revert InvalidEncryptionKey(x, y);
    }

    function _checkClassificationParams(uint256[4] calldata p) internal pure {
        if (p[0] == 0 || p[0] > MAX_CLASSES) revert InvalidClassCount(p[0]);
        if (p[1] == 0 || p[1] >> p[0] != 0) revert InvalidClassMask(p[1], p[0]);
        if (p[2] != 0) revert UnusedRuleParamNotZero(2);
        if (p[3] != 0) revert UnusedRuleParamNotZero(3);
    }

    function _decimal(uint256 x) internal pure returns (bytes memory out) {
        if (x == 0) return "0";
        for (; x != 0; x /= 10) out = abi.encodePacked(bytes1(uint8(48 + (x % 10))), out);
    }

    function _send(address payable to, uint256 amount) internal {
        (bool ok, ) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
