// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PoseidonT3} from "poseidon-solidity/PoseidonT3.sol";
import {PoseidonT5} from "poseidon-solidity/PoseidonT5.sol";
import {PoseidonT6} from "poseidon-solidity/PoseidonT6.sol";
import {IWorkerGroups} from "./interfaces/IWorkerGroups.sol";
import {IZkLabelEscrow} from "./interfaces/IZkLabelEscrow.sol";
import {VerifierCall} from "./lib/VerifierCall.sol";
// Positions in the rejection circuit's public input vector, generated from circuits/circuits.json.
import {
    REJECT_IN_GOLD_ROOT,
    REJECT_IN_BATCH_INDEX,
    REJECT_IN_COUNT,
    REJECT_IN_LABELS_COMMITMENT,
    REJECT_IN_BOUND,
    REJECT_IN_GOLD_THRESHOLD,
    REJECT_INPUTS
} from "./generated/PublicInputs.sol";

/// @title A new task's parameter checks and task hash, and the gold rejection of a pending batch
/// @notice What createTask checks of a requester's TaskParams and the taskHash it stores, and the whole of
/// rejectBatch, in a library of their own: `checkAndHash` and `reject` are external, so this code is
/// deployed once beside the escrow and runs by DELEGATECALL in the escrow's context (address(this) is the
/// escrow, msg.sender the escrow's caller, storage the escrow's), which keeps the escrow under the
/// 24,576-byte code limit (docs/protocol.md decisions 42 and 47). It reverts with the escrow's custom
/// errors and emits the escrow's events.
library TaskSetup {
    /// @notice rejectBatch's arguments other than the proof (docs/protocol.md §5.6).
    struct Rejection {
        uint256 taskId;
        uint256 batchIndex;
        uint256 nullifier;
        uint256 labelsCommitment;
        uint8 bound;
    }

    uint256 internal constant SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @dev Longest challenge window a task may set (the escrow's MAX_CHALLENGE_WINDOW).
    uint32 internal constant MAX_CHALLENGE_WINDOW = 30 days;

    /// @notice Checks a new task's parameters against its rule entry (in the documented order: dataset
    /// size, reward, funding bound, token, deadline, roots, gold settings, encryption key, rule
    /// parameters, worker group) and returns its taskHash.
    function checkAndHash(
        IZkLabelEscrow.TaskParams calldata p,
        IZkLabelEscrow.RuleVerifier calldata rule,
        address groups,
        uint256 taskId
    ) external view returns (uint256) {
        // `address`, not IWorkerGroups, in the external signature: a library's ABI names a contract
        // parameter by its type name, which ABI tools (Ignition's, for one) warn they cannot parse.
        _checkTaskParams(p, rule, IWorkerGroups(groups));
        return _taskHash(p, taskId);
    }

    /// @notice rejectBatch (requester only, inside the batch's challenge window): checks the seal, the bound
    /// and the rejection proof on inputs built from storage, then returns the reward to the task, reopens
    /// the batch and spends its nullifier. `pending`, `seals` and `relayers` are the task's rows of the
    /// escrow's pending-batch mappings.
    function reject(
        IZkLabelEscrow.Task storage t,
        mapping(uint256 => uint256) storage pending,
        mapping(uint256 => bytes32) storage seals,
        mapping(uint256 => address) storage relayers,
        mapping(uint256 => bool) storage spentNullifiers,
        Rejection calldata r,
        uint256[8] calldata proof
    ) external {
        if (msg.sender != t.requester) revert IZkLabelEscrow.NotRequester(r.taskId, msg.sender);
        uint256 record = pending[r.batchIndex];
        if (record == 0) revert IZkLabelEscrow.BatchNotPending(r.taskId, r.batchIndex);
        uint256 endsAt = uint40(record >> 176) + uint256(t.challengeWindow);
        if (block.timestamp >= endsAt) revert IZkLabelEscrow.ChallengeWindowClosed(r.taskId, r.batchIndex, endsAt);
        if (seals[r.batchIndex] != keccak256(abi.encode(r.nullifier, r.labelsCommitment))) {
            revert IZkLabelEscrow.WrongBatchSeal(r.taskId, r.batchIndex);
        }
        if (r.bound == 0 || r.bound > t.minAccuracy)
            revert IZkLabelEscrow.InvalidRejectionBound(r.bound, t.minAccuracy);
        uint256 count = uint16(record >> 216);
        uint256[REJECT_INPUTS] memory inputs;
        inputs[REJECT_IN_GOLD_ROOT] = t.goldRoot;
        inputs[REJECT_IN_BATCH_INDEX] = r.batchIndex;
        inputs[REJECT_IN_COUNT] = count;
        inputs[REJECT_IN_LABELS_COMMITMENT] = r.labelsCommitment;
        inputs[REJECT_IN_BOUND] = r.bound;
        inputs[REJECT_IN_GOLD_THRESHOLD] = t.goldThreshold;
        bytes4 selector = VerifierCall.verifySelector(REJECT_INPUTS);
        (bool ok, bytes memory ret) = t.rule.rejectVerifier.staticcall(abi.encodePacked(selector, proof, inputs));
        if (!(ok && ret.length == 32 && abi.decode(ret, (bool)))) revert IZkLabelEscrow.InvalidProof();
        uint256 reward = count * uint256(t.rewardPerItem);
        delete pending[r.batchIndex];
        delete seals[r.batchIndex];
        delete relayers[r.batchIndex];
        spentNullifiers[r.nullifier] = true;
        t.reserved -= uint128(reward);
        t.balance += uint128(reward);
        t.acceptedItems -= uint32(count);
        emit IZkLabelEscrow.BatchRejected(r.taskId, r.batchIndex, r.nullifier, r.labelsCommitment, r.bound, reward);
    }

    function _checkTaskParams(
        IZkLabelEscrow.TaskParams calldata p,
        IZkLabelEscrow.RuleVerifier calldata rule,
        IWorkerGroups groups
    ) internal view {
        if (p.itemCount == 0) revert IZkLabelEscrow.EmptyDataset();
        uint256 capacity = uint256(1) << rule.datasetDepth;
        if (p.itemCount > capacity) revert IZkLabelEscrow.DatasetTooLarge(p.itemCount, capacity);
        if (p.rewardPerItem == 0) revert IZkLabelEscrow.ZeroReward();
        if (uint256(p.itemCount) * p.rewardPerItem > type(uint128).max) {
            revert IZkLabelEscrow.InvalidFunding(uint256(p.itemCount) * p.rewardPerItem, type(uint128).max);
        }
        if (p.token != address(0) && p.token.code.length == 0) revert IZkLabelEscrow.UnsupportedToken(p.token, 0, 0);
        if (p.deadline <= block.timestamp || p.deadline > type(uint40).max) {
            revert IZkLabelEscrow.DeadlineInPast(p.deadline, block.timestamp);
        }
        if (p.datasetRoot >= SNARK_SCALAR_FIELD) revert IZkLabelEscrow.NotInField(p.datasetRoot);
        if (p.goldRoot >= SNARK_SCALAR_FIELD) revert IZkLabelEscrow.NotInField(p.goldRoot);
        bool gold = p.goldRoot != 0;
        if (
            gold != (p.challengeWindow != 0) ||
            (gold && rule.rejectVerifier == address(0)) ||
            p.challengeWindow > MAX_CHALLENGE_WINDOW ||
            p.minAccuracy > 100 ||
            p.goldThreshold > 100 ||
            (!gold && (p.minAccuracy != 0 || p.goldThreshold != 0))
        ) revert IZkLabelEscrow.InvalidGoldSettings(p.goldRoot, p.minAccuracy, p.goldThreshold, p.challengeWindow);
        _checkEncryptionKey(p.pkR, p.pkRDiv8);
        _checkRuleParams(p.ruleId, p.ruleParams);
        if (p.workerGroupId >= groups.groupCount()) revert IZkLabelEscrow.UnknownWorkerGroup(p.workerGroupId);
    }

    /// @dev taskHash = Poseidon(Poseidon(datasetRoot, ruleParamsHash, pkR.x, pkR.y),
    /// Poseidon(goldRoot, taskId, chainId, this)), ruleParamsHash = Poseidon(ruleId, params).
    function _taskHash(IZkLabelEscrow.TaskParams calldata p, uint256 taskId) internal view returns (uint256) {
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

    /// @dev Each parameter slot is a field element, so a parameter vector means in the circuit exactly what
    /// the task shows. What else the slots may hold is the rule's own (decision 40): its circuit admits no
    /// proof outside the rule, and its rule module refuses such a task on both clients.
    function _checkRuleParams(uint8 ruleId, uint256[4] calldata p) internal pure {
        for (uint256 i = 0; i < 4; i++) {
            if (p[i] >= SNARK_SCALAR_FIELD) revert IZkLabelEscrow.InvalidRuleParams(ruleId, i, p[i]);
        }
    }

    /// @dev pkR must lie in BabyJubJub's prime-order subgroup and not be the identity (x = 0: the
    /// circuit's ECDH would yield (0, 1) and anyone could decrypt). A key with a small-order part
    /// (skR * Base8 + T, T of order 2, 4 or 8) would let a worker prove a ciphertext the requester can
    /// decrypt only one time in eight. The whole curve group has order 8 * l, so 8 * Q lies in the
    /// subgroup for every curve point Q: the requester supplies Q = pkRDiv8 and the check is three
    /// doublings (projective, no inversion) instead of a 251-bit multiplication by l.
    function _checkEncryptionKey(uint256[2] calldata pkR, uint256[2] calldata q) internal pure {
        uint256 x = pkR[0];
        uint256 y = pkR[1];
        if (x == 0 || x >= SNARK_SCALAR_FIELD || y >= SNARK_SCALAR_FIELD || !_onCurve(q[0], q[1])) {
            revert IZkLabelEscrow.InvalidEncryptionKey(x, y);
        }
        uint256 p = SNARK_SCALAR_FIELD;
        (uint256 qx, uint256 qy, uint256 qz) = (q[0], q[1], 1);
        for (uint256 i = 0; i < 3; i++) (qx, qy, qz) = _double(qx, qy, qz);
        if (mulmod(x, qz, p) != qx || mulmod(y, qz, p) != qy) revert IZkLabelEscrow.InvalidEncryptionKey(x, y);
    }

    /// @dev a x^2 + y^2 = 1 + d x^2 y^2 with BabyJubJub's a = 168700, d = 168696 (coordinates below p).
    function _onCurve(uint256 x, uint256 y) internal pure returns (bool) {
        uint256 p = SNARK_SCALAR_FIELD;
        if (x >= p || y >= p) return false;
        uint256 x2 = mulmod(x, x, p);
        uint256 y2 = mulmod(y, y, p);
        return addmod(mulmod(168700, x2, p), y2, p) == addmod(1, mulmod(mulmod(168696, x2, p), y2, p), p);
    }

    /// @dev Projective doubling on a twisted Edwards curve (dbl-2008-bbjlp, a = 168700). Complete on
    /// BabyJubJub (d is not a square), so Z never becomes 0 for a point on the curve.
    function _double(uint256 x, uint256 y, uint256 z) internal pure returns (uint256, uint256, uint256) {
        uint256 p = SNARK_SCALAR_FIELD;
        uint256 b = mulmod(addmod(x, y, p), addmod(x, y, p), p);
        uint256 c = mulmod(x, x, p);
        uint256 d = mulmod(y, y, p);
        uint256 e = mulmod(168700, c, p);
        uint256 f = addmod(e, d, p);
        uint256 j = addmod(f, p - mulmod(2, mulmod(z, z, p), p), p);
        uint256 x3 = mulmod(addmod(b, p - addmod(c, d, p), p), j, p);
        return (x3, mulmod(f, addmod(e, p - d, p), p), mulmod(f, j, p));
    }
}
