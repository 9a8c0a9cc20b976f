// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title zkVerify aggregation receipt check
/// @notice The interface EVM consumers call on zkVerify's receipt contract: the same function, parameter
/// names and types as zkVerify publishes it (zkVerify/zkv-attestation-contracts,
/// contracts/interfaces/IVerifyProofAggregation.sol); only the comments and the pragma are ours.
/// The deployed receipt contracts (ZkVerifyAggregationGlobal behind a UUPS proxy, one address per chain,
/// listed by zkVerify) implement it; so does {ZkVerifyAggregationReceipts}, our local twin.
interface IVerifyProofAggregation {
    /// @notice Whether `_leaf` (a statement hash) is leaf `_index` of the `_leafCount`-leaf Merkle tree
    /// whose root was posted for (`_domainId`, `_aggregationId`). The tree is substrate's
    /// binary_merkle_tree over keccak256: the leaf is hashed once more, pairs are not sorted, and an odd
    /// last node is promoted. An aggregation never posted has root 0, which no path reaches (false).
    /// Reverts (IndexOutOfBounds) when `_index >= _leafCount`.
    function verifyProofAggregation(
        uint256 _domainId,
        uint256 _aggregationId,
        bytes32 _leaf,
        bytes32[] calldata _merklePath,
        uint256 _leafCount,
        uint256 _index
    ) external view returns (bool);
}
