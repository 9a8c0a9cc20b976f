// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IZkLabelEscrow} from "./interfaces/IZkLabelEscrow.sol";
// The ciphertext's first position in the public input vector, generated from circuits/circuits.json.
import {IN_CIPHERTEXT} from "./generated/PublicInputs.sol";

/// @title zkLabel rule registry
/// @notice The owner's table of rule verifiers that tasks copy when they are created. The registry knows
/// no rule by name: any id but 0 may be registered, and what a rule's parameters may be is enforced by
/// the rule's circuit (no proof exists for parameters outside the rule) and checked by its rule module on
/// both clients before a task is posted or worked on (docs/protocol.md, decision 40). A replacement of a
/// registered entry waits `ruleChangeDelay` seconds, and tasks keep the entry they were created with.
abstract contract RuleRegistry is IZkLabelEscrow, Ownable2Step {
    /// @notice The id no rule has: a TaskParams with it names no rule.
    uint8 public constant NO_RULE = 0;
    /// @notice Seconds between the announcement of a rule verifier's replacement and its effect.
    uint256 public immutable ruleChangeDelay;

    mapping(uint8 ruleId => RuleVerifier) internal _rules;
    mapping(uint8 ruleId => RuleVerifier) internal _scheduledRules;
    mapping(uint8 ruleId => uint256 effectiveAt) internal _ruleEffectiveAt;
    /// @inheritdoc IZkLabelEscrow
    bool public paused;

    constructor(uint256 ruleChangeDelay_) {
        ruleChangeDelay = ruleChangeDelay_;
    }

    /// @inheritdoc IZkLabelEscrow
    function setRuleVerifier(uint8 ruleId, RuleVerifier calldata rule) external onlyOwner {
        if (ruleId == NO_RULE) revert RuleNotSupported(ruleId);
        if (
            rule.verifier.code.length == 0 ||
            rule.batchSize < 2 ||
            rule.batchSize & (rule.batchSize - 1) != 0 ||
            rule.datasetDepth > 32 ||
            (uint256(1) << rule.datasetDepth) < rule.batchSize ||
            rule.publicInputCount <= IN_CIPHERTEXT ||
            (rule.batchVerifier != address(0) && rule.batchVerifier.code.length == 0) ||
            (rule.rejectVerifier != address(0) && rule.rejectVerifier.code.length == 0)
        ) revert InvalidRuleVerifier(ruleId);
        if (_rules[ruleId].verifier == address(0)) {
            _setRule(ruleId, rule);
            return;
        }
        uint256 effectiveAt = block.timestamp + ruleChangeDelay;
        _scheduledRules[ruleId] = rule;
        _ruleEffectiveAt[ruleId] = effectiveAt;
        emit RuleVerifierScheduled(
            ruleId,
            rule.verifier,
            rule.batchSize,
            rule.datasetDepth,
            rule.publicInputCount,
            rule.batchVerifier,
            rule.rejectVerifier,
            effectiveAt
        );
    }

    /// @inheritdoc IZkLabelEscrow
    function applyRuleVerifier(uint8 ruleId) external {
        uint256 effectiveAt = _ruleEffectiveAt[ruleId];
        if (effectiveAt == 0) revert NoRuleChangeScheduled(ruleId);
        if (block.timestamp < effectiveAt) revert RuleChangeNotDue(ruleId, effectiveAt);
        RuleVerifier memory rule = _scheduledRules[ruleId];
        delete _scheduledRules[ruleId];
        delete _ruleEffectiveAt[ruleId];
        _setRule(ruleId, rule);
    }

    /// @inheritdoc IZkLabelEscrow
    function cancelRuleVerifierChange(uint8 ruleId) external onlyOwner {
        if (_ruleEffectiveAt[ruleId] == 0) revert NoRuleChangeScheduled(ruleId);
        delete _scheduledRules[ruleId];
        delete _ruleEffectiveAt[ruleId];
        emit RuleVerifierChangeCancelled(ruleId);
    }

    /// @inheritdoc IZkLabelEscrow
    function setPaused(bool paused_) external onlyOwner {
        paused = paused_;
        emit PauseSet(paused_);
    }

    /// @dev Reverts while the emergency pause is on: guards what adds obligations, never what settles them.
    function _whenNotPaused() internal view {
        if (paused) revert EscrowPaused();
    }

    /// @notice The verifier currently registered for a rule (verifier 0 when none).
    function ruleVerifier(uint8 ruleId) external view returns (RuleVerifier memory) {
        return _rules[ruleId];
    }

    /// @notice A scheduled replacement of a rule's verifier and when it may take effect (0: none).
    function scheduledRuleVerifier(uint8 ruleId) external view returns (RuleVerifier memory rule, uint256 effectiveAt) {
        return (_scheduledRules[ruleId], _ruleEffectiveAt[ruleId]);
    }

    function _setRule(uint8 ruleId, RuleVerifier memory rule) internal {
        _rules[ruleId] = rule;
        emit RuleVerifierSet(
            ruleId,
            rule.verifier,
            rule.batchSize,
            rule.datasetDepth,
            rule.publicInputCount,
            rule.batchVerifier,
            rule.rejectVerifier
        );
    }
}
