// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {InternalLeanIMT, LeanIMTData} from "@zk-kit/lean-imt.sol/InternalLeanIMT.sol";
import {IWorkerGroups} from "./interfaces/IWorkerGroups.sol";

/// @title Worker groups (LeanIMT with root history)
/// @notice See {IWorkerGroups}. The trees are computed like @zk-kit/lean-imt in TypeScript
/// (packages/core/src/group.ts), so a worker's membership proof matches the root stored here.
contract WorkerGroups is IWorkerGroups {
    using InternalLeanIMT for LeanIMTData;

    /// @notice The group anyone can join.
    uint256 public constant OPEN_GROUP = 0;
    /// @notice How long a replaced root stays valid, in seconds.
    uint256 public immutable rootGracePeriod;
    /// @inheritdoc IWorkerGroups
    uint256 public immutable groupCapacity;
    /// @notice Number of groups; ids are 0 .. groupCount - 1.
    uint256 public groupCount = 1;
    /// @inheritdoc IWorkerGroups
    uint256 public openGeneration;
    /// @notice Admin of each curated group (none for the open group, nor for a renounced one).
    mapping(uint256 groupId => address admin) public admins;
    /// @notice Who may accept a curated group's admin role (see transferGroupAdmin).
    mapping(uint256 groupId => address pendingAdmin) public pendingAdmins;

    /// @dev Curated group g's tree is _trees[g]; the open group's generation n is _trees[OPEN_TREES - n].
    mapping(uint256 treeKey => LeanIMTData tree) internal _trees;
    mapping(uint256 groupId => mapping(uint256 root => uint256 replacedAt)) internal _replacedAt;
    /// @dev Final roots of full open-group generations: they never change again, so they stay valid.
    mapping(uint256 root => bool) internal _fullOpenRoots;
    uint256 internal constant OPEN_TREES = type(uint256).max;

    /// @param rootGracePeriod_ Seconds a replaced root stays valid.
    /// @param maxDepth Depth of the largest tree the circuits accept (their GROUP_DEPTH): a tree holds
    /// at most 2^maxDepth members.
    constructor(uint256 rootGracePeriod_, uint8 maxDepth) {
        if (maxDepth == 0 || maxDepth > 32) revert GroupFull(OPEN_GROUP, 0);
        rootGracePeriod = rootGracePeriod_;
        groupCapacity = uint256(1) << maxDepth;
        emit GroupCreated(OPEN_GROUP, address(0));
    }

    modifier onlyAdmin(uint256 groupId) {
        if (groupId >= groupCount) revert GroupNotFound(groupId);
        if (admins[groupId] != msg.sender || groupId == OPEN_GROUP) revert NotGroupAdmin(groupId, msg.sender);
        _;
    }

    /// @inheritdoc IWorkerGroups
    function transferGroupAdmin(uint256 groupId, address newAdmin) external onlyAdmin(groupId) {
        pendingAdmins[groupId] = newAdmin;
        emit GroupAdminTransferStarted(groupId, msg.sender, newAdmin);
    }

    /// @inheritdoc IWorkerGroups
    function acceptGroupAdmin(uint256 groupId) external {
        if (groupId >= groupCount) revert GroupNotFound(groupId);
        if (groupId == OPEN_GROUP || pendingAdmins[groupId] != msg.sender || msg.sender == address(0)) {
            revert NotPendingGroupAdmin(groupId, msg.sender);
        }
        address previous = admins[groupId];
        admins[groupId] = msg.sender;
        delete pendingAdmins[groupId];
        emit GroupAdminChanged(groupId, previous, msg.sender);
    }

    /// @inheritdoc IWorkerGroups
    function renounceGroupAdmin(uint256 groupId) external onlyAdmin(groupId) {
        delete admins[groupId];
        delete pendingAdmins[groupId];
        emit GroupAdminChanged(groupId, msg.sender, address(0));
    }

    /// @inheritdoc IWorkerGroups
    function createGroup() external returns (uint256 groupId) {
        groupId = groupCount++;
        admins[groupId] = msg.sender;
        emit GroupCreated(groupId, msg.sender);
    }

    /// @inheritdoc IWorkerGroups
    function joinOpenGroup(uint256 identityCommitment) external {
        if (_trees[_treeKey(OPEN_GROUP)].size == groupCapacity) {
            uint256 previousRoot = _trees[_treeKey(OPEN_GROUP)]._root();
            uint256 generation = ++openGeneration;
            emit OpenGroupRolledOver(generation, previousRoot);
        }
        _add(OPEN_GROUP, identityCommitment);
    }

    /// @inheritdoc IWorkerGroups
    function addMember(uint256 groupId, uint256 identityCommitment) external onlyAdmin(groupId) {
        if (_trees[groupId].size == groupCapacity) revert GroupFull(groupId, groupCapacity);
        _add(groupId, identityCommitment);
    }

    /// @inheritdoc IWorkerGroups
    function updateMember(
        uint256 groupId,
        uint256 oldCommitment,
        uint256 newCommitment,
        uint256[] calldata siblings
    ) external onlyAdmin(groupId) {
        LeanIMTData storage tree = _trees[groupId];
        uint256 index = tree._indexOf(oldCommitment);
        uint256 oldRoot = tree._root();
        uint256 root = tree._update(oldCommitment, newCommitment, siblings);
        _replaced(groupId, oldRoot, root);
        emit MemberUpdated(groupId, index, oldCommitment, newCommitment, root);
    }

    /// @inheritdoc IWorkerGroups
    function removeMember(
        uint256 groupId,
        uint256 identityCommitment,
        uint256[] calldata siblings
    ) external onlyAdmin(groupId) {
        LeanIMTData storage tree = _trees[groupId];
        uint256 index = tree._indexOf(identityCommitment);
        uint256 oldRoot = tree._root();
        uint256 root = tree._remove(identityCommitment, siblings);
        _replaced(groupId, oldRoot, root);
        emit MemberRemoved(groupId, index, identityCommitment, root);
    }

    /// @inheritdoc IWorkerGroups
    function isValidRoot(uint256 groupId, uint256 root) external view returns (bool) {
        if (root == 0) return false;
        if (root == _trees[_treeKey(groupId)]._root()) return true;
        if (groupId == OPEN_GROUP && _fullOpenRoots[root]) return true;
        uint256 replacedAt = _replacedAt[groupId][root];
        return replacedAt != 0 && block.timestamp <= replacedAt + rootGracePeriod;
    }

    /// @inheritdoc IWorkerGroups
    function groupRoot(uint256 groupId) external view returns (uint256) {
        return _trees[_treeKey(groupId)]._root();
    }

    /// @inheritdoc IWorkerGroups
    function groupSize(uint256 groupId) external view returns (uint256) {
        return _trees[_treeKey(groupId)].size;
    }

    function _treeKey(uint256 groupId) internal view returns (uint256) {
        return groupId == OPEN_GROUP ? OPEN_TREES - openGeneration : groupId;
    }

    function _add(uint256 groupId, uint256 identityCommitment) internal {
        LeanIMTData storage tree = _trees[_treeKey(groupId)];
        uint256 index = tree.size;
        uint256 oldRoot = tree._root();
        uint256 root = tree._insert(identityCommitment);
        _replaced(groupId, oldRoot, root);
        if (groupId == OPEN_GROUP && index + 1 == groupCapacity) _fullOpenRoots[root] = true;
        emit MemberAdded(groupId, index, identityCommitment, root);
    }

    /// @dev The grace period of a root starts when it stops being current, not when it was created.
    function _replaced(uint256 groupId, uint256 oldRoot, uint256 newRoot) internal {
        if (oldRoot != 0) _replacedAt[groupId][oldRoot] = block.timestamp;
        delete _replacedAt[groupId][newRoot];
    }
}
