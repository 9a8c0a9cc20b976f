// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IVerifyProofAggregation} from "./IVerifyProofAggregation.sol";
import {SubstrateMerkle} from "./SubstrateMerkle.sol";

/// @title zkVerify aggregation receipts (local twin)
/// @notice Mirrors zkVerify's EVM receipt contract for local deployment and tests: the same functions,
/// event, role and semantics as `ZkVerifyAggregationGlobal` / `ZkVerifyAggregation` of
/// zkVerify/zkv-attestation-contracts (contracts/abstract/ZkVerifyAggregationBase.sol,
/// contracts/ZkVerifyAggregation.sol, contracts/lib/Merkle.sol) for what EVM consumers use: the
/// operator posts the Merkle root of each aggregation of a domain (`submitAggregation`,
/// `submitAggregationBatchByDomainId`), and `verifyProofAggregation` checks a statement's path to it.
/// Differences, none of which a consumer calls: not upgradeable (no UUPS proxy, no UPGRADER_ROLE, a
/// constructor instead of `initialize`), no ISMP `onAccept` (roots come from the operator only), and
/// OpenZeppelin 5 AccessControl, whose refusal is the custom error `AccessControlUnauthorizedAccount`
/// where the deployed contract (OpenZeppelin 4) reverts with an "AccessControl: account ... is missing
/// role ..." string. Whoever holds OPERATOR decides what counts as proven: see docs/verification-layers.md.
contract ZkVerifyAggregationReceipts is AccessControl, IVerifyProofAggregation {
    /// @notice The role that posts aggregation roots: keccak256("OPERATOR"), as in zkVerify's contract.
    bytes32 public constant OPERATOR = keccak256("OPERATOR");

    /// @notice Root of each posted aggregation: domainId => aggregationId => Merkle root (0: not posted).
    mapping(uint256 => mapping(uint256 => bytes32)) public proofsAggregations;

    /// @notice A root was posted (or replaced: a later post overwrites, as in zkVerify's contract).
    event AggregationPosted(
        uint256 indexed _domainId,
        uint256 indexed _aggregationId,
        bytes32 indexed _proofsAggregation
    );

    /// @notice submitAggregationBatchByDomainId got lists of different lengths.
    error InvalidBatchCounts();

    /// @param operator Gets OPERATOR; the deployer gets DEFAULT_ADMIN_ROLE and may grant or revoke it.
    constructor(address operator) {
        _grantRole(DEFAULT_ADMIN_ROLE, msg.sender);
        _grantRole(OPERATOR, operator);
    }

    /// @notice Posts the root of aggregation `_aggregationId` of domain `_domainId` (OPERATOR only).
    function submitAggregation(
        uint256 _domainId,
        uint256 _aggregationId,
        bytes32 _proofsAggregation
    ) external onlyRole(OPERATOR) {
        _registerAggregation(_domainId, _aggregationId, _proofsAggregation);
    }

    /// @notice Posts several roots of one domain (OPERATOR only).
    function submitAggregationBatchByDomainId(
        uint256 _domainId,
        uint256[] calldata _aggregationIds,
        bytes32[] calldata _proofsAggregations
    ) external onlyRole(OPERATOR) {
        if (_aggregationIds.length != _proofsAggregations.length) revert InvalidBatchCounts();
        for (uint256 i = 0; i < _aggregationIds.length; ++i) {
            _registerAggregation(_domainId, _aggregationIds[i], _proofsAggregations[i]);
        }
    }

    /// @inheritdoc IVerifyProofAggregation
    function verifyProofAggregation(
        uint256 _domainId,
        uint256 _aggregationId,
        bytes32 _leaf,
        bytes32[] calldata _merklePath,
        uint256 _leafCount,
        uint256 _index
    ) external view returns (bool) {
        return
            SubstrateMerkle.verify(
                proofsAggregations[_domainId][_aggregationId],
                _merklePath,
                _leafCount,
                _index,
                _leaf
            );
    }

    function _registerAggregation(uint256 _domainId, uint256 _aggregationId, bytes32 _proofsAggregation) internal {
        proofsAggregations[_domainId][_aggregationId] = _proofsAggregation;
        emit AggregationPosted(_domainId, _aggregationId, _proofsAggregation);
    }
}
