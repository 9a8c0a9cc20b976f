// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Groth16 verifier of a rule circuit with five public inputs
/// @notice The shape of the verifiers that scripts/circuits/build.ts generates with snarkjs.
interface IBatchVerifier {
    /// @notice True when the proof is valid for these public signals (in circuits/circuits.json order).
    function verifyProof(
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint256[5] calldata pubSignals
    ) external view returns (bool);
}
