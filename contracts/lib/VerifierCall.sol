// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title The call to a snarkjs Groth16 verifier
/// @notice A snarkjs verifier's `verifyProof` has the circuit's public-input count in its signature
/// (`uint256[K]`), so its selector is built from K. Used by the escrow (rule and rejection verifiers) and by
/// the aggregated verifier (contracts/aggregation/AggregatedGroth16Verifier.sol).
library VerifierCall {
    /// @dev The selector of `verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[inputs])`.
    function verifySelector(uint256 inputs) internal pure returns (bytes4) {
        return
            bytes4(
                keccak256(
                    abi.encodePacked(
                        "verifyProof(uint256[2],",
                        "uint256[2][2],uint256[2],",
                        "uint256[",
                        decimal(inputs),
                        "])"
                    )
                )
            );
    }

    /// @dev `x` in decimal digits (ASCII).
    function decimal(uint256 x) internal pure returns (bytes memory out) {
        if (x == 0) return "0";
        for (; x != 0; x /= 10) out = abi.encodePacked(bytes1(uint8(48 + (x % 10))), out);
    }
}
