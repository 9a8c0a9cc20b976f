// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IZkLabelEscrow} from "../interfaces/IZkLabelEscrow.sol";

/// @notice A worker's payout address (and a requester) that calls back into the escrow while it is being
/// paid (attack test). Each configured re-entry is a call that would succeed on its own; the test checks
/// that every one of them is refused by the re-entrancy guard, not by some other check.
contract ReentrantRecipient {
    IZkLabelEscrow public immutable escrow;
    /// @notice How many times the receive hook ran, and whether any re-entry succeeded.
    uint256 public calls;
    bool public reentered;
    bytes[] internal _attempts;
    uint256[] internal _values;
    bytes[] internal _results;

    constructor(IZkLabelEscrow escrow_) {
        escrow = escrow_;
    }

    /// @notice The escrow calls to try during the next payout (default: withdraw again), with the ETH each sends.
    function setAttempts(bytes[] calldata attempts, uint256[] calldata values) external {
        delete _attempts;
        delete _values;
        for (uint256 i = 0; i < attempts.length; i++) {
            _attempts.push(attempts[i]);
            _values.push(values[i]);
        }
    }

    /// @notice The revert data of each attempt of the last payout ("" when the attempt succeeded).
    function results() external view returns (bytes[] memory) {
        return _results;
    }

    /// @notice Withdraws this contract's ETH credit to itself.
    function withdrawToSelf() external {
        escrow.withdraw(address(0), address(this));
    }

    /// @notice Acts on the escrow as this contract (a requester's createTask, cancel or refund).
    function act(bytes calldata data) external payable {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = address(escrow).call{value: msg.value}(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }

    // The attack needs a receive hook that calls back into the escrow.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        calls++;
        if (calls > 1) return;
        delete _results;
        if (_attempts.length == 0) {
            try escrow.withdraw(address(0), address(this)) {
                reentered = true;
            } catch {}
            return;
        }
        for (uint256 i = 0; i < _attempts.length; i++) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory ret) = address(escrow).call{value: _values[i]}(_attempts[i]);
            if (ok) reentered = true;
            _results.push(ok ? bytes("") : ret);
        }
    }
}
