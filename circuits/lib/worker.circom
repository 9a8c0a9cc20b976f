pragma circom 2.1.0;

include "membership.circom";
include "encryption.circom";

// WorkerEnvelope(GROUP_DEPTH, LEN): the part of every worker proof that does
// not depend on the rule (PROTOCOL constraints 1, 2 and 6): the worker is a
// member of the group with root groupRoot, nullifier is its nullifier for
// (taskHash, batchIndex), and ciphertext (with epk) encrypts plaintext to pkR
// under nonce batchIndex.
//
// Every rule's worker proof instantiates it through RuleEnvelope
// (lib/envelope.circom), and the registry entry worker_core_d20_l4 compiles
// this very template as its main component: the "fixed" cost of
// circuits/budgets.json is measured on the template the rules use, not on a
// copy. That entry's public inputs are the first six inputs below, in this
// order (circom orders public inputs as they are declared).
// Cost: 10,613 constraints at GROUP_DEPTH 20, LEN 4 (worker_core_d20_l4).
template WorkerEnvelope(GROUP_DEPTH, LEN) {
    signal input taskHash;
    signal input batchIndex;
    signal input groupRoot;
    signal input nullifier;
    signal input epk[2];
    signal input ciphertext[ciphertextLength(LEN)];

    signal input identitySecret;
    signal input groupDepth;
    signal input groupIndex;
    signal input groupSiblings[GROUP_DEPTH];
    signal input pkR[2];
    signal input ephemeralSecret;
    signal input plaintext[LEN];

    component member = GroupMembership(GROUP_DEPTH);
    member.secret <== identitySecret;
    member.depth <== groupDepth;
    member.index <== groupIndex;
    member.siblings <== groupSiblings;
    member.taskHash <== taskHash;
    member.batchIndex <== batchIndex;
    member.groupRoot === groupRoot;
    member.nullifier === nullifier;

    component enc = EncryptToRequester(LEN);
    enc.plaintext <== plaintext;
    enc.ephemeralSecret <== ephemeralSecret;
    enc.pkR <== pkR;
    enc.nonce <== batchIndex;
    enc.epk === epk;
    enc.ciphertext === ciphertext;
}
