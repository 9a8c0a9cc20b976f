// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {TaskSetup} from "./TaskSetup.sol";
import {Groth16BatchVerifier} from "./Groth16BatchVerifier.sol";
import {IWorkerGroups} from "./interfaces/IWorkerGroups.sol";
import {IZkLabelEscrow} from "./interfaces/IZkLabelEscrow.sol";
import {RuleRegistry} from "./RuleRegistry.sol";
import {VerifierCall} from "./lib/VerifierCall.sol";
// Positions in the public input vector, generated from circuits/circuits.json; the ciphertext runs to the end.
import {
    IN_TASK_HASH,
    IN_GROUP_ROOT,
    IN_NULLIFIER,
    IN_BATCH_INDEX,
    IN_COUNT,
    IN_RECIPIENT,
    IN_EPK_X,
    IN_EPK_Y,
    IN_LABELS_COMMITMENT,
    IN_CIPHERTEXT
} from "./generated/PublicInputs.sol";

/// @title zkLabel escrow
/// @notice Task lifecycle, anonymous batch submission against the worker groups, challenge window,
/// pull payments in ETH and ERC-20 tokens, withdrawn by the credited account or by a relayer with its
/// EIP-712 signature. See {IZkLabelEscrow} and docs/protocol.md.
contract ZkLabelEscrow is RuleRegistry, ReentrancyGuard, EIP712 {
    using SafeERC20 for IERC20;

    uint256 internal constant SNARK_SCALAR_FIELD = TaskSetup.SNARK_SCALAR_FIELD;
    /// @notice Longest challenge window a task may set.
    uint32 public constant MAX_CHALLENGE_WINDOW = TaskSetup.MAX_CHALLENGE_WINDOW;
    uint256 internal constant FEE_DENOMINATOR = 10_000;
    /// @notice Seconds between a cancel and the end of submissions (docs/protocol.md decision 31): longer
    /// than any submission can be kept out of blocks, so cancelling cannot beat one already in flight.
    uint256 public constant CANCEL_NOTICE = 1 hours;
    /// @dev EIP-712 type hash of {IZkLabelEscrow.Withdraw} (a constant: the string is hashed at compile time).
    // solhint-disable-next-line gas-small-strings
    bytes32 internal constant WITHDRAW_TYPEHASH = keccak256(
        "Withdraw(address token,address account,address to,uint256 amount,uint256 fee,address relayer,"
        "uint256 nonce,uint256 deadline)"
    );

    /// @notice Registry of worker groups whose roots proofs are checked against.
    IWorkerGroups public immutable groups;
    /// @notice Number of tasks created; the latest task's id.
    uint256 public taskCount;

    mapping(uint256 taskId => Task) internal _tasks;
    /// @dev One bit per verified batch: taskId => word index => bits.
    mapping(uint256 taskId => mapping(uint256 word => uint256 bits)) internal _verified;
    /// @dev Pending batches (tasks with gold items): recipientWord | submittedAt << 176 | count << 216.
    mapping(uint256 taskId => mapping(uint256 batchIndex => uint256 record)) internal _pending;
    /// @dev Relayer of a pending batch that pays a relayer fee.
    mapping(uint256 taskId => mapping(uint256 batchIndex => address relayer)) internal _pendingRelayer;
    /// @dev keccak256(nullifier, labelsCommitment) of a pending batch: what a rejection must present.
    mapping(uint256 taskId => mapping(uint256 batchIndex => bytes32 seal)) internal _pendingSeal;
    /// @dev Nullifiers of rejected batches: their worker cannot submit the batch again.
    mapping(uint256 nullifier => bool spent) internal _spentNullifiers;
    /// @inheritdoc IZkLabelEscrow
    mapping(address token => mapping(address account => uint256 amount)) public credits;
    /// @inheritdoc IZkLabelEscrow
    mapping(address account => uint256 nonce) public nonces;

    /// @param groups_ The worker group registry.
    /// @param ruleChangeDelay_ Seconds a replacement of a rule verifier is announced before it takes effect.
    /// The deployer owns the registry; ownership moves in two steps (transferOwnership, acceptOwnership).
    /// The EIP-712 domain of signed withdrawals is ("ZkLabelEscrow", "1", chain id, this address).
    constructor(
        IWorkerGroups groups_,
        uint256 ruleChangeDelay_
    ) Ownable(msg.sender) RuleRegistry(ruleChangeDelay_) EIP712("ZkLabelEscrow", "1") {
        groups = groups_;
    }

    /// @inheritdoc IZkLabelEscrow
    function createTask(
        TaskParams calldata p,
        RuleVerifier calldata expectedRule
    ) external payable nonReentrant returns (uint256 taskId) {
        _whenNotPaused();
        RuleVerifier memory rule = _rules[p.ruleId];
        if (rule.verifier == address(0)) revert RuleNotSupported(p.ruleId);
        if (keccak256(abi.encode(rule)) != keccak256(abi.encode(expectedRule))) {
            revert RuleVerifierMismatch(p.ruleId, rule.verifier, expectedRule.verifier);
        }
        taskId = ++taskCount;
        // The parameter checks and the task hash run in a linked library (code size): see TaskSetup.
        uint256 th = TaskSetup.checkAndHash(p, expectedRule, address(groups), taskId);
        Task storage t = _tasks[taskId];
        t.requester = msg.sender;
        t.deadline = uint40(p.deadline);
        t.itemCount = p.itemCount;
        t.minAccuracy = p.minAccuracy;
        t.goldThreshold = p.goldThreshold;
        t.token = p.token;
        t.workerGroupId = p.workerGroupId;
        t.challengeWindow = p.challengeWindow;
        t.rewardPerItem = p.rewardPerItem;
        t.ruleId = p.ruleId;
        t.closesAt = uint40(p.deadline);
        t.rule = rule;
        t.taskHash = th;
        t.goldRoot = p.goldRoot;
        t.pkR = p.pkR;
        t.metadataHash = p.metadataHash;
        t.datasetRoot = p.datasetRoot;
        emit TaskCreated(taskId, msg.sender, p.token, p, rule, th);
        _fund(taskId, t, p.funding);
    }

    /// @inheritdoc IZkLabelEscrow
    function topUp(uint256 taskId, uint256 amount) external payable nonReentrant {
        _whenNotPaused();
        Task storage t = _task(taskId);
        if (t.cancelled) revert TaskCancelledAlready(taskId);
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
        _whenNotPaused();
        Task storage t = _task(taskId);
        _submitChecked(t, taskId, batchIndex, publicInputs);
        // Effects above are undone by this revert if the proof is false.
        if (!_verify(t.rule, proof, publicInputs)) revert InvalidProof();
        _completeIfAllVerified(t, taskId);
    }

    /// @inheritdoc IZkLabelEscrow
    function submitBatches(
        uint256 taskId,
        uint256[] calldata batchIndexes,
        uint256[8][] calldata proofs,
        uint256[] calldata publicInputs
    ) external nonReentrant {
        _whenNotPaused();
        Task storage t = _task(taskId);
        uint256 k = batchIndexes.length;
        uint256 n = t.rule.publicInputCount;
        if (k == 0 || proofs.length != k) revert BatchListMismatch(k, proofs.length);
        if (publicInputs.length != k * n) revert WrongPublicInputCount(k * n, publicInputs.length);
        if (t.rule.batchVerifier == address(0)) revert BatchVerificationUnavailable(t.ruleId);
        // A batch accepted by an earlier transaction is skipped, not made to revert the others.
        bool[] memory skipped = new bool[](k);
        uint256 kept;
        for (uint256 i = 0; i < k; i++) {
            uint256 b = batchIndexes[i];
            if (_isVerified(taskId, b) || _pending[taskId][b] != 0) {
                skipped[i] = true;
                emit BatchSkipped(taskId, b);
                continue;
            }
            kept++;
            _submitChecked(t, taskId, b, publicInputs[i * n:(i + 1) * n]);
        }
        // Effects above are undone by these reverts if any proof is false.
        if (kept == k) {
            if (!_verifyBatch(t.rule.batchVerifier, proofs, publicInputs)) revert InvalidProof();
        } else if (kept != 0) {
            (uint256[8][] memory ps, uint256[] memory ins) = _without(skipped, kept, n, proofs, publicInputs);
            if (!_verifyBatch(t.rule.batchVerifier, ps, ins)) revert InvalidProof();
        }
        _completeIfAllVerified(t, taskId);
    }

    /// @inheritdoc IZkLabelEscrow
    function finalize(uint256 taskId, uint256[] calldata batchIndexes) external nonReentrant {
        Task storage t = _task(taskId);
        uint256 released;
        for (uint256 i = 0; i < batchIndexes.length; i++) {
            released += _finalizeOne(t, taskId, batchIndexes[i]);
        }
        t.reserved -= uint128(released);
        _completeIfAllVerified(t, taskId);
    }

    /// @inheritdoc IZkLabelEscrow
    function rejectBatch(
        uint256 taskId,
        uint256 batchIndex,
        uint256 nullifier,
        uint256 labelsCommitment,
        uint8 bound,
        uint256[8] calldata proof
    ) external nonReentrant {
        // The checks, the rejection proof and the state changes run in the linked library (code size).
        TaskSetup.reject(
            _task(taskId),
            _pending[taskId],
            _pendingSeal[taskId],
            _pendingRelayer[taskId],
            _spentNullifiers,
            TaskSetup.Rejection(taskId, batchIndex, nullifier, labelsCommitment, bound),
            proof
        );
    }

    /// @inheritdoc IZkLabelEscrow
    function isNullifierSpent(uint256 nullifier) external view returns (bool) {
        return _spentNullifiers[nullifier];
    }

    /// @inheritdoc IZkLabelEscrow
    function cancel(uint256 taskId) external nonReentrant {
        Task storage t = _task(taskId);
        if (msg.sender != t.requester) revert NotRequester(taskId, msg.sender);
        if (t.cancelled) revert TaskCancelledAlready(taskId);
        _checkOpen(taskId, t);
        uint256 closesAt = block.timestamp + CANCEL_NOTICE;
        if (closesAt > t.closesAt) closesAt = t.closesAt;
        t.cancelled = true;
        t.closesAt = uint40(closesAt);
        emit TaskCancelled(taskId, closesAt);
    }

    /// @inheritdoc IZkLabelEscrow
    function refund(uint256 taskId) external nonReentrant {
        Task storage t = _task(taskId);
        if (msg.sender != t.requester) revert NotRequester(taskId, msg.sender);
        if (block.timestamp <= t.closesAt) revert TaskStillOpen(taskId, t.closesAt);
        uint256 amount = t.balance;
        if (amount == 0) revert NothingToWithdraw(t.token, msg.sender);
        t.balance = 0;
        emit TaskRefunded(taskId, msg.sender, amount);
        _send(t.token, msg.sender, amount);
    }

    /// @inheritdoc IZkLabelEscrow
    function complete(uint256 taskId) external nonReentrant {
        Task storage t = _task(taskId);
        if (t.completed) revert TaskAlreadyComplete(taskId);
        if (block.timestamp <= t.closesAt) revert TaskStillOpen(taskId, t.closesAt);
        if (t.acceptedItems != t.verifiedItems) revert BatchesPending(taskId, t.acceptedItems - t.verifiedItems);
        if (t.verifiedItems == 0) revert NothingVerified(taskId);
        _complete(t, taskId);
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
    function withdrawWithSignature(Withdraw calldata w, bytes calldata signature) external nonReentrant {
        if (block.timestamp > w.deadline) revert SignatureExpired(w.deadline, block.timestamp);
        if (w.relayer != address(0) && w.relayer != msg.sender) revert WrongRelayer(w.relayer, msg.sender);
        if (w.to == address(0)) revert ZeroAddress();
        if (w.amount == 0) revert NothingToWithdraw(w.token, w.account);
        if (w.fee > w.amount) revert FeeAboveAmount(w.fee, w.amount);
        uint256 nonce = nonces[w.account];
        if (w.nonce != nonce) revert InvalidNonce(w.account, nonce, w.nonce);
        uint256 available = credits[w.token][w.account];
        if (w.amount > available) revert InsufficientCredit(w.token, w.account, w.amount, available);
        // Every field of `w` is a static word, so abi.encode(typehash, w) is EIP-712's encodeData.
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(WITHDRAW_TYPEHASH, w)));
        if (!SignatureChecker.isValidSignatureNowCalldata(w.account, digest, signature)) {
            revert InvalidSignature(w.account);
        }
        nonces[w.account] = nonce + 1;
        credits[w.token][w.account] = available - w.amount;
        if (w.fee != 0) credits[w.token][msg.sender] += w.fee;
        uint256 sent = w.amount - w.fee;
        emit Withdrawal(w.token, w.account, w.to, sent);
        emit WithdrawalRelayed(w.token, w.account, msg.sender, nonce, w.fee);
        _send(w.token, w.to, sent);
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

    /// @dev What the task may still need: the reward of every item not yet in an accepted batch, less
    /// what it holds unreserved (reserved funds already cover the pending batches' items).
    function _maxFunding(Task storage t) internal view returns (uint256) {
        uint256 unclaimed = uint256(t.itemCount - t.acceptedItems) * t.rewardPerItem;
        return unclaimed > t.balance ? unclaimed - t.balance : 0;
    }

    /// @dev Open: not past `closesAt` (the deadline, or the end of a cancel's notice period).
    function _checkOpen(uint256 taskId, Task storage t) internal view {
        if (block.timestamp > t.closesAt) {
            if (t.cancelled) revert TaskCancelledAlready(taskId);
            revert TaskExpired(taskId, t.deadline);
        }
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
        for (uint256 i = 0; i < publicInputs.length; i++) {
            if (publicInputs[i] >= SNARK_SCALAR_FIELD) revert NotInField(publicInputs[i]);
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
        if (publicInputs[IN_TASK_HASH] != t.taskHash) revert WrongTask(t.taskHash, publicInputs[IN_TASK_HASH]);
        // Only a rejection spends a nullifier, and only tasks with gold items have rejections.
        if (t.challengeWindow != 0 && _spentNullifiers[publicInputs[IN_NULLIFIER]]) {
            revert NullifierSpent(publicInputs[IN_NULLIFIER]);
        }
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
        bytes4 selector = VerifierCall.verifySelector(rule.publicInputCount);
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
        t.acceptedItems += uint32(count);
        uint256 fee = (reward * (publicInputs[IN_RECIPIENT] >> 160)) / FEE_DENOMINATOR;
        // Events in the order things happen: the batch is submitted, then (without gold items) verified.
        _emitSubmitted(t, taskId, batchIndex, count, reward, fee, publicInputs);
        _accept(t, taskId, batchIndex, count, reward, fee, publicInputs);
    }

    function _verifyBatch(
        address batchVerifier,
        uint256[8][] memory proofs,
        uint256[] memory publicInputs
    ) internal view returns (bool) {
        try Groth16BatchVerifier(batchVerifier).verifyBatch(proofs, publicInputs) returns (bool ok) {
            return ok;
        } catch {
            return false;
        }
    }

    /// @dev The proofs and public inputs of the batches not skipped (`kept` of them), in order.
    function _without(
        bool[] memory skipped,
        uint256 kept,
        uint256 n,
        uint256[8][] calldata proofs,
        uint256[] calldata publicInputs
    ) internal pure returns (uint256[8][] memory ps, uint256[] memory ins) {
        ps = new uint256[8][](kept);
        ins = new uint256[](kept * n);
        uint256 j;
        for (uint256 i = 0; i < skipped.length; i++) {
            if (skipped[i]) continue;
            ps[j] = proofs[i];
            for (uint256 w = 0; w < n; w++) ins[j * n + w] = publicInputs[i * n + w];
            j++;
        }
    }

    /// @dev Records an accepted batch: verified and paid at once without gold items, else pending
    /// (reserved) until finalize. `fee` is the relayer's share of `reward`.
    function _accept(
        Task storage t,
        uint256 taskId,
        uint256 batchIndex,
        uint256 count,
        uint256 reward,
        uint256 fee,
        uint256[] calldata publicInputs
    ) internal {
        uint256 recipientWord = publicInputs[IN_RECIPIENT];
        if (t.challengeWindow == 0) {
            // No gold items: nothing can reject the batch, so it is verified at once.
            _markVerified(t, taskId, batchIndex, count, _seal(publicInputs));
            _pay(taskId, batchIndex, t.token, address(uint160(recipientWord)), msg.sender, reward - fee, fee);
        } else {
            t.reserved += uint128(reward);
            _pending[taskId][batchIndex] = recipientWord | (block.timestamp << 176) | (count << 216);
            if (fee != 0) _pendingRelayer[taskId][batchIndex] = msg.sender;
            _pendingSeal[taskId][batchIndex] = _seal(publicInputs);
        }
    }

    /// @dev keccak256(abi.encode(nullifier, labelsCommitment)) of a submission.
    function _seal(uint256[] calldata publicInputs) internal pure returns (bytes32) {
        return keccak256(abi.encode(publicInputs[IN_NULLIFIER], publicInputs[IN_LABELS_COMMITMENT]));
    }

    /// @dev A batch became verified: counts its items and chains it into the task's batchesDigest.
    function _markVerified(Task storage t, uint256 taskId, uint256 b, uint256 count, bytes32 seal) internal {
        _verified[taskId][b >> 8] |= uint256(1) << (b & 255);
        t.verifiedItems += uint32(count);
        t.batchesDigest = keccak256(abi.encode(t.batchesDigest, b, seal));
    }

    function _completeIfAllVerified(Task storage t, uint256 taskId) internal {
        if (t.verifiedItems == t.itemCount && !t.completed) _complete(t, taskId);
    }

    function _complete(Task storage t, uint256 taskId) internal {
        t.completed = true;
        emit TaskCompleted(
            taskId,
            t.datasetRoot,
            t.ruleId,
            t.rule.verifier,
            t.itemCount,
            t.verifiedItems,
            t.batchesDigest
        );
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
        bytes32 seal = _pendingSeal[taskId][b];
        delete _pending[taskId][b];
        delete _pendingSeal[taskId][b];
        _markVerified(t, taskId, b, uint16(record >> 216), seal);
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
        uint256 maximum = _maxFunding(t);
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
}
