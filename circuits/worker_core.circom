pragma circom 2.1.0;

include "lib/membership.circom";
include "lib/encryption.circom";

// WorkerCore(MAX_DEPTH, LEN): the part of every worker batch proof that does
// not depend on the rule (PROTOCOL constraints 1, 2 and 6), compiled on its
// own to test the library and to report the fixed cost separately.
template WorkerCore(MAX_DEPTH, LEN) {
    var PADDED = ((LEN + 2) \ 3) * 3;
    signal input taskHash;
    signal input batchIndex;
    signal input groupRoot;
    signal input nullifier;
    signal input epk[2];
    signal input ciphertext[PADDED + 1];

    signal input secret;
    signal input depth;
    signal input index;
    signal input siblings[MAX_DEPTH];
    signal input pkR[2];
    signal input ephemeralSecret;
    signal input plaintext[LEN];

    component member = GroupMembership(MAX_DEPTH);
    member.secret <== secret;
    member.depth <== depth;
    member.index <== index;
    member.siblings <== siblings;
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
