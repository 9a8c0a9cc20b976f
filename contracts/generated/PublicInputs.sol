// SPDX-License-Identifier: MIT
// Generated from circuits/circuits.json by scripts/circuits/gen-layout.ts.
// Do not edit: run `node scripts/circuits/gen-layout.ts`.
pragma solidity ^0.8.28;

// Positions in the public input vector of every deployed worker proof:
//   classification_worker_n64_d20_g20
//   bbox_worker_n64_d20_g20
//   sensor_worker_n32_d20_t16_g20
//   spans_worker_n32_d20_g20
//   polygon_worker_n32_d20_g20
// (circuits/circuits.json order, arrays flattened in place).

/// @dev taskHash
uint256 constant IN_TASK_HASH = 0;

/// @dev groupRoot
uint256 constant IN_GROUP_ROOT = 1;

/// @dev nullifier
uint256 constant IN_NULLIFIER = 2;

/// @dev batchIndex
uint256 constant IN_BATCH_INDEX = 3;

/// @dev count
uint256 constant IN_COUNT = 4;

/// @dev recipient
uint256 constant IN_RECIPIENT = 5;

/// @dev epk[2], one constant per element.
uint256 constant IN_EPK_X = 6;
uint256 constant IN_EPK_Y = 7;

/// @dev labelsCommitment
uint256 constant IN_LABELS_COMMITMENT = 8;

/// @dev ciphertext: from here to the end of the vector (its length follows the circuit's parameters).
uint256 constant IN_CIPHERTEXT = 9;

// Positions in the public input vector of every deployed gold rejection:
//   classification_reject_n64_d20
//   bbox_reject_n64_d20
//   polygon_reject_n32_d20

/// @dev goldRoot
uint256 constant REJECT_IN_GOLD_ROOT = 0;

/// @dev batchIndex
uint256 constant REJECT_IN_BATCH_INDEX = 1;

/// @dev count
uint256 constant REJECT_IN_COUNT = 2;

/// @dev labelsCommitment
uint256 constant REJECT_IN_LABELS_COMMITMENT = 3;

/// @dev bound
uint256 constant REJECT_IN_BOUND = 4;

/// @dev goldThreshold
uint256 constant REJECT_IN_GOLD_THRESHOLD = 5;

/// @dev The length of a rejection's public input vector.
uint256 constant REJECT_INPUTS = 6;
