// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PoseidonT3} from "poseidon-solidity/PoseidonT3.sol";
import {PoseidonT5} from "poseidon-solidity/PoseidonT5.sol";
import {PoseidonT6} from "poseidon-solidity/PoseidonT6.sol";
import {IBatchVerifier} from "./interfaces/IBatchVerifier.sol";
import {IZkLabelEscrow} from "./interfaces/IZkLabelEscrow.sol";

/// @title zkLabel escrow (classification rule)
/// @notice Holds requesters' ETH and pays workers per batch whose Groth16 proof
/// shows the labels follow the task's rule. See docs/protocol.md.
contract ZkLabelEscrow is IZkLabelEscrow {
    uint256 internal constant SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @notice Rule id of classification (RULE_ID in circuits/classification.circom).
    uint256 public constant RULE_CLASSIFICATION = 1;
    uint256 internal constant MAX_CLASSES = 32;

    /// @notice Verifier of the classification circuit.
    IBatchVerifier public immutable verifier;
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
    mapping(address account => uint256 amount) public credits;
    uint256 private _locked = 1;

    modifier nonReentrant() {
        if (_locked != 1) revert Reentrancy();
        _locked = 2;
        _;
        _locked = 1;
    }

    /// @param verifier_ Verifier of the classification circuit.
    /// @param batchSize_ N of that circuit.
    /// @param datasetDepth_ DEPTH of that circuit.
    constructor(IBatchVerifier verifier_, uint256 batchSize_, uint256 datasetDepth_) {
        verifier = verifier_;
        batchSize = batchSize_;
        datasetDepth = datasetDepth_;
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
            taskHash: th
        });
        emit TaskCreated(
            taskId,
            msg.sender,
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
        uint256[5] calldata publicInputs
    ) external {
        Task storage t = _task(taskId);
        if (block.timestamp > t.deadline) revert TaskExpired(taskId, t.deadline);
        uint256 batches = _batchCount(t.itemCount);
        if (batchIndex >= batches) revert BatchOutOfRange(batchIndex, batches);
        uint256 bit = uint256(1) << (batchIndex & 255);
        uint256 word = _accepted[taskId][batchIndex >> 8];
        if (word & bit != 0) revert BatchAlreadyAccepted(taskId, batchIndex);
        for (uint256 i = 0; i < 5; i++) {
            _checkField(publicInputs[i]);
        }
        if (publicInputs[0] != t.taskHash) revert WrongTask(t.taskHash, publicInputs[0]);
        if (publicInputs[1] != batchIndex) revert WrongBatchIndex(batchIndex, publicInputs[1]);
        uint256 count = batchIndex + 1 < batches ? batchSize : t.itemCount - batchIndex * batchSize;
        if (publicInputs[2] != count) revert WrongCount(count, publicInputs[2]);
        uint256 recipientWord = publicInputs[3];
        if (recipientWord == 0 || recipientWord >> 160 != 0) revert InvalidRecipient(recipientWord);
        if (
            !verifier.verifyProof(
                [proof[0], proof[1]],
                [[proof[2], proof[3]], [proof[4], proof[5]]],
                [proof[6], proof[7]],
                publicInputs
            )
        ) revert InvalidProof();

        _accepted[taskId][batchIndex >> 8] = word | bit;
        uint256 reward = count * t.rewardPerItem;
        t.balance -= uint128(reward);
        address recipient = address(uint160(recipientWord));
        credits[recipient] += reward;
        emit BatchAccepted(taskId, batchIndex, recipient, count, publicInputs[4], reward);
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

    function _send(address payable to, uint256 amount) internal {
        (bool ok, ) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }
}
