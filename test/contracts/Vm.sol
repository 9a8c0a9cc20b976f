// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The few cheatcodes the Solidity tests use. Not forge-std: the registry's forge-std (1.1.2, an unofficial
/// copy) keeps its files at the package root, while Hardhat 3 resolves forge-std/X.sol to src/X.sol, and its
/// Test.sol imports ds-test/test.sol, which it does not ship and the registry does not have (its Vm lacks envOr
/// and toString too). Upstream forge-std comes from GitHub only, which the build machines cannot reach.
interface Vm {
    function warp(uint256 timestamp) external;
    function prank(address sender) external;
    function deal(address account, uint256 balance) external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 selector) external;
    function assume(bool condition) external;
    function ffi(string[] calldata command) external returns (bytes memory);
    function envOr(string calldata name, string calldata defaultValue) external view returns (string memory);
    function toString(address value) external pure returns (string memory);
    function toString(uint256 value) external pure returns (string memory);
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
}

/// @notice The cheatcode handle at its standard address.
abstract contract WithVm {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
}

/// @notice Base of the test contracts: the cheatcodes and two assertions.
abstract contract TestBase is WithVm {
    function assertEq(uint256 a, uint256 b, string memory what) internal pure {
        require(a == b, what);
    }

    function assertTrue(bool condition, string memory what) internal pure {
        require(condition, what);
    }
}
