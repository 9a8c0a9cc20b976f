// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {PoseidonT3} from "poseidon-solidity/PoseidonT3.sol";
import {PoseidonT5} from "poseidon-solidity/PoseidonT5.sol";
import {PoseidonT6} from "poseidon-solidity/PoseidonT6.sol";
import {Groth16BatchVerifier} from "./Groth16BatchVerifier.sol";
import {IWorkerGroups} from "./interfaces/IWorkerGroups.sol";
import {IZkLabelEscrow} from "./interfaces/IZkLabelEscrow.sol";

/// @title zkLabel escrow
/// @notice Task lifecycle, anonymous batch submission against the worker groups, challenge window,
/// pull payments in ETH and ERC-20 tokens. See {IZkLabelEscrow} and docs/protocol.md.
contract ZkLabelEscrow is IZkLabelEscrow, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint256 internal constant SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint8 public constant RULE_CLASSIFICATION = 1;
    uint8 public constant RULE_BOUNDING_BOX = 2;
    uint8 public constant RULE_SENSOR_RANGE = 3;
    uint256 internal constant MAX_CLASSES = 32;
    /// @notice Longest challenge window a task may set.
    uint32 public constant MAX_CHALLENGE_WINDOW = 30 days;
    uint256 internal constant FEE_DENOMINATOR = 10_000;

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

    /// @notice Registry of worker groups whose roots proofs are checked against.
    IWorkerGroups public immutable groups;
    /// @notice May change the rule verifiers (tasks keep the entry they were created with).
    address public owner;
    /// @notice Number of tasks created; the latest task's id.
    uint256 public taskCount;

    mapping(uint8 ruleId => RuleVerifier) internal _rules;
    mapping(uint256 taskId => Task) internal _tasks;
    /// @dev One bit per verified batch: taskId => word index => bits.
    mapping(uint256 taskId => mapping(uint256 word => uint256 bits)) internal _verified;
    /// @dev Pending batches (tasks with gold items): recipientWord | submittedAt << 176 | count << 216.
    mapping(uint256 taskId => mapping(uint256 batchIndex => uint256 record)) internal _pending;
    /// @dev Relayer of a pending batch that pays a relayer fee.
    mapping(uint256 taskId => mapping(uint256 batchIndex => address relayer)) internal _pendingRelayer;
    /// @dev keccak256(nullifier, labelsCommitment) of a pending batch: what a rejection must present.
    mapping(uint256 taskId => mapping(uint256 batchIndex => bytes32 seal)) internal _pendingSeal;
    /// @inheritdoc IZkLabelEscrow
    mapping(address token => mapping(address account => uint256 amount)) public credits;

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @param groups_ The worker group registry.
    constructor(IWorkerGroups groups_) {
        groups = groups_;
        owner = msg.sender;
    }

    /// @inheritdoc IZkLabelEscrow
    function setRuleVerifier(uint8 ruleId, RuleVerifier calldata rule) external onlyOwner {
        if (ruleId < RULE_CLASSIFICATION || ruleId > RULE_SENSOR_RANGE) revert RuleNotSupported(ruleId);
        if (
            rule.verifier.code.length == 0 ||
            rule.batchSize < 2 ||
            rule.batchSize & (rule.batchSize - 1) != 0 ||
            rule.datasetDepth > 32 ||
            (uint256(1) << rule.datasetDepth) < rule.batchSize ||
            rule.publicInputCount <= IN_CIPHERTEXT ||
            (rule.batchVerifier != address(0) && rule.batchVerifier.code.length == 0)
        ) revert InvalidRuleVerifier(ruleId);
        _rules[ruleId] = rule;
        emit RuleVerifierSet(
            ruleId,
            rule.verifier,
            rule.batchSize,
            rule.datasetDepth,
            rule.publicInputCount,
            rule.batchVerifier
        );
    }

    /// @notice The verifier currently registered for a rule (verifier 0 when none).
    function ruleVerifier(uint8 ruleId) external view returns (RuleVerifier memory) {
        return _rules[ruleId];
    }

    /// @notice Hands the verifier registry to another owner.
    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        owner = newOwner;
    }

    /// @inheritdoc IZkLabelEscrow
    function createTask(TaskParams calldata p) external payable nonReentrant returns (uint256 taskId) {
        RuleVerifier memory rule = _rules[p.ruleId];
        if (rule.verifier == address(0)) revert RuleNotSupported(p.ruleId);
        _checkTaskParams(p, rule);
        taskId = ++taskCount;
        uint256 th = _taskHash(p, taskId);
        Task storage t = _tasks[taskId];
        t.requester = msg.sender;
        t.deadline = uint40(p.deadline);
        t.itemCount = p.itemCount;
        t.minAccuracy = p.minAccuracy;
        t.token = p.token;
        t.workerGroupId = p.workerGroupId;
        t.challengeWindow = p.challengeWindow;
        t.rewardPerItem = p.rewardPerItem;
        t.ruleId = p.ruleId;
        t.rule = rule;
        t.taskHash = th;
        t.goldRoot = p.goldRoot;
        t.pkR = p.pkR;
        t.metadataHash = p.metadataHash;
        emit TaskCreated(taskId, msg.sender, p.token, p, rule, th);
        _fund(taskId, t, p.funding);
    }

    /// @inheritdoc IZkLabelEscrow
    function topUp(uint256 taskId, uint256 amount) external payable nonReentrant {
        Task storage t = _task(taskId);
        _checkOpen(taskId, t);
        if (amount == 0) revert InvalidFunding(0, _maxFunding(t));
        _fund(taskId, t, amount);
    }

    /// @inheritdoc IZkLabelEscrow
    function submitBatch(
        uint256 taskId,
        uint256 batchIndex,
        uint256[8] calldata proof,
        uint256[] calldata publicInputs
    ) external nonReentrant {
        Task storage t = _task(taskId);
        _submitChecked(t, taskId, batchIndex, publicInputs);
        // Effects above are undone by this revert if the proof is false.
        if (!_verify(t.rule, proof, publicInputs)) revert InvalidProof();
    }

    /// @inheritdoc IZkLabelEscrow
    function submitBatches(
        uint256 taskId,
        uint256[] calldata batchIndexes,
        uint256[8][] calldata proofs,
        uint256[] calldata publicInputs
    ) external nonReentrant {
        Task storage t = _task(taskId);
        uint256 k = batchIndexes.length;
        uint256 n = t.rule.publicInputCount;
        if (k == 0 || proofs.length != k) revert BatchListMismatch(k, proofs.length);
        if (publicInputs.length != k * n) revert WrongPublicInputCount(k * n, publicInputs.length);
        if (t.rule.batchVerifier == address(0)) revert BatchVerificationUnavailable(t.ruleId);
        for (uint256 i = 0; i < k; i++) {
            _submitChecked(t, taskId, batchIndexes[i], publicInputs[i * n:(i + 1) * n]);
        }
        // Effects above are undone by this revert if any proof is false.
        if (!_verifyBatch(t.rule.batchVerifier, proofs, publicInputs)) revert InvalidProof();
    }

    /// @inheritdoc IZkLabelEscrow
    function finalize(uint256 taskId, uint256[] calldata batchIndexes) external nonReentrant {
        Task storage t = _task(taskId);
        uint256 released;
        for (uint256 i = 0; i < batchIndexes.length; i++) {
            released += _finalizeOne(t, taskId, batchIndexes[i]);
        }
        t.reserved -= uint128(released);
    }

    /// @inheritdoc IZkLabelEscrow
    function cancel(uint256 taskId) external nonReentrant {
        Task storage t = _task(taskId);
        if (msg.sender != t.requester) revert NotRequester(taskId, msg.sender);
        _checkOpen(taskId, t);
        t.cancelled = true;
        uint256 amount = t.balance;
        t.balance = 0;
        emit TaskCancelled(taskId, amount);
        if (amount != 0) _send(t.token, msg.sender, amount);
    }

    /// @inheritdoc IZkLabelEscrow
    function refund(uint256 taskId) external nonReentrant {
        Task storage t = _task(taskId);
        if (msg.sender != t.requester) revert NotRequester(taskId, msg.sender);
        if (!t.cancelled && block.timestamp <= t.deadline) revert TaskStillOpen(taskId, t.deadline);
        uint256 amount = t.balance;
        if (amount == 0) revert NothingToWithdraw(t.token, msg.sender);
        t.balance = 0;
        emit TaskRefunded(taskId, msg.sender, amount);
        _send(t.token, msg.sender, amount);
    }

    /// @inheritdoc IZkLabelEscrow
    function withdraw(address token, address to) external nonReentrant {
        if (to == address(0)) revert ZeroAddress();
        uint256 amount = credits[token][msg.sender];
        if (amount == 0) revert NothingToWithdraw(token, msg.sender);
        credits[token][msg.sender] = 0;
        emit Withdrawal(token, msg.sender, to, amount);
        _send(token, to, amount);
    }

    /// @inheritdoc IZkLabelEscrow
    function getTask(uint256 taskId) external view returns (Task memory) {
        return _task(taskId);
    }

    /// @inheritdoc IZkLabelEscrow
    function batchState(
        uint256 taskId,
        uint256 batchIndex
    ) external view returns (BatchState state, PendingBatch memory pending) {
        uint256 record = _pending[taskId][batchIndex];
        if (record != 0) {
            return (
                BatchState.Pending,
                PendingBatch({
                    recipient: address(uint160(record)),
                    relayerFeeBps: uint16(record >> 160),
                    submittedAt: uint40(record >> 176),
                    count: uint16(record >> 216)
                })
            );
        }
        return (_isVerified(taskId, batchIndex) ? BatchState.Verified : BatchState.Open, pending);
    }

    /// @inheritdoc IZkLabelEscrow
    function isBatchAccepted(uint256 taskId, uint256 batchIndex) external view returns (bool) {
        return _isVerified(taskId, batchIndex);
    }

    /// @inheritdoc IZkLabelEscrow
    function batchCount(uint256 taskId) external view returns (uint256) {
        Task storage t = _task(taskId);
        return _batchCount(t.itemCount, t.rule.batchSize);
    }

    // ---------------------------------------------------------------- internals

    function _task(uint256 taskId) internal view returns (Task storage t) {
        t = _tasks[taskId];
        if (t.requester == address(0)) revert TaskNotFound(taskId);
    }

    function _isVerified(uint256 taskId, uint256 batchIndex) internal view returns (bool) {
        return _verified[taskId][batchIndex >> 8] & (uint256(1) << (batchIndex & 255)) != 0;
    }

    function _batchCount(uint256 itemCount, uint256 batchSize) internal pure returns (uint256) {
        return (itemCount + batchSize - 1) / batchSize;
    }

    function _maxFunding(Task storage t) internal view returns (uint256) {
        return uint256(t.itemCount) * t.rewardPerItem;
    }

    function _checkOpen(uint256 taskId, Task storage t) internal view {
        if (t.cancelled) revert TaskCancelledAlready(taskId);
        if (block.timestamp > t.deadline) revert TaskExpired(taskId, t.deadline);
    }

    /// @dev Every check of submitBatch before the balance and the proof, in the documented order;
    /// returns the batch's item count.
    function _checkBatch(
        Task storage t,
        uint256 taskId,
        uint256 batchIndex,
        uint256[] calldata publicInputs
    ) internal view returns (uint256 count) {
        if (publicInputs.length != t.rule.publicInputCount) {
            revert WrongPublicInputCount(t.rule.publicInputCount, publicInputs.length);
        }
        _checkOpen(taskId, t);
        uint256 n = t.rule.batchSize;
        uint256 batches = _batchCount(t.itemCount, n);
        if (batchIndex >= batches) revert BatchOutOfRange(batchIndex, batches);
        if (_isVerified(taskId, batchIndex)) revert BatchAlreadyAccepted(taskId, batchIndex);
        if (_pending[taskId][batchIndex] != 0) revert BatchIsPending(taskId, batchIndex);
        if (!groups.isValidRoot(t.workerGroupId, publicInputs[IN_GROUP_ROOT])) {
            revert UnknownGroupRoot(t.workerGroupId, publicInputs[IN_GROUP_ROOT]);
        }
        for (uint256 i = 0; i < publicInputs.length; i++) {
            if (publicInputs[i] >= SNARK_SCALAR_FIELD) revert NotInField(publicInputs[i]);
        }
        if (publicInputs[IN_TASK_HASH] != t.taskHash) revert WrongTask(t.taskHash, publicInputs[IN_TASK_HASH]);
        if (publicInputs[IN_BATCH_INDEX] != batchIndex)
            revert WrongBatchIndex(batchIndex, publicInputs[IN_BATCH_INDEX]);
        count = batchIndex + 1 < batches ? n : t.itemCount - batchIndex * n;
        if (publicInputs[IN_COUNT] != count) revert WrongCount(count, publicInputs[IN_COUNT]);
        uint256 recipientWord = publicInputs[IN_RECIPIENT];
        if (uint160(recipientWord) == 0 || recipientWord >> 176 != 0) revert InvalidRecipient(recipientWord);
        if (recipientWord >> 160 > FEE_DENOMINATOR) revert InvalidRelayerFee(recipientWord >> 160);
    }

    /// @dev Calls the rule's snarkjs verifier, whose public-input array length is fixed per circuit:
    /// calldata = selector, the eight proof words, the inputs (each one 32-byte word).
    function _verify(
        RuleVerifier storage rule,
        uint256[8] calldata proof,
        uint256[] calldata publicInputs
    ) internal view returns (bool) {
        bytes4 selector = bytes4(
            keccak256(
                abi.encodePacked(
                    "verifyProof(uint256[2],",
                    "uint256[2][2],uint256[2],",
                    "uint256[",
                    _decimal(rule.publicInputCount),
                    "])"
                )
            )
        );
        (bool ok, bytes memory ret) = rule.verifier.staticcall(abi.encodePacked(selector, proof, publicInputs));
        return ok && ret.length == 32 && abi.decode(ret, (bool));
    }

    /// @dev submitBatch without the proof check: checks, funds, acceptance, event.
    function _submitChecked(
        Task storage t,
        uint256 taskId,
        uint256 batchIndex,
        uint256[] calldata publicInputs
    ) internal {
        uint256 count = _checkBatch(t, taskId, batchIndex, publicInputs);
        uint256 reward = count * t.rewardPerItem;
        if (t.balance < reward) revert InsufficientTaskBalance(taskId, reward, t.balance);
        t.balance -= uint128(reward);
        uint256 fee = _accept(t, taskId, batchIndex, count, reward, publicInputs);
        _emitSubmitted(t, taskId, batchIndex, count, reward, fee, publicInputs);
    }

    function _verifyBatch(
        address batchVerifier,
        uint256[8][] calldata proofs,
        uint256[] calldata publicInputs
    ) internal view returns (bool) {
        try Groth16BatchVerifier(batchVerifier).verifyBatch(proofs, publicInputs) returns (bool ok) {
            return ok;
        } catch {
            return false;
        }
    }

    /// @dev Records an accepted batch: verified and paid at once without gold items, else pending
    /// (reserved) until finalize. Returns the relayer fee.
    function _accept(
        Task storage t,
        uint256 taskId,
        uint256 batchIndex,
        uint256 count,
        uint256 reward,
        uint256[] calldata publicInputs
    ) internal returns (uint256 fee) {
        uint256 recipientWord = publicInputs[IN_RECIPIENT];
        fee = (reward * (recipientWord >> 160)) / FEE_DENOMINATOR;
        if (t.challengeWindow == 0) {
            // No gold items: nothing can reject the batch, so it is verified at once.
            _verified[taskId][batchIndex >> 8] |= uint256(1) << (batchIndex & 255);
            _pay(taskId, batchIndex, t.token, address(uint160(recipientWord)), msg.sender, reward - fee, fee);
        } else {
            t.reserved += uint128(reward);
            _pending[taskId][batchIndex] = recipientWord | (block.timestamp << 176) | (count << 216);
            if (fee != 0) _pendingRelayer[taskId][batchIndex] = msg.sender;
            _pendingSeal[taskId][batchIndex] = keccak256(
                abi.encode(publicInputs[IN_NULLIFIER], publicInputs[IN_LABELS_COMMITMENT])
            );
        }
    }

    /// @dev Verifies one pending batch whose window has ended; returns the reward it releases.
    function _finalizeOne(Task storage t, uint256 taskId, uint256 b) internal returns (uint256 reward) {
        uint256 record = _pending[taskId][b];
        if (record == 0) revert BatchNotPending(taskId, b);
        uint256 endsAt = uint40(record >> 176) + uint256(t.challengeWindow);
        if (block.timestamp < endsAt) revert ChallengeWindowOpen(taskId, b, endsAt);
        reward = uint16(record >> 216) * uint256(t.rewardPerItem);
        uint256 fee = (reward * uint16(record >> 160)) / FEE_DENOMINATOR;
        address relayer;
        if (fee != 0) {
            relayer = _pendingRelayer[taskId][b];
            delete _pendingRelayer[taskId][b];
        }
        delete _pending[taskId][b];
        delete _pendingSeal[taskId][b];
        _verified[taskId][b >> 8] |= uint256(1) << (b & 255);
        _pay(taskId, b, t.token, address(uint160(record)), relayer, reward - fee, fee);
    }

    function _pay(
        uint256 taskId,
        uint256 batchIndex,
        address token,
        address recipient,
        address relayer,
        uint256 recipientAmount,
        uint256 relayerAmount
    ) internal {
        credits[token][recipient] += recipientAmount;
        if (relayerAmount != 0) credits[token][relayer] += relayerAmount;
        emit BatchVerified(taskId, batchIndex, recipient, relayer, recipientAmount, relayerAmount);
    }

    function _emitSubmitted(
        Task storage t,
        uint256 taskId,
        uint256 batchIndex,
        uint256 count,
        uint256 reward,
        uint256 fee,
        uint256[] calldata publicInputs
    ) internal {
        emit BatchSubmitted(
            taskId,
            batchIndex,
            address(uint160(publicInputs[IN_RECIPIENT])),
            msg.sender,
            count,
            reward,
            fee,
            block.timestamp + t.challengeWindow,
            publicInputs[IN_GROUP_ROOT],
            publicInputs[IN_NULLIFIER],
            publicInputs[IN_LABELS_COMMITMENT],
            [publicInputs[IN_EPK_X], publicInputs[IN_EPK_Y]],
            publicInputs[IN_CIPHERTEXT:]
        );
    }

    /// @dev Pulls `amount` of the task's token (ETH: checks msg.value) and adds it to the task's balance.
    function _fund(uint256 taskId, Task storage t, uint256 amount) internal {
        uint256 maximum = _maxFunding(t) - t.balance - t.reserved;
        if (amount == 0 || amount > maximum) revert InvalidFunding(amount, maximum);
        if (t.token == address(0)) {
            if (msg.value != amount) revert WrongEthAmount(amount, msg.value);
        } else {
            if (msg.value != 0) revert EthSentWithToken(msg.value);
            IERC20 token = IERC20(t.token);
            uint256 before = token.balanceOf(address(this));
            token.safeTransferFrom(msg.sender, address(this), amount);
            uint256 received = token.balanceOf(address(this)) - before;
            // Fee-on-transfer and rebasing tokens would break the accounting: refuse them.
            if (received != amount) revert UnsupportedToken(t.token, amount, received);
        }
        t.balance += uint128(amount);
        emit TaskFunded(taskId, msg.sender, amount, t.balance);
    }

    function _send(address token, address to, uint256 amount) internal {
        if (token == address(0)) {
            (bool ok, ) = payable(to).call{value: amount}("");
            if (!ok) revert TransferFailed(to, amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }

    function _checkTaskParams(TaskParams calldata p, RuleVerifier memory rule) internal view {
        if (p.itemCount == 0) revert EmptyDataset();
        uint256 capacity = uint256(1) << rule.datasetDepth;
        if (p.itemCount > capacity) revert DatasetTooLarge(p.itemCount, capacity);
        if (p.rewardPerItem == 0) revert ZeroReward();
        if (uint256(p.itemCount) * p.rewardPerItem > type(uint128).max) {
            revert InvalidFunding(uint256(p.itemCount) * p.rewardPerItem, type(uint128).max);
        }
        if (p.token != address(0) && p.token.code.length == 0) revert UnsupportedToken(p.token, 0, 0);
        if (p.deadline <= block.timestamp || p.deadline > type(uint40).max) {
            revert DeadlineInPast(p.deadline, block.timestamp);
        }
        if (p.datasetRoot >= SNARK_SCALAR_FIELD) revert NotInField(p.datasetRoot);
        if (p.goldRoot >= SNARK_SCALAR_FIELD) revert NotInField(p.goldRoot);
        bool gold = p.goldRoot != 0;
        if (
            gold != (p.challengeWindow != 0) ||
            p.challengeWindow > MAX_CHALLENGE_WINDOW ||
            p.minAccuracy > 100 ||
            (!gold && p.minAccuracy != 0)
        ) revert InvalidGoldSettings(p.goldRoot, p.minAccuracy, p.challengeWindow);
        _checkEncryptionKey(p.pkR[0], p.pkR[1]);
        _checkRuleParams(p.ruleId, p.ruleParams);
        if (p.workerGroupId >= groups.groupCount()) revert UnknownWorkerGroup(p.workerGroupId);
    }

    /// @dev taskHash = Poseidon(Poseidon(datasetRoot, ruleParamsHash, pkR.x, pkR.y),
    /// Poseidon(goldRoot, taskId, chainId, this)), ruleParamsHash = Poseidon(ruleId, params).
    function _taskHash(TaskParams calldata p, uint256 taskId) internal view returns (uint256) {
        uint256 ruleParamsHash = PoseidonT6.hash(
            [uint256(p.ruleId), p.ruleParams[0], p.ruleParams[1], p.ruleParams[2], p.ruleParams[3]]
        );
        return
            PoseidonT3.hash(
                [
                    PoseidonT5.hash([p.datasetRoot, ruleParamsHash, p.pkR[0], p.pkR[1]]),
                    PoseidonT5.hash([p.goldRoot, taskId, block.chainid, uint256(uint160(address(this)))])
                ]
            );
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

    /// @dev The parameter ranges each rule circuit assumes (docs/protocol.md decisions 5, 14, 15).
    function _checkRuleParams(uint8 ruleId, uint256[4] calldata p) internal pure {
        if (ruleId == RULE_CLASSIFICATION || ruleId == RULE_BOUNDING_BOX) {
            if (p[0] == 0 || p[0] > MAX_CLASSES) revert InvalidRuleParams(ruleId, 0, p[0]);
            if (p[1] == 0 || p[1] >> p[0] != 0) revert InvalidRuleParams(ruleId, 1, p[1]);
            if (ruleId == RULE_CLASSIFICATION) {
                if (p[2] != 0) revert InvalidRuleParams(ruleId, 2, p[2]);
                if (p[3] != 0) revert InvalidRuleParams(ruleId, 3, p[3]);
            } else {
                if (p[2] > 0xffff) revert InvalidRuleParams(ruleId, 2, p[2]);
                if (p[3] > 0xffff) revert InvalidRuleParams(ruleId, 3, p[3]);
            }
        } else {
            if (p[0] > 0xffff) revert InvalidRuleParams(ruleId, 0, p[0]);
            if (p[1] > 0xffff || p[1] < p[0]) revert InvalidRuleParams(ruleId, 1, p[1]);
            if (p[2] != 0) revert InvalidRuleParams(ruleId, 2, p[2]);
            if (p[3] != 0) revert InvalidRuleParams(ruleId, 3, p[3]);
        }
    }

    function _decimal(uint256 x) internal pure returns (bytes memory out) {
        if (x == 0) return "0";
        for (; x != 0; x /= 10) out = abi.encodePacked(bytes1(uint8(48 + (x % 10))), out);
    }
}
