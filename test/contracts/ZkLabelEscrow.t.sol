// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZkLabelEscrow} from "../../contracts/ZkLabelEscrow.sol";
import {IZkLabelEscrow} from "../../contracts/interfaces/IZkLabelEscrow.sol";
import {WorkerGroups} from "../../contracts/WorkerGroups.sol";
import {ClassificationWorkerN64D20G20Verifier} from "../../contracts/verifiers/ClassificationWorkerN64D20G20Verifier.sol";
import {TestBase} from "./Vm.sol";

contract ZkLabelEscrowTest is TestBase {
    ZkLabelEscrow internal escrow;
    WorkerGroups internal groups;
    uint256 internal constant INPUTS = 16;
    address internal constant REQUESTER = address(0xA11CE);
    uint256 internal constant FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    function setUp() public {
        groups = new WorkerGroups(1 hours);
        escrow = new ZkLabelEscrow(address(new ClassificationWorkerN64D20G20Verifier()), INPUTS, groups, 64, 20);
        vm.deal(REQUESTER, type(uint128).max);
    }

    function _params(uint32 items, uint128 reward) internal view returns (IZkLabelEscrow.TaskParams memory p) {
        p.datasetRoot = 123;
        p.ruleParams = [uint256(4), 7, 0, 0];
        // Base8, a valid BabyJubJub key.
        p.pkR = [
            uint256(5299619240641551281634865583518297030282874472190772894086521144482721001553),
            16950150798460657717958625567821834550301663161624707787222815936182638968203
        ];
        p.rewardPerItem = reward;
        p.deadline = uint64(block.timestamp + 1 days);
        p.itemCount = items;
    }

    function _create(uint32 items, uint128 reward) internal returns (uint256) {
        vm.prank(REQUESTER);
        return escrow.createTask{value: uint256(items) * reward}(_params(items, reward));
    }

    /// Funding must be exactly itemCount * reward, for any sizes that fit.
    function testFuzz_createTask_locksExactFunding(uint32 items, uint64 reward) public {
        vm.assume(items > 0 && items <= 1 << 20 && reward > 0);
        uint256 before = address(escrow).balance;
        uint256 id = _create(items, reward);
        assertEq(address(escrow).balance - before, uint256(items) * reward, "escrow balance");
        assertEq(escrow.getTask(id).balance, uint256(items) * reward, "task balance");
        assertEq(escrow.batchCount(id), (uint256(items) + 63) / 64, "batch count");
    }

    function testFuzz_createTask_rejectsWrongFunding(uint96 sent) public {
        vm.assume(sent != 100 * 1 gwei);
        vm.prank(REQUESTER);
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.WrongFunding.selector, 100 * 1 gwei, uint256(sent)));
        escrow.createTask{value: sent}(_params(100, 1 gwei));
    }

    function test_createTask_rejectsRootsOutsideTheField() public {
        IZkLabelEscrow.TaskParams memory p = _params(10, 1);
        p.datasetRoot = FIELD;
        vm.prank(REQUESTER);
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.NotInField.selector, FIELD));
        escrow.createTask{value: 10}(p);
    }

    function test_createTask_rejectsDatasetsLargerThanTheTree() public {
        vm.prank(REQUESTER);
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.DatasetTooLarge.selector, (1 << 20) + 1, 1 << 20));
        escrow.createTask{value: (1 << 20) + 1}(_params((1 << 20) + 1, 1));
    }

    function _inputs(uint256 id) internal returns (uint256[] memory inputs) {
        groups.joinOpenGroup(uint256(keccak256(abi.encode(id))) % FIELD);
        inputs = new uint256[](INPUTS);
        inputs[0] = escrow.getTask(id).taskHash;
        inputs[1] = groups.groupRoot(0);
        inputs[2] = 5; // nullifier
        inputs[4] = 64; // count of batch 0
        inputs[5] = uint256(uint160(address(this)));
        for (uint256 i = 6; i < INPUTS; i++) inputs[i] = i;
    }

    /// Whatever the proof words, a proof that was not made for these inputs does not verify.
    function testFuzz_submitBatch_rejectsGarbageProofs(uint256[8] memory proof) public {
        uint256 id = _create(100, 1 gwei);
        uint256[] memory inputs = _inputs(id);
        vm.expectRevert(IZkLabelEscrow.InvalidProof.selector);
        escrow.submitBatch(id, 0, proof, inputs);
        assertEq(escrow.credits(address(this)), 0, "nothing credited");
        assertTrue(!escrow.isNullifierUsed(5), "nullifier not spent");
    }

    function test_submitBatch_rejectsAWrongNumberOfInputs() public {
        uint256 id = _create(100, 1 gwei);
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.WrongPublicInputCount.selector, INPUTS, 5));
        escrow.submitBatch(id, 0, proof, new uint256[](5));
    }

    /// Any root the group never had is refused before the proof is even checked.
    function testFuzz_submitBatch_rejectsUnknownGroupRoots(uint256 root) public {
        uint256 id = _create(100, 1 gwei);
        uint256[] memory inputs = _inputs(id);
        vm.assume(root < FIELD && root != inputs[1]);
        inputs[1] = root;
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.UnknownGroupRoot.selector, 0, root));
        escrow.submitBatch(id, 0, proof, inputs);
    }

    function test_submitBatch_rejectsUnknownTasks() public {
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.TaskNotFound.selector, 42));
        escrow.submitBatch(42, 0, proof, new uint256[](INPUTS));
    }

    function test_constructor_refusesAVerifierWithoutCiphertext() public {
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.WrongPublicInputCount.selector, 10, 9));
        new ZkLabelEscrow(address(1), 9, groups, 64, 20);
    }

    function test_reclaim_returnsEverythingAfterTheDeadlineOnce() public {
        uint256 id = _create(100, 1 gwei);
        vm.warp(block.timestamp + 1 days + 1);
        uint256 before = REQUESTER.balance;
        vm.prank(REQUESTER);
        escrow.reclaim(id);
        assertEq(REQUESTER.balance - before, 100 gwei, "refund");
        assertEq(address(escrow).balance, 0, "escrow empty");
        vm.prank(REQUESTER);
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.NothingToWithdraw.selector, REQUESTER));
        escrow.reclaim(id);
    }

    function test_withdraw_refusesAnEmptyCredit() public {
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.NothingToWithdraw.selector, address(this)));
        escrow.withdraw(payable(address(this)));
    }
}
