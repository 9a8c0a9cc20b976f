// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice A verifier that accepts every proof: what a malicious registry owner would register (attack test).
contract AlwaysTrueVerifier {
    // solhint-disable-next-line no-complex-fallback, payable-fallback
    fallback(bytes calldata) external returns (bytes memory) {
        return abi.encode(true);
    }
}
