// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Worker groups
/// @notice Anonymous worker groups: LeanIMTs of Semaphore identity commitments. Group 0 is open to
/// anyone; other groups are curated by their admin. A root stays usable for proofs for a grace period
/// counted from the moment it was replaced, so a proof made against the latest root is never refused
/// because the group changed while it was being made.
interface IWorkerGroups {
    event GroupCreated(uint256 indexed groupId, address indexed admin);
    event MemberAdded(uint256 indexed groupId, uint256 index, uint256 identityCommitment, uint256 root);
    event MemberUpdated(
        uint256 indexed groupId,
        uint256 index,
        uint256 oldCommitment,
        uint256 newCommitment,
        uint256 root
    );
    event MemberRemoved(uint256 indexed groupId, uint256 index, uint256 identityCommitment, uint256 root);

    error GroupNotFound(uint256 groupId);
    error NotGroupAdmin(uint256 groupId, address caller);

    /// @notice Creates a curated group administered by the caller.
    function createGroup() external returns (uint256 groupId);

    /// @notice Adds the caller's identity commitment to the open group 0.
    function joinOpenGroup(uint256 identityCommitment) external;

    /// @notice Adds a member to a curated group (admin only).
    function addMember(uint256 groupId, uint256 identityCommitment) external;

    /// @notice Replaces a member's commitment (admin only); siblings from the LeanIMT proof of the old one.
    function updateMember(
        uint256 groupId,
        uint256 oldCommitment,
        uint256 newCommitment,
        uint256[] calldata siblings
    ) external;

    /// @notice Removes a member (admin only); siblings from the LeanIMT proof of its commitment.
    function removeMember(uint256 groupId, uint256 identityCommitment, uint256[] calldata siblings) external;

    /// @notice True for the group's current root, and for a replaced root within the grace period.
    function isValidRoot(uint256 groupId, uint256 root) external view returns (bool);

    /// @notice The group's current root (0 while empty).
    function groupRoot(uint256 groupId) external view returns (uint256);

    /// @notice Number of groups; ids are 0 .. groupCount - 1.
    function groupCount() external view returns (uint256);

    /// @notice Number of leaves of the group's tree (removed members leave a 0 leaf).
    function groupSize(uint256 groupId) external view returns (uint256);
}
