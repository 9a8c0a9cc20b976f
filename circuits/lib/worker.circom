pragma circom 2.1.0;

include "membership.circom";
include "encryption.circom";
include "binding.circom";

// WorkerEnvelope: what every rule's worker proof adds around its rule core
// (PROTOCOL constraints 1, 2, 6, 7): membership of the worker group, the
// batch nullifier, the plaintext (packed labels then salt) encrypted to pkR
// under nonce batchIndex, and the recipient binding.
// Cost: WorkerCore (about 10,600 at GROUP_DEPTH 20, LEN 4) + 1.
template WorkerEnvelope(GROUP_DEPTH, LEN) {
    var PADDED = ((LEN + 2) \ 3) * 3;
    signal input taskHash;
    signal input groupRoot;
    signal input nullifier;
    signal input batchIndex;
    signal input recipient;
    signal input epk[2];
    signal input ciphertext[PADDED + 1];
    signal input plaintext[LEN];
    signal input pkR[2];
    signal input identitySecret;
    signal input groupDepth;
    signal input groupIndex;
    signal input groupSiblings[GROUP_DEPTH];
    signal input ephemeralSecret;

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

    RecipientBinding()(recipient);
}
