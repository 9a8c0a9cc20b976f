// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AggregatedGroth16Verifier} from "../aggregation/AggregatedGroth16Verifier.sol";
import {ZkVerifyGroth16Statement} from "../aggregation/ZkVerifyGroth16Statement.sol";
import {IZkLabelEscrow} from "../interfaces/IZkLabelEscrow.sol";

/// @notice Stands in for an escrow to watch AggregatedGroth16Verifier's transient mark (attack and
/// lifetime tests): what verifyProof answers during submitBatchAggregated's call, after it returned, and
/// after it reverted in the same transaction; and whether a contract named as the escrow can pass a
/// marked statement on to a real escrow.
contract AggregationMarkProbe {
    /// @notice 0: record what verifyProof answers; 1: the same, then revert with it; 2: pass the call on
    /// to `target` (a real escrow).
    uint8 public mode;
    address public target;
    /// @notice What verifyProof answered during the last submitBatch (mode 0).
    bool public seen;

    AggregatedGroth16Verifier public immutable adapter;

    /// @notice What run observed: during the escrow call, after it in the same transaction, whether it
    /// succeeded.
    event Probed(bool during, bool afterwards, bool succeeded);

    /// @notice Mode 1's revert, carrying what verifyProof answered inside.
    error SawMark(bool answer);

    constructor(AggregatedGroth16Verifier adapter_) {
        adapter = adapter_;
    }

    function setMode(uint8 mode_, address target_) external {
        mode = mode_;
        target = target_;
    }

    /// @notice The escrow's submitBatch, as the adapter calls it.
    function submitBatch(
        uint256 taskId,
        uint256 batchIndex,
        uint256[8] calldata proof,
        uint256[] calldata publicInputs
    ) external {
        if (mode == 2) {
            IZkLabelEscrow(target).submitBatch(taskId, batchIndex, proof, publicInputs);
            return;
        }
        bool answer = _ask(proof, publicInputs);
        if (mode == 1) revert SawMark(answer);
        seen = answer;
    }

    /// @notice Calls submitBatchAggregated with this contract as the escrow, then asks verifyProof again.
    function run(
        uint256[] calldata publicInputs,
        AggregatedGroth16Verifier.AggregationInclusion calldata inc
    ) external {
        bool succeeded;
        bool during;
        try adapter.submitBatchAggregated(IZkLabelEscrow(address(this)), 0, 0, publicInputs, inc) {
            succeeded = true;
            during = seen;
        } catch (bytes memory reason) {
            if (reason.length == 36 && bytes4(reason) == SawMark.selector) {
                during = abi.decode(_tail(reason), (bool));
            }
        }
        uint256[8] memory noProof;
        emit Probed(during, _ask(noProof, publicInputs), succeeded);
    }

    function _ask(uint256[8] memory proof, uint256[] calldata publicInputs) internal view returns (bool) {
        (bool ok, bytes memory ret) = address(adapter).staticcall(
            abi.encodePacked(adapter.verifySelector(), proof, publicInputs)
        );
        return ok && ret.length == 32 && abi.decode(ret, (bool));
    }

    function _tail(bytes memory reason) internal pure returns (bytes memory out) {
        out = new bytes(reason.length - 4);
        for (uint256 i = 0; i < out.length; ++i) out[i] = reason[i + 4];
    }

    /// @notice The statement library's hash with any vkHash and any number of inputs (test vectors).
    function statement(bytes32 vkHash, uint256[] calldata inputs) external pure returns (bytes32) {
        return ZkVerifyGroth16Statement.hash(vkHash, inputs);
    }
}
