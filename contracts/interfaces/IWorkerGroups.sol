// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Worker groups
/// @notice Anonymous worker groups: LeanIMTs of Semaphore identity commitments. Group 0 is open to
/// anyone; other groups are curated by their admin. A root stays usable for proofs for a grace period
/// counted from the moment it was replaced, so a proof made against the latest root is never refused
/// because the group changed while it was being made.
/// A tree holds at most 2^maxDepth members (the circuits' group depth). A full open group rolls over:
/// joins go to a fresh tree (the next generation) while every full generation's final root stays valid,
/// so filling the open group with junk members locks nobody out. A curated group refuses members past
/// its capacity. The admin of a curated group decides who may work in it, its own identities included;
/// the role moves in two steps and can be renounced (which freezes the group).
interface IWorkerGroups {
    event GroupCreated(uint256 indexed groupId, address indexed admin);
    /// @notice `index` counts within the member's tree: for the open group, within its generation.
    event MemberAdded(uint256 indexed groupId, uint256 index, uint256 identityCommitment, uint256 root);
    /// @notice The open group's generation `generation - 1` is full (final root `previousRoot`, valid for
    /// good); new members join generation `generation`, an empty tree.
    event OpenGroupRolledOver(uint256 generation, uint256 previousRoot);
    event GroupAdminTransferStarted(uint256 indexed groupId, address indexed admin, address indexed pendingAdmin);
    /// @notice The admin changed (to address 0 when renounced: the group is frozen).
    event GroupAdminChanged(uint256 indexed groupId, address indexed previousAdmin, address indexed newAdmin);
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
    error NotPendingGroupAdmin(uint256 groupId, address caller);
    error GroupFull(uint256 groupId, uint256 capacity);

    /// @notice Creates a curated group administered by the caller.
    function createGroup() external returns (uint256 groupId);

    /// @notice Adds the caller's identity commitment to the open group 0.
    function joinOpenGroup(uint256 identityCommitment) external;

    /// @notice Adds a member to a curated group (admin only); refused past the group's capacity.
    function addMember(uint256 groupId, uint256 identityCommitment) external;

    /// @notice Admin only: offers the admin role to `newAdmin`, who takes it with acceptGroupAdmin.
    function transferGroupAdmin(uint256 groupId, address newAdmin) external;

    /// @notice The pending admin takes the role.
    function acceptGroupAdmin(uint256 groupId) external;

    /// @notice Admin only: gives the role up for good; the group's members then never change.
    function renounceGroupAdmin(uint256 groupId) external;

    /// @notice Replaces a member's commitment (admin only); siblings from the LeanIMT proof of the old one.
    function updateMember(
        uint256 groupId,
        uint256 oldCommitment,
        uint256 newCommitment,
        uint256[] calldata siblings
    ) external;

    /// @notice Removes a member (admin only); siblings from the LeanIMT proof of its commitment.
    function removeMember(uint256 groupId, uint256 identityCommitment, uint256[] calldata siblings) external;

    /// @notice True for the group's current root, for a replaced root within the grace period, and for
    /// the final root of a full generation of the open group.
    function isValidRoot(uint256 groupId, uint256 root) external view returns (bool);

    /// @notice The group's current root (0 while empty); for the open group, its current generation's.
    function groupRoot(uint256 groupId) external view returns (uint256);

    /// @notice Number of groups; ids are 0 .. groupCount - 1.
    function groupCount() external view returns (uint256);

    /// @notice Members a tree may hold (2^maxDepth).
    function groupCapacity() external view returns (uint256);

    /// @notice The open group's current generation (0 until it first fills up).
    function openGeneration() external view returns (uint256);

    /// @notice Number of leaves of the group's tree (removed members leave a 0 leaf); for the open group,
    /// of its current generation.
    function groupSize(uint256 groupId) external view returns (uint256);
}
