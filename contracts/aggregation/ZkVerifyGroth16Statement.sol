// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title zkVerify statement hash of a Groth16 proof
/// @notice What zkVerify puts in an aggregation for a verified Groth16 proof (zkVerify/zkVerify,
/// pallets/verifiers `compute_statement_hash`; the EVM side in zkv-attestation-contracts
/// contracts/verifiers/ZkVerifyGroth16.sol `statementHash`):
///   keccak256(PROVING_SYSTEM_ID ‖ vkHash ‖ VERSION_HASH ‖ keccak256(LE32(x_0) ‖ ... ‖ LE32(x_{k-1})))
/// with PROVING_SYSTEM_ID = keccak256("groth16"), VERSION_HASH = sha256("") (the pallet's
/// NO_VERSION_HASH: sha256, not keccak) and each public input as 32 bytes little-endian (arkworks'
/// encoding of a BN254 scalar). `vkHash` is zkVerify's hash of the verification key:
/// keccak256 of its SCALE encoding (`groth16VkHash` in packages/sdk/src/aggregation.ts).
library ZkVerifyGroth16Statement {
    /// @dev keccak256("groth16"), the groth16 pallet's hash_context_data.
    bytes32 internal constant PROVING_SYSTEM_ID = 0x359ae2ccd87b570b49c699e3bb41c0b958bf229c8058a3dd04bd8ee2ac22c2a0;
    /// @dev sha256(""), the verifier version hash of every groth16 proof.
    bytes32 internal constant VERSION_HASH = 0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855;

    /// @notice The statement of `count` public inputs that start at calldata offset `inputsOffset` (one
    /// 32-byte word each, big-endian as the EVM holds them).
    /// @dev Works on calldata in place: the byte-swapped inputs go to free memory (not allocated), are
    /// hashed, and the 128-byte preimage of the statement is written over them.
    function hash(bytes32 vkHash, uint256 inputsOffset, uint256 count) internal pure returns (bytes32 statement) {
        bytes32 systemId = PROVING_SYSTEM_ID;
        bytes32 version = VERSION_HASH;
        assembly ("memory-safe") {
            let buf := mload(0x40)
            for {
                let i := 0
            } lt(i, count) {
                i := add(i, 1)
            } {
                // Reverse the 32 bytes of the word: swap bytes, 2-byte, 4-byte, 8-byte and 16-byte halves.
                let x := calldataload(add(inputsOffset, shl(5, i)))
                x := or(
                    shr(8, and(x, 0xff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00)),
                    shl(8, and(x, 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff))
                )
                x := or(
                    shr(16, and(x, 0xffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000)),
                    shl(16, and(x, 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff))
                )
                x := or(
                    shr(32, and(x, 0xffffffff00000000ffffffff00000000ffffffff00000000ffffffff00000000)),
                    shl(32, and(x, 0x00000000ffffffff00000000ffffffff00000000ffffffff00000000ffffffff))
                )
                x := or(
                    shr(64, and(x, 0xffffffffffffffff0000000000000000ffffffffffffffff0000000000000000)),
                    shl(64, and(x, 0x0000000000000000ffffffffffffffff0000000000000000ffffffffffffffff))
                )
                x := or(shr(128, x), shl(128, x))
                mstore(add(buf, shl(5, i)), x)
            }
            let inputsHash := keccak256(buf, shl(5, count))
            mstore(buf, systemId)
            mstore(add(buf, 0x20), vkHash)
            mstore(add(buf, 0x40), version)
            mstore(add(buf, 0x60), inputsHash)
            statement := keccak256(buf, 0x80)
        }
    }

    /// @notice The statement of a calldata array of public inputs.
    function hash(bytes32 vkHash, uint256[] calldata inputs) internal pure returns (bytes32 statement) {
        uint256 offset;
        assembly ("memory-safe") {
            offset := inputs.offset
        }
        return hash(vkHash, offset, inputs.length);
    }
}
