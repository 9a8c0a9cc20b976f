// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZkLabelEscrow} from "../../contracts/ZkLabelEscrow.sol";
import {WorkerGroups} from "../../contracts/WorkerGroups.sol";
import {IZkLabelEscrow} from "../../contracts/interfaces/IZkLabelEscrow.sol";
import {IWorkerGroups} from "../../contracts/interfaces/IWorkerGroups.sol";
import {TestToken, FeeOnTransferToken} from "../../contracts/test/TestTokens.sol";
import {ClassificationWorkerN64D20G20Verifier} from "../../contracts/verifiers/ClassificationWorkerN64D20G20Verifier.sol";
import {ClassificationRejectN64D20Verifier} from "../../contracts/verifiers/ClassificationRejectN64D20Verifier.sol";
import {
    IN_TASK_HASH,
    IN_GROUP_ROOT,
    IN_NULLIFIER,
    IN_COUNT,
    IN_RECIPIENT,
    IN_EPK_X
} from "../../contracts/generated/PublicInputs.sol";
import {TestBase} from "./Vm.sol";

contract ZkLabelEscrowTest is TestBase {
    ZkLabelEscrow internal escrow;
    WorkerGroups internal groups;
    TestToken internal token;
    address internal constant REQUESTER = address(0xA11CE);
    uint256 internal constant FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint8 internal constant INPUTS = 13;
    /// The registry's classification entry, read once: a call inside createTask's arguments would take
    /// the vm.prank or vm.expectRevert meant for createTask.
    IZkLabelEscrow.RuleVerifier internal rule1;

    function setUp() public {
        groups = new WorkerGroups(1 hours, 20);
        escrow = new ZkLabelEscrow(IWorkerGroups(address(groups)), 2 days);
        escrow.setRuleVerifier(
            1,
            IZkLabelEscrow.RuleVerifier({
                verifier: address(new ClassificationWorkerN64D20G20Verifier()),
                batchSize: 64,
                datasetDepth: 20,
                publicInputCount: INPUTS,
                batchVerifier: address(0),
                rejectVerifier: address(new ClassificationRejectN64D20Verifier())
            })
        );
        rule1 = escrow.ruleVerifier(1);
        token = new TestToken();
        vm.deal(REQUESTER, type(uint128).max);
        token.mint(REQUESTER, type(uint128).max);
        vm.prank(REQUESTER);
        token.approve(address(escrow), type(uint256).max);
    }

    function _params(uint32 items, uint128 reward) internal view returns (IZkLabelEscrow.TaskParams memory p) {
        p.ruleId = 1;
        p.datasetRoot = 123;
        p.ruleParams = [uint256(4), 7, 0, 0];
        // Base8, a valid BabyJubJub key.
        p.pkR = [
            uint256(5299619240641551281634865583518297030282874472190772894086521144482721001553),
            16950150798460657717958625567821834550301663161624707787222815936182638968203
        ];
        // (8^-1 mod l) * Base8: its triple doubling is Base8.
        p.pkRDiv8 = [
            uint256(14983708237372537934307712296172313237814584764465642185306010953083014944823),
            2997955667916190954169357132153638145915367433663202014407885436612035056202
        ];
        p.rewardPerItem = reward;
        p.deadline = uint64(block.timestamp + 1 days);
        p.itemCount = items;
        p.funding = uint256(items) * reward;
    }

    function _create(IZkLabelEscrow.TaskParams memory p) internal returns (uint256) {
        vm.prank(REQUESTER);
        return escrow.createTask{value: p.token == address(0) ? p.funding : 0}(p, rule1);
    }

    /// Funding is held exactly, in ETH or in a token, for any sizes that fit.
    function testFuzz_createTask_locksExactFunding(uint32 items, uint64 reward, uint256 part, bool useToken) public {
        vm.assume(items > 0 && items <= 1 << 20 && reward > 0);
        IZkLabelEscrow.TaskParams memory p = _params(items, reward);
        p.funding = 1 + (part % p.funding);
        if (useToken) p.token = address(token);
        uint256 id = _create(p);
        uint256 held = useToken ? token.balanceOf(address(escrow)) : address(escrow).balance;
        assertEq(held, p.funding, "escrow holds the funding");
        assertEq(escrow.getTask(id).balance, p.funding, "task balance");
        assertEq(escrow.batchCount(id), (uint256(items) + 63) / 64, "batch count");
    }

    /// Top-ups add exactly what they bring; after a cancel's notice period the refund returns all of it
    /// and leaves the escrow empty.
    function testFuzz_topUpThenCancel_refundsEverything(uint64 reward, uint8 parts, bool useToken) public {
        vm.assume(reward > 0 && parts > 0);
        IZkLabelEscrow.TaskParams memory p = _params(100, reward);
        uint256 total = p.funding;
        uint256 step = total / (uint256(parts) + 1);
        vm.assume(step > 0);
        if (useToken) p.token = address(token);
        p.funding = step;
        uint256 id = _create(p);
        for (uint256 i = 0; i < parts; i++) {
            vm.prank(REQUESTER);
            escrow.topUp{value: useToken ? 0 : step}(id, step);
        }
        assertEq(escrow.getTask(id).balance, step * (uint256(parts) + 1), "balance after top-ups");
        uint256 before = useToken ? token.balanceOf(REQUESTER) : REQUESTER.balance;
        vm.prank(REQUESTER);
        escrow.cancel(id);
        vm.warp(block.timestamp + escrow.CANCEL_NOTICE() + 1);
        vm.prank(REQUESTER);
        escrow.refund(id);
        uint256 got = (useToken ? token.balanceOf(REQUESTER) : REQUESTER.balance) - before;
        assertEq(got, step * (uint256(parts) + 1), "refund");
        assertEq(useToken ? token.balanceOf(address(escrow)) : address(escrow).balance, 0, "escrow empty");
    }

    function testFuzz_createTask_rejectsWrongEth(uint96 sent) public {
        IZkLabelEscrow.TaskParams memory p = _params(100, 1 gwei);
        vm.assume(sent != p.funding);
        vm.prank(REQUESTER);
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.WrongEthAmount.selector, p.funding, uint256(sent)));
        escrow.createTask{value: sent}(p, rule1);
    }

    function test_createTask_refusesFeeOnTransferTokens() public {
        FeeOnTransferToken fot = new FeeOnTransferToken();
        fot.mint(REQUESTER, 1 ether);
        vm.prank(REQUESTER);
        fot.approve(address(escrow), 1 ether);
        IZkLabelEscrow.TaskParams memory p = _params(100, 1 gwei);
        p.token = address(fot);
        vm.prank(REQUESTER);
        vm.expectRevert(
            abi.encodeWithSelector(IZkLabelEscrow.UnsupportedToken.selector, address(fot), 100 gwei, 99 gwei)
        );
        escrow.createTask(p, rule1);
    }

    function test_createTask_rejectsRootsOutsideTheFieldAndOversizedDatasets() public {
        IZkLabelEscrow.TaskParams memory p = _params(10, 1);
        p.datasetRoot = FIELD;
        vm.prank(REQUESTER);
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.NotInField.selector, FIELD));
        escrow.createTask{value: 10}(p, rule1);
        p = _params((1 << 20) + 1, 1);
        vm.prank(REQUESTER);
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.DatasetTooLarge.selector, (1 << 20) + 1, 1 << 20));
        escrow.createTask{value: p.funding}(p, rule1);
    }

    function _inputs(uint256 id) internal returns (uint256[] memory inputs) {
        groups.joinOpenGroup(uint256(keccak256(abi.encode(id))) % FIELD);
        inputs = new uint256[](INPUTS);
        inputs[IN_TASK_HASH] = escrow.getTask(id).taskHash;
        inputs[IN_GROUP_ROOT] = groups.groupRoot(0);
        inputs[IN_NULLIFIER] = 5;
        inputs[IN_COUNT] = 64; // count of batch 0
        inputs[IN_RECIPIENT] = uint256(uint160(address(this)));
        for (uint256 i = IN_EPK_X; i < INPUTS; i++) inputs[i] = i;
    }

    /// Whatever the proof words, a proof that was not made for these inputs does not verify,
    /// and nothing is credited or reserved.
    function testFuzz_submitBatch_rejectsGarbageProofs(uint256[8] memory proof) public {
        uint256 id = _create(_params(100, 1 gwei));
        uint256[] memory inputs = _inputs(id);
        vm.expectRevert(IZkLabelEscrow.InvalidProof.selector);
        escrow.submitBatch(id, 0, proof, inputs);
        assertEq(escrow.credits(address(0), address(this)), 0, "nothing credited");
        assertEq(escrow.getTask(id).balance, 100 gwei, "nothing spent");
    }

    function test_submitBatch_rejectsAWrongNumberOfInputs() public {
        uint256 id = _create(_params(100, 1 gwei));
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.WrongPublicInputCount.selector, INPUTS, 5));
        escrow.submitBatch(id, 0, proof, new uint256[](5));
    }

    /// Any root the group never had is refused before the proof is even checked.
    function testFuzz_submitBatch_rejectsUnknownGroupRoots(uint256 root) public {
        uint256 id = _create(_params(100, 1 gwei));
        uint256[] memory inputs = _inputs(id);
        vm.assume(root != inputs[IN_GROUP_ROOT] && root < FIELD);
        inputs[IN_GROUP_ROOT] = root;
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.UnknownGroupRoot.selector, 0, root));
        escrow.submitBatch(id, 0, proof, inputs);
    }

    /// A relayer fee above 100% or a recipient word wider than 176 bits is refused.
    function testFuzz_submitBatch_rejectsBadRecipientWords(uint256 high) public {
        uint256 id = _create(_params(100, 1 gwei));
        uint256[] memory inputs = _inputs(id);
        uint256[8] memory proof;
        uint256 fee = 10_001 + (high % (type(uint16).max - 10_000));
        inputs[IN_RECIPIENT] = uint256(uint160(address(this))) | (fee << 160);
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.InvalidRelayerFee.selector, fee));
        escrow.submitBatch(id, 0, proof, inputs);
        inputs[IN_RECIPIENT] = uint256(uint160(address(this))) | (1 << 176);
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.InvalidRecipient.selector, inputs[IN_RECIPIENT]));
        escrow.submitBatch(id, 0, proof, inputs);
    }

    function test_submitBatch_rejectsUnknownTasks() public {
        uint256[8] memory proof;
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.TaskNotFound.selector, 42));
        escrow.submitBatch(42, 0, proof, new uint256[](INPUTS));
    }

    function test_refund_returnsEverythingAfterTheDeadlineOnce() public {
        uint256 id = _create(_params(100, 1 gwei));
        vm.warp(block.timestamp + 1 days + 1);
        uint256 before = REQUESTER.balance;
        vm.prank(REQUESTER);
        escrow.refund(id);
        assertEq(REQUESTER.balance - before, 100 gwei, "refund");
        assertEq(address(escrow).balance, 0, "escrow empty");
        vm.prank(REQUESTER);
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.NothingToWithdraw.selector, address(0), REQUESTER));
        escrow.refund(id);
    }

    function test_setRuleVerifier_isOwnerOnlyAndChecked() public {
        IZkLabelEscrow.RuleVerifier memory r = escrow.ruleVerifier(1);
        vm.prank(REQUESTER);
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", REQUESTER));
        escrow.setRuleVerifier(1, r);
        r.batchSize = 48;
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.InvalidRuleVerifier.selector, 1));
        escrow.setRuleVerifier(1, r);
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.RuleNotSupported.selector, 0));
        escrow.setRuleVerifier(0, r);
    }

    /// Any id but 0 may be registered, and the escrow reads no parameter slot by rule (decision 40):
    /// a slot is refused only when it is no field element.
    function testFuzz_createTask_anyRegisteredRuleAndFieldParams(uint8 ruleId, uint256[4] memory slots) public {
        vm.assume(ruleId != 0);
        for (uint256 i = 0; i < 4; i++) slots[i] = slots[i] % FIELD;
        if (ruleId != 1) escrow.setRuleVerifier(ruleId, rule1);
        IZkLabelEscrow.TaskParams memory p = _params(10, 1);
        p.ruleId = ruleId;
        p.ruleParams = slots;
        uint256 id = _create(p);
        assertEq(escrow.getTask(id).ruleId, ruleId, "the task keeps its rule id");
        p.ruleParams[ruleId % 4] = FIELD + ruleId;
        vm.prank(REQUESTER);
        vm.expectRevert(
            abi.encodeWithSelector(IZkLabelEscrow.InvalidRuleParams.selector, ruleId, ruleId % 4, FIELD + ruleId)
        );
        escrow.createTask{value: p.funding}(p, rule1);
    }

    function test_withdraw_refusesAnEmptyCredit() public {
        vm.expectRevert(abi.encodeWithSelector(IZkLabelEscrow.NothingToWithdraw.selector, address(0), address(this)));
        escrow.withdraw(address(0), address(this));
    }
}
