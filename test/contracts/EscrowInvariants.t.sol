// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZkLabelEscrow} from "../../contracts/ZkLabelEscrow.sol";
import {WorkerGroups} from "../../contracts/WorkerGroups.sol";
import {IZkLabelEscrow} from "../../contracts/interfaces/IZkLabelEscrow.sol";
import {IWorkerGroups} from "../../contracts/interfaces/IWorkerGroups.sol";
import {TestToken} from "../../contracts/test/TestTokens.sol";
import {ClassificationWorkerN64D20G20Verifier} from "../../contracts/verifiers/ClassificationWorkerN64D20G20Verifier.sol";
import {ClassificationRejectN64D20Verifier} from "../../contracts/verifiers/ClassificationRejectN64D20Verifier.sol";
import {ClassificationWorkerN64D20G20BatchVerifier} from "../../contracts/verifiers/ClassificationWorkerN64D20G20BatchVerifier.sol";
import {IN_COUNT, IN_RECIPIENT, IN_NULLIFIER, IN_LABELS_COMMITMENT} from "../../contracts/generated/PublicInputs.sol";
import {TestBase, WithVm} from "./Vm.sol";

/// @notice Real proofs from scripts/fixtures/invariant-proofs.ts (through the ffi cheatcode).
struct FixtureProof {
    uint256 taskId;
    uint256 batchIndex;
    uint256[8] proof;
    uint256[] publicInputs;
}

/// @notice The requester's rejection of a blind worker's proof (proofs[proofIndex]).
struct FixtureRejection {
    uint256 proofIndex;
    uint8 bound;
    uint256[8] proof;
}

struct Fixture {
    uint256[] commitments;
    uint256 datasetRoot;
    uint256[2] pkR;
    uint256[2] pkRDiv8;
    uint256 goldRoot;
    FixtureProof[] proofs;
    FixtureRejection[] rejections;
}

/// @notice What the invariant fuzzer calls: every money-moving action of the escrow, with ghost
/// accounting of what each account must have been credited.
contract EscrowHandler is WithVm {
    ZkLabelEscrow internal immutable escrow;
    TestToken internal immutable token;
    address internal immutable requester;
    address internal immutable loader;
    uint256 internal constant TASKS = 3;
    uint256 internal constant REWARD = 1 gwei;

    /// @dev The payees' private keys (scripts/fixtures/invariant-proofs.ts INVARIANT_PAYEES): accounts[0], [1].
    uint256[2] internal keys = [uint256(0xbeef), 0xcafe];
    /// @dev Where signed withdrawals send their amount net of the fee.
    address internal constant SINK = address(0x5171);
    /// @dev EIP-712 hashes, written out here rather than read from the escrow.
    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant WITHDRAW_TYPEHASH = keccak256(
        "Withdraw(address token,address account,address to,uint256 amount,uint256 fee,address relayer,"
        "uint256 nonce,uint256 deadline)"
    );

    FixtureProof[] internal proofs;
    FixtureRejection[] internal rejections;
    address[] public accounts;
    /// @notice token => account => credited by verified batches and by relayer fees of signed withdrawals
    /// (independent of the escrow's books).
    mapping(address => mapping(address => uint256)) public ghostCredited;
    /// @notice token => account => taken from the account's credit by withdraw and signed withdrawals.
    mapping(address => mapping(address => uint256)) public ghostWithdrawn;
    /// @notice Signed withdrawals that went through, per account (its nonce must equal this).
    mapping(address => uint256) public ghostSigned;
    /// @notice Signed withdrawals the escrow took a second time, or from a sender the signature did not name.
    uint256 public misusedSignatures;
    /// @dev The last signed withdrawal that went through, for replays.
    IZkLabelEscrow.Withdraw internal lastSigned;
    bytes internal lastSignature;
    /// @notice Successful submissions per fixture proof.
    mapping(uint256 => uint256) public accepted;
    /// @notice Successful rejections per fixture proof.
    mapping(uint256 => uint256) public rejected;
    /// @notice Rewards credited per fixture proof (at submission or finalize).
    mapping(uint256 => uint256) public paid;
    mapping(uint256 => address) internal pendingRelayer;
    /// @notice taskId => the chain of verified batches, in the order they were verified, computed here from
    /// the fixture proofs (the escrow's Task.batchesDigest must equal it).
    mapping(uint256 => bytes32) public ghostDigest;
    /// @notice taskId => items of the batches verified so far.
    mapping(uint256 => uint256) public ghostVerifiedItems;
    /// @notice taskId => successful complete() calls.
    mapping(uint256 => uint256) public explicitCompletions;
    /// @notice complete() calls that went through on a task already complete.
    uint256 public completedTwice;
    /// @dev taskId => batchIndex => 1 + the fixture proof the batch is pending or verified under.
    mapping(uint256 => mapping(uint256 => uint256)) internal standing;

    constructor(ZkLabelEscrow escrow_, TestToken token_, address requester_) {
        loader = msg.sender;
        escrow = escrow_;
        token = token_;
        requester = requester_;
        accounts.push(vm.addr(keys[0]));
        accounts.push(vm.addr(keys[1]));
        accounts.push(address(this));
    }

    receive() external payable {}

    /// @notice Loads the fixture (one call per proof: a whole list in one call is too deep for the ABI
    /// decoder). Only the test that deployed the handler may: the fuzzer's calls change nothing.
    function addProof(FixtureProof calldata p) external {
        if (msg.sender == loader) proofs.push(p);
    }

    function addRejection(FixtureRejection calldata r) external {
        if (msg.sender == loader) rejections.push(r);
    }

    function proofCount() external view returns (uint256) {
        return proofs.length;
    }

    function accountCount() external view returns (uint256) {
        return accounts.length;
    }

    function proofAt(uint256 i) external view returns (uint256 taskId, uint256 batchIndex) {
        return (proofs[i].taskId, proofs[i].batchIndex);
    }

    function submit(uint256 seed) external {
        uint256 i = seed % proofs.length;
        FixtureProof storage p = proofs[i];
        try escrow.submitBatch(p.taskId, p.batchIndex, p.proof, p.publicInputs) {
            accepted[i]++;
            standing[p.taskId][p.batchIndex] = i + 1;
            IZkLabelEscrow.Task memory t = escrow.getTask(p.taskId);
            if (t.challengeWindow == 0) _credit(i, t.token, address(this));
            else pendingRelayer[i] = address(this);
        } catch {}
    }

    /// @notice Both batches of one task in one submitBatches call (batch verification).
    function submitBoth(uint256 seed) external {
        uint256 t = seed % (proofs.length / 2);
        FixtureProof storage a = proofs[2 * t];
        FixtureProof storage b = proofs[2 * t + 1];
        uint256[] memory indexes = new uint256[](2);
        indexes[0] = a.batchIndex;
        indexes[1] = b.batchIndex;
        uint256[8][] memory ps = new uint256[8][](2);
        ps[0] = a.proof;
        ps[1] = b.proof;
        uint256 n = a.publicInputs.length;
        uint256[] memory inputs = new uint256[](2 * n);
        for (uint256 j = 0; j < n; j++) {
            inputs[j] = a.publicInputs[j];
            inputs[n + j] = b.publicInputs[j];
        }
        // A batch another call accepted first is skipped (BatchSkipped), the other one still goes in.
        // (Only the first two proofs of each task go together: the blind proofs come after them all.)
        bool[2] memory open;
        for (uint256 i = 0; i < 2; i++) {
            (IZkLabelEscrow.BatchState state, ) = escrow.batchState(a.taskId, indexes[i]);
            open[i] = state == IZkLabelEscrow.BatchState.Open;
        }
        try escrow.submitBatches(a.taskId, indexes, ps, inputs) {
            for (uint256 i = 2 * t; i < 2 * t + 2; i++) {
                if (!open[i - 2 * t]) continue;
                accepted[i]++;
                standing[proofs[i].taskId][proofs[i].batchIndex] = i + 1;
                IZkLabelEscrow.Task memory task = escrow.getTask(proofs[i].taskId);
                if (task.challengeWindow == 0) _credit(i, task.token, address(this));
                else pendingRelayer[i] = address(this);
            }
        } catch {}
    }

    function finalize(uint256 seed) external {
        FixtureProof storage p = proofs[seed % proofs.length];
        uint256[] memory batches = new uint256[](1);
        batches[0] = p.batchIndex;
        try escrow.finalize(p.taskId, batches) {
            // The proof the batch is pending under, which may be another one of the same batch.
            uint256 i = standing[p.taskId][p.batchIndex] - 1;
            _credit(i, escrow.getTask(p.taskId).token, pendingRelayer[i]);
        } catch {}
    }

    /// @notice Anyone asks for a task's completion (it goes through only once the task closed, none pending).
    function complete(uint256 seed) external {
        uint256 id = 1 + (seed % TASKS);
        bool was = escrow.getTask(id).completed;
        try escrow.complete(id) {
            explicitCompletions[id]++;
            if (was) completedTwice++;
        } catch {}
    }

    /// @notice The requester rejects a blind worker's pending batch with the fixture's proof.
    function reject(uint256 seed) external {
        if (rejections.length == 0) return;
        FixtureRejection storage r = rejections[seed % rejections.length];
        FixtureProof storage p = proofs[r.proofIndex];
        vm.prank(requester);
        try
            escrow.rejectBatch(
                p.taskId,
                p.batchIndex,
                p.publicInputs[IN_NULLIFIER],
                p.publicInputs[IN_LABELS_COMMITMENT],
                r.bound,
                r.proof
            )
        {
            rejected[r.proofIndex]++;
            standing[p.taskId][p.batchIndex] = 0;
        } catch {}
    }

    function rejectionCount() external view returns (uint256) {
        return rejections.length;
    }

    function rejectionProofIndex(uint256 k) external view returns (uint256) {
        return rejections[k].proofIndex;
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + (seconds_ % 1 days));
    }

    function topUp(uint256 seed, uint256 amount) external {
        uint256 taskId = 1 + (seed % TASKS);
        amount = 1 + (amount % (100 * REWARD));
        IZkLabelEscrow.Task memory t = escrow.getTask(taskId);
        if (t.token == address(0)) {
            vm.deal(requester, requester.balance + amount);
            vm.prank(requester);
            try escrow.topUp{value: amount}(taskId, amount) {} catch {}
        } else {
            token.mint(requester, amount);
            vm.prank(requester);
            try escrow.topUp(taskId, amount) {} catch {}
        }
    }

    function cancel(uint256 seed) external {
        vm.prank(requester);
        try escrow.cancel(1 + (seed % TASKS)) {} catch {}
    }

    function refund(uint256 seed) external {
        vm.prank(requester);
        try escrow.refund(1 + (seed % TASKS)) {} catch {}
    }

    function withdraw(uint256 seed, bool useToken) external {
        address account = accounts[seed % accounts.length];
        address tok = useToken ? address(token) : address(0);
        uint256 credit = escrow.credits(tok, account);
        vm.prank(account);
        try escrow.withdraw(tok, account) {
            ghostWithdrawn[tok][account] += credit;
        } catch {}
    }

    /// @notice A payee's gasless withdrawal, signed with its key and relayed by the handler (which is
    /// credited the fee): any part of its credit, any fee up to the amount, for this relayer or for any.
    /// A second sender tries it first when the signature names the handler: it must be refused.
    function withdrawSigned(uint256 seed, bool useToken, uint256 amount, uint256 fee, bool anyRelayer) external {
        uint256 k = seed % 2;
        address account = accounts[k];
        address tok = useToken ? address(token) : address(0);
        uint256 credit = escrow.credits(tok, account);
        // Now and then more than the credit, which must be refused.
        amount = seed % 7 == 0 ? credit + 1 : 1 + (amount % (credit == 0 ? 1 : credit));
        fee = fee % (amount + 1);
        IZkLabelEscrow.Withdraw memory w = IZkLabelEscrow.Withdraw({
            token: tok,
            account: account,
            to: SINK,
            amount: amount,
            fee: fee,
            relayer: anyRelayer ? address(0) : address(this),
            nonce: escrow.nonces(account),
            deadline: block.timestamp + (seed % 3) * 1 hours
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[k], _digest(w));
        bytes memory signature = abi.encodePacked(r, s, v);
        if (!anyRelayer) {
            vm.prank(requester);
            try escrow.withdrawWithSignature(w, signature) {
                misusedSignatures++;
            } catch {}
        }
        try escrow.withdrawWithSignature(w, signature) {
            ghostWithdrawn[tok][account] += amount;
            ghostCredited[tok][address(this)] += fee;
            ghostSigned[account]++;
            lastSigned = w;
            lastSignature = signature;
        } catch {}
    }

    /// @notice Submits the last signed withdrawal that went through once more: it must be refused.
    function replaySigned() external {
        if (lastSignature.length == 0) return;
        try escrow.withdrawWithSignature(lastSigned, lastSignature) {
            misusedSignatures++;
        } catch {}
    }

    function _digest(IZkLabelEscrow.Withdraw memory w) internal view returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("ZkLabelEscrow"), keccak256("1"), block.chainid, address(escrow))
        );
        bytes32 structHash = keccak256(
            abi.encode(WITHDRAW_TYPEHASH, w.token, w.account, w.to, w.amount, w.fee, w.relayer, w.nonce, w.deadline)
        );
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    /// @dev What a verified batch must credit: reward minus fee to the recipient, the fee to the relayer.
    function _credit(uint256 i, address tok, address relayer) internal {
        uint256[] storage inputs = proofs[i].publicInputs;
        uint256 reward = inputs[IN_COUNT] * REWARD;
        uint256 fee = (reward * (inputs[IN_RECIPIENT] >> 160)) / 10_000;
        paid[i] += reward;
        // The batch is verified: chain it into the task's digest, as a dataset consumer would.
        FixtureProof storage p = proofs[i];
        bytes32 seal = keccak256(abi.encode(inputs[IN_NULLIFIER], inputs[IN_LABELS_COMMITMENT]));
        ghostDigest[p.taskId] = keccak256(abi.encode(ghostDigest[p.taskId], p.batchIndex, seal));
        ghostVerifiedItems[p.taskId] += inputs[IN_COUNT];
        ghostCredited[tok][address(uint160(inputs[IN_RECIPIENT]))] += reward - fee;
        if (fee != 0) ghostCredited[tok][relayer] += fee;
    }
}

/// @notice Invariants of the escrow's accounting under random sequences of submissions (real proofs),
/// finalizations, time, top-ups, cancels, refunds, withdrawals and gasless (signed) withdrawals.
contract EscrowInvariantsTest is TestBase {
    ZkLabelEscrow internal escrow;
    TestToken internal token;
    EscrowHandler internal handler;
    address internal constant REQUESTER = address(0xA11CE);
    address[] internal targets;

    function setUp() public {
        WorkerGroups groups = new WorkerGroups(1 hours, 20);
        escrow = new ZkLabelEscrow(IWorkerGroups(address(groups)), 2 days);
        escrow.setRuleVerifier(
            1,
            IZkLabelEscrow.RuleVerifier({
                verifier: address(new ClassificationWorkerN64D20G20Verifier()),
                batchSize: 64,
                datasetDepth: 20,
                publicInputCount: 13,
                batchVerifier: address(new ClassificationWorkerN64D20G20BatchVerifier()),
                rejectVerifier: address(new ClassificationRejectN64D20Verifier())
            })
        );
        token = new TestToken();
        string[] memory cmd = new string[](4);
        cmd[0] = vm.envOr("ZKLABEL_NODE", string("node"));
        cmd[1] = "scripts/fixtures/invariant-proofs.ts";
        cmd[2] = vm.toString(address(escrow));
        cmd[3] = vm.toString(block.chainid);
        Fixture memory f = abi.decode(vm.ffi(cmd), (Fixture));
        for (uint256 i = 0; i < f.commitments.length; i++) groups.joinOpenGroup(f.commitments[i]);

        // Tasks 1..3 as the fixture proved them: ETH without gold, ETH with gold, token without gold;
        // each funded for one full batch, so top-ups matter.
        vm.deal(REQUESTER, 1 ether);
        token.mint(REQUESTER, 1 ether);
        vm.prank(REQUESTER);
        token.approve(address(escrow), type(uint256).max);
        uint256[3] memory gold = [uint256(0), f.goldRoot, 0];
        IZkLabelEscrow.RuleVerifier memory rule = escrow.ruleVerifier(1);
        for (uint256 t = 0; t < 3; t++) {
            IZkLabelEscrow.TaskParams memory p;
            p.token = t == 2 ? address(token) : address(0);
            p.ruleId = 1;
            p.ruleParams = [uint256(4), 7, 0, 0];
            p.datasetRoot = f.datasetRoot;
            p.itemCount = 100;
            p.pkR = f.pkR;
            p.pkRDiv8 = f.pkRDiv8;
            p.goldRoot = gold[t];
            p.minAccuracy = gold[t] == 0 ? 0 : 80;
            p.challengeWindow = gold[t] == 0 ? 0 : 600;
            p.rewardPerItem = 1 gwei;
            p.deadline = uint64(block.timestamp + 30 days);
            p.funding = 64 gwei;
            vm.prank(REQUESTER);
            escrow.createTask{value: p.token == address(0) ? p.funding : 0}(p, rule);
        }
        handler = new EscrowHandler(escrow, token, REQUESTER);
        for (uint256 i = 0; i < f.proofs.length; i++) handler.addProof(f.proofs[i]);
        for (uint256 i = 0; i < f.rejections.length; i++) handler.addRejection(f.rejections[i]);
        targets.push(address(handler));
    }

    /// The fixture's proofs are real and verify against this escrow (so the fuzzed submissions can
    /// succeed); a blind worker's gold-task batches are rejected with real proofs and reopen; the
    /// rejected identity cannot resubmit; the honest batches finalize after the window, and every
    /// account can withdraw its credit.
    function test_fixtureProofsVerifyAndEveryPathPays() public {
        for (uint256 t = 0; t < 3; t++) handler.topUp(t, 36 gwei - 1);
        handler.submitBoth(0); // task 1: both batches under one batch-verified check
        uint256 blind = handler.proofCount() - handler.rejectionCount();
        for (uint256 i = blind; i < handler.proofCount(); i++) handler.submit(i); // task 2, wrong labels
        for (uint256 k = 0; k < handler.rejectionCount(); k++) handler.reject(k);
        for (uint256 i = blind; i < handler.proofCount(); i++) {
            assertEq(handler.rejected(i), 1, "blind batch rejected");
            handler.submit(i); // its nullifier is spent: refused
        }
        for (uint256 i = 2; i < blind; i++) handler.submit(i);
        for (uint256 i = 0; i < handler.proofCount(); i++) assertEq(handler.accepted(i), 1, "fixture proof accepted");
        handler.warp(601);
        for (uint256 i = 2; i < 4; i++) handler.finalize(i); // task 2 has gold items: batches 2 and 3
        // Gasless withdrawals of part of each payee's credit in both tokens, for this relayer and for any;
        // each replay is refused.
        for (uint256 a = 0; a < 2; a++) {
            for (uint256 t = 0; t < 2; t++) {
                uint256 nonce = escrow.nonces(handler.accounts(a));
                handler.withdrawSigned(a + 2 * t + 2, t == 1, 1 gwei, 0.1 gwei, t == 0);
                assertEq(escrow.nonces(handler.accounts(a)), nonce + 1, "a signed withdrawal went through");
                handler.replaySigned();
            }
        }
        assertEq(handler.misusedSignatures(), 0, "no signature was used twice or by another relayer");
        for (uint256 a = 0; a < handler.accountCount(); a++) {
            handler.withdraw(a, false);
            handler.withdraw(a, true);
        }
        invariant_solvent();
        invariant_creditsMatchVerifiedRewards();
        invariant_batchAcceptedAtMostOnce();
        invariant_rejectedNeverPaid();
        invariant_signaturesUsedOnce();
        assertEq(address(escrow).balance, 0, "every ETH task is spent and every credit withdrawn");
        assertEq(token.balanceOf(address(escrow)), 0, "every token task is spent and every credit withdrawn");
    }

    function targetContracts() public view returns (address[] memory) {
        return targets;
    }

    /// Per token, the escrow holds exactly the task balances, the reservations and the credits.
    function invariant_solvent() public view {
        for (uint256 k = 0; k < 2; k++) {
            address tok = k == 0 ? address(0) : address(token);
            uint256 owed;
            for (uint256 id = 1; id <= 3; id++) {
                IZkLabelEscrow.Task memory t = escrow.getTask(id);
                if (t.token == tok) owed += uint256(t.balance) + t.reserved;
            }
            for (uint256 a = 0; a < handler.accountCount(); a++) owed += escrow.credits(tok, handler.accounts(a));
            uint256 held = tok == address(0) ? address(escrow).balance : token.balanceOf(address(escrow));
            assertEq(held, owed, "escrow balance = task balances + reservations + credits");
        }
    }

    /// No account can withdraw more than its verified batches and relayed fees credited: credit +
    /// withdrawn = credited (withdrawn counts both withdraw and signed withdrawals, fee included).
    function invariant_creditsMatchVerifiedRewards() public view {
        for (uint256 k = 0; k < 2; k++) {
            address tok = k == 0 ? address(0) : address(token);
            for (uint256 a = 0; a < handler.accountCount(); a++) {
                address acct = handler.accounts(a);
                assertEq(
                    escrow.credits(tok, acct) + handler.ghostWithdrawn(tok, acct),
                    handler.ghostCredited(tok, acct),
                    "credits + withdrawals = rewards of verified batches"
                );
            }
        }
    }

    /// A batch index is accepted at most once per task, and the escrow's state agrees.
    function invariant_batchAcceptedAtMostOnce() public view {
        for (uint256 i = 0; i < handler.proofCount(); i++) {
            (uint256 taskId, uint256 batchIndex) = handler.proofAt(i);
            // Submissions that stand (accepted, not rejected since) over every proof of this batch.
            uint256 live;
            for (uint256 j = 0; j < handler.proofCount(); j++) {
                (uint256 tj, uint256 bj) = handler.proofAt(j);
                if (tj != taskId || bj != batchIndex) continue;
                assertTrue(handler.rejected(j) <= handler.accepted(j), "a rejection without a submission");
                live += handler.accepted(j) - handler.rejected(j);
            }
            assertTrue(live <= 1, "a batch was accepted twice");
            (IZkLabelEscrow.BatchState state, ) = escrow.batchState(taskId, batchIndex);
            assertEq(state == IZkLabelEscrow.BatchState.Open ? 0 : 1, live, "batch state matches the submissions");
        }
    }

    /// A signed withdrawal goes through once, only from the relayer it names, and each one moves the
    /// account's nonce on by one.
    function invariant_signaturesUsedOnce() public view {
        assertEq(handler.misusedSignatures(), 0, "a signature was used twice or by another relayer");
        for (uint256 a = 0; a < handler.accountCount(); a++) {
            address acct = handler.accounts(a);
            assertEq(escrow.nonces(acct), handler.ghostSigned(acct), "nonce = signed withdrawals");
        }
    }

    /// A task's record of its verified batches follows them exactly, and it is complete exactly when every
    /// item is verified or complete() went through (once, on a closed task with none pending).
    function invariant_completionRecordsTheVerifiedBatches() public view {
        assertEq(handler.completedTwice(), 0, "complete() went through on a complete task");
        for (uint256 id = 1; id <= 3; id++) {
            IZkLabelEscrow.Task memory t = escrow.getTask(id);
            assertEq(t.batchesDigest, handler.ghostDigest(id), "batchesDigest = the verified batches in order");
            assertEq(t.verifiedItems, handler.ghostVerifiedItems(id), "verifiedItems = items of verified batches");
            assertTrue(t.verifiedItems <= t.acceptedItems && t.acceptedItems <= t.itemCount, "item counters ordered");
            uint256 explicit = handler.explicitCompletions(id);
            assertTrue(explicit <= 1, "complete() went through twice");
            bool allVerified = t.verifiedItems == t.itemCount;
            assertEq(t.completed, allVerified || explicit == 1, "complete = all verified, or complete() went through");
            if (explicit == 1) assertTrue(t.verifiedItems > 0, "completed with nothing verified");
        }
    }

    /// A rejected submission is never paid: its reward went back to the task.
    function invariant_rejectedNeverPaid() public view {
        for (uint256 k = 0; k < handler.rejectionCount(); k++) {
            uint256 i = handler.rejectionProofIndex(k);
            assertTrue(handler.rejected(i) == 0 || handler.paid(i) == 0, "a rejected batch was paid");
        }
    }
}
