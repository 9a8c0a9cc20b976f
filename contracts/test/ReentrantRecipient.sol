// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IZkLabelEscrow} from "../interfaces/IZkLabelEscrow.sol";

/// @notice A worker's payout address that tries to withdraw again while being paid (attack test).
contract ReentrantRecipient {
    IZkLabelEscrow public immutable escrow;
    /// @notice How many times the receive hook ran, and whether its re-entry succeeded.
    uint256 public calls;
    bool public reentered;

    constructor(IZkLabelEscrow escrow_) {
        escrow = escrow_;
    }

    /// @notice Withdraws this contract's ETH credit to itself.
    function withdrawToSelf() external {
        escrow.withdraw(address(0), address(this));
    }

    // The attack needs a receive hook that calls back into the escrow.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        calls++;
        try escrow.withdraw(address(0), address(this)) {
            reentered = true;
        } catch {}
    }
}
