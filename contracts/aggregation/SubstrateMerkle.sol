// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Substrate binary Merkle tree (keccak256): path verification
/// @notice The tree of zkVerify's aggregation receipts, built by substrate's `binary_merkle_tree`
/// (paritytech/polkadot-sdk, substrate/utils/binary-merkle-tree, the version zkVerify pins):
/// - a leaf is hashed once more before it enters the tree: node = keccak256(leaf), 32 bytes in;
/// - an inner node is keccak256(left ‖ right) over 64 bytes, in position order (no sorting);
/// - the last node of a row with an odd number of nodes is promoted to the next row unchanged, and its
///   path gets no element for that row.
/// Our own code, with the semantics of zkVerify's contracts/lib/Merkle.sol `verifyProofKeccak`
/// (zkVerify/zkv-attestation-contracts), which the receipt contract {ZkVerifyAggregationReceipts} uses.
/// The TypeScript twin is `aggregationPath` / `verifyAggregationPath` in packages/sdk/src/aggregation.ts.
library SubstrateMerkle {
    /// @dev The leaf index is not below the leaf count (zkVerify's contract reverts; substrate returns false).
    error IndexOutOfBounds();

    /// @notice Whether `leaf` is leaf `leafIndex` of the `leafCount`-leaf tree with root `root`.
    /// @dev The loop runs once per path element. A node whose position is odd, or which is the last of its
    /// row, takes its sibling from the left: a node that is last in its row is last in every row above,
    /// and its next real sibling is always on its left, so levels where it was promoted (and that have no
    /// path element) need no visit. `leafCount` only decides the order of each pair.
    function verify(
        bytes32 root,
        bytes32[] calldata path,
        uint256 leafCount,
        uint256 leafIndex,
        bytes32 leaf
    ) internal pure returns (bool) {
        if (leafIndex >= leafCount) revert IndexOutOfBounds();
        bytes32 node = _hashLeaf(leaf);
        uint256 position = leafIndex;
        uint256 width = leafCount;
        for (uint256 i = 0; i < path.length; ++i) {
            node = (position & 1 == 1 || position + 1 == width) ? _hashPair(path[i], node) : _hashPair(node, path[i]);
            position >>= 1;
            width = ((width - 1) >> 1) + 1;
        }
        return node == root;
    }

    /// @dev keccak256 of the 32-byte leaf, in the scratch space.
    function _hashLeaf(bytes32 leaf) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore(0x00, leaf)
            h := keccak256(0x00, 0x20)
        }
    }

    /// @dev keccak256(left ‖ right), in the scratch space.
    function _hashPair(bytes32 left, bytes32 right) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore(0x00, left)
            mstore(0x20, right)
            h := keccak256(0x00, 0x40)
        }
    }
}
