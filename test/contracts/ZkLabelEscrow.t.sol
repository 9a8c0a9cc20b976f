// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZkLabelEscrow} from "../../contracts/ZkLabelEscrow.sol";
import {IZkLabelEscrow} from "../../contracts/interfaces/IZkLabelEscrow.sol";
import {IBatchVerifier} from "../../contracts/interfaces/IBatchVerifier.sol";
import {ClassificationN64D20Verifier} from "../../contracts/verifiers/ClassificationN64D20Verifier.sol";
import {TestBase} from "./Vm.sol";

contract ZkLabelEscrowTest is TestBase {
    ZkLabelEscrow internal escrow;
    address internal constant REQUESTER = address(0xA11CE);
    uint256 internal constant FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    function setUp() public {
        escrow = new ZkLabelEscrow(IBatchVerifier(address(new ClassificationN64D20Verifier())), 64, 20);
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

    function test_submitBatch_rejectsGarbageProofs() public {
        uint256 id = _create(100, 1 gwei);
        uint256 th = escrow.getTask(id).taskHash;
        uint256[8] memory proof;
        vm.expectRevert(IZkLabelEscrow.InvalidProof.selector);
        escrow.submitBatch(id, 0, proof, [th, 0, 64, uint256(uint160(address(this))), 1]);
    }

    function test_submitBatch_rejectsUnknownTasks() public {
        uint256[8] memory proof;
        uint256[5] memory inputs;
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.TaskNotFound.selector, 42));
        escrow.submitBatch(42, 0, proof, inputs);
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
