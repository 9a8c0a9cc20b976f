// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IZkLabelEscrow} from "../interfaces/IZkLabelEscrow.sol";
import {VerifierCall} from "../lib/VerifierCall.sol";
// The recipient word's position in the public input vector and where the ciphertext starts, generated from
// circuits/circuits.json.
import {IN_CIPHERTEXT, IN_RECIPIENT} from "../generated/PublicInputs.sol";
import {IVerifyProofAggregation} from "./IVerifyProofAggregation.sol";
import {ZkVerifyGroth16Statement} from "./ZkVerifyGroth16Statement.sol";

/// @title Groth16 verifier that also takes zkVerify aggregation receipts
/// @notice Registered as a rule's `verifier` in the escrow's rule registry, in place of the circuit's snarkjs
/// verifier. The escrow keeps doing everything it does for a direct proof (task binding by taskHash,
/// group root, nullifier, batch index, count, recipient word and relayer fee, balance): it builds and
/// checks the public inputs itself and asks this contract only "does the proof hold for them?".
/// - Direct proofs: `verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[K])`, the call the escrow makes,
///   is forwarded to the circuit's snarkjs verifier, so tasks of the rule take ordinary proofs as before.
/// - Aggregated proofs: `submitBatchAggregated` checks that the statement of the public inputs is in an
///   aggregation receipt of zkVerify (proof verified off the EVM, roots posted to the receipt contract),
///   marks that statement as proven in transient storage, submits the batch to the escrow with an empty
///   proof, and clears the mark: during that call the escrow's verifyProof for exactly those inputs answers
///   true.
/// What this adds to the trust in the direct path: zkVerify's consensus, and the receipt contract's
/// OPERATOR (posts roots), upgrader and admin roles, any of which can make a false statement look proven
/// for tasks of the rule (docs/verification-layers.md).
contract AggregatedGroth16Verifier {
    /// @notice Where a statement sits in a posted aggregation (zkverifyjs `getAggregateStatementPath`:
    /// `proof`, `numberOfLeaves`, `leafIndex`).
    struct AggregationInclusion {
        uint256 aggregationId;
        bytes32[] merklePath;
        uint256 leafCount;
        uint256 index;
    }

    /// @notice zkVerify's limit on a Groth16 proof's public inputs (the runtime's GROTH16_MAX_NUM_INPUTS).
    uint256 public constant MAX_PUBLIC_INPUTS = 64;

    /// @notice The circuit's snarkjs Groth16 verifier: direct proofs go to it.
    address public immutable directVerifier;
    /// @notice zkVerify's receipt contract on this chain (IVerifyProofAggregation).
    IVerifyProofAggregation public immutable receipts;
    /// @notice The zkVerify domain whose aggregations are accepted.
    uint256 public immutable domainId;
    /// @notice zkVerify's hash of the circuit's verification key: binds a statement to this circuit.
    bytes32 public immutable vkHash;
    /// @notice K, the circuit's number of public inputs.
    uint256 public immutable publicInputCount;
    /// @notice Selector of `verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[K])`.
    bytes4 public immutable verifySelector;
    /// @dev The mark (EIP-1153 transient storage, cleared at the end of the transaction at the latest):
    /// keccak256(escrow, statement) while submitBatchAggregated calls the escrow, else 0.
    bytes32 private transient _mark;

    /// @notice A batch went to `escrow` on the strength of statement `statement` of aggregation
    /// `aggregationId`; `submitter` sent it (and was sent the relayer fee, if any).
    event BatchSubmittedAggregated(
        address indexed escrow,
        uint256 indexed taskId,
        uint256 indexed batchIndex,
        bytes32 statement,
        uint256 aggregationId,
        address submitter
    );

    /// @notice A constructor argument is unusable: a verifier or receipt contract without code, or an input
    /// count outside (IN_CIPHERTEXT, MAX_PUBLIC_INPUTS].
    error InvalidConfiguration();
    /// @notice The public inputs are not K words.
    error WrongPublicInputCount(uint256 expected, uint256 given);
    /// @notice The receipt contract does not confirm `statement` at the given place of the aggregation
    /// (never posted, another root, a wrong path, index or leaf count).
    error StatementNotIncluded(uint256 domainId, uint256 aggregationId, bytes32 statement);
    /// @notice A relayer fee on a batch of a task with gold items: the escrow would credit this contract at
    /// finalize, long after the call, so the fee could not go to the submitter. Use a zero fee or a
    /// direct proof.
    error RelayerFeeOnPendingBatch(uint256 taskId, uint256 batchIndex);
    /// @notice A call this contract does not answer (another selector, or not K inputs).
    error UnsupportedCall(bytes4 selector);

    /// @param directVerifier_ The circuit's snarkjs verifier (direct proofs).
    /// @param receipts_ zkVerify's receipt contract on this chain (its proxy address, per chain as zkVerify
    /// publishes it), or a {ZkVerifyAggregationReceipts} for local use.
    /// @param domainId_ The zkVerify domain the proofs are aggregated in.
    /// @param vkHash_ zkVerify's hash of the circuit's verification key (SDK `groth16VkHash` of the
    /// vkey.json the direct verifier was generated from; check it against zkVerify's `vk_hash` RPC).
    /// @param publicInputCount_ K, the circuit's public input count (vkey.json nPublic).
    constructor(
        address directVerifier_,
        IVerifyProofAggregation receipts_,
        uint256 domainId_,
        bytes32 vkHash_,
        uint256 publicInputCount_
    ) {
        if (
            directVerifier_.code.length == 0 ||
            address(receipts_).code.length == 0 ||
            publicInputCount_ <= IN_CIPHERTEXT ||
            publicInputCount_ > MAX_PUBLIC_INPUTS
        ) revert InvalidConfiguration();
        directVerifier = directVerifier_;
        receipts = receipts_;
        domainId = domainId_;
        vkHash = vkHash_;
        publicInputCount = publicInputCount_;
        verifySelector = VerifierCall.verifySelector(publicInputCount_);
    }

    /// @notice Submits batch `batchIndex` of task `taskId` to `escrow` with a proof verified and aggregated by
    /// zkVerify: `inclusion` places the statement of `publicInputs` in an aggregation of `domainId` posted to
    /// `receipts`. The escrow then checks the batch exactly as for a direct proof and pays the recipient bound
    /// in the inputs. Anyone may send it (the recipient is in the statement, so a copy pays the same worker).
    /// A relayer fee in the recipient word is forwarded to the sender (tasks without gold items only).
    function submitBatchAggregated(
        IZkLabelEscrow escrow,
        uint256 taskId,
        uint256 batchIndex,
        uint256[] calldata publicInputs,
        AggregationInclusion calldata inclusion
    ) external {
        if (publicInputs.length != publicInputCount) {
            revert WrongPublicInputCount(publicInputCount, publicInputs.length);
        }
        bytes32 statement = ZkVerifyGroth16Statement.hash(vkHash, publicInputs);
        if (!_included(statement, inclusion)) revert StatementNotIncluded(domainId, inclusion.aggregationId, statement);
        // The escrow credits the relayer fee to its caller, this contract: pass it on in the same call.
        bool fee = publicInputs[IN_RECIPIENT] >> 160 != 0;
        address token;
        if (fee) {
            IZkLabelEscrow.Task memory t = escrow.getTask(taskId);
            if (t.challengeWindow != 0) revert RelayerFeeOnPendingBatch(taskId, batchIndex);
            token = t.token;
        }
        _mark = _markKey(address(escrow), statement);
        uint256[8] memory noProof;
        // A revert here reverts this whole call, the mark with it.
        escrow.submitBatch(taskId, batchIndex, noProof, publicInputs);
        _mark = 0;
        emit BatchSubmittedAggregated(
            address(escrow),
            taskId,
            batchIndex,
            statement,
            inclusion.aggregationId,
            msg.sender
        );
        if (fee && escrow.credits(token, address(this)) != 0) escrow.withdraw(token, msg.sender);
    }

    /// @notice zkVerify's statement hash of a Groth16 proof of this circuit with these public inputs.
    function statementHash(uint256[] calldata publicInputs) external view returns (bytes32) {
        return ZkVerifyGroth16Statement.hash(vkHash, publicInputs);
    }

    /// @notice `verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[K])`, the snarkjs verifier's call:
    /// true for the inputs whose statement submitBatchAggregated marked for the calling escrow, else the
    /// direct verifier's answer for the proof.
    // solhint-disable-next-line no-complex-fallback, payable-fallback
    fallback(bytes calldata input) external returns (bytes memory) {
        uint256 k = publicInputCount;
        if (msg.sig != verifySelector || input.length != 4 + 32 * (8 + k)) revert UnsupportedCall(msg.sig);
        bytes32 mark = _mark;
        // Inputs start after the selector and the eight proof words.
        if (mark != 0 && mark == _markKey(msg.sender, ZkVerifyGroth16Statement.hash(vkHash, 4 + 32 * 8, k))) {
            return abi.encode(true);
        }
        (bool ok, bytes memory ret) = directVerifier.staticcall(input);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return ret;
    }

    /// @dev The receipt contract's answer; a revert (IndexOutOfBounds for an index beyond the leaf count)
    /// counts as not included.
    function _included(bytes32 statement, AggregationInclusion calldata inc) internal view returns (bool) {
        try
            receipts.verifyProofAggregation(
                domainId,
                inc.aggregationId,
                statement,
                inc.merklePath,
                inc.leafCount,
                inc.index
            )
        returns (bool ok) {
            return ok;
        } catch {
            return false;
        }
    }

    /// @dev The mark binds the statement to the escrow it was submitted to: another contract the escrow
    /// argument named cannot pass it on to a real escrow.
    function _markKey(address escrow, bytes32 statement) internal pure returns (bytes32 key) {
        assembly ("memory-safe") {
            mstore(0x00, escrow)
            mstore(0x20, statement)
            key := keccak256(0x00, 0x40)
        }
    }
}
