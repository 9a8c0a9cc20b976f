pragma circom 2.1.0;

include "lib/membership.circom";

// VaultAccess(MAX_DEPTH): the data vault's download ticket (docs/protocol.md, "Data vault").
// A worker proves, without saying which member it is, that its identity is a
// leaf of the task's worker group (`groupRoot`), for one batch of one task:
//   scope     = Poseidon(VAULT_DOMAIN, taskHash, batchIndex)
//   accessTag = Poseidon(secret, scope)
// accessTag is the same for every request of one member for one batch (the
// vault may count or rate-limit distinct members per batch) and unlinkable
// across batches and tasks, and differs from the batch's on-chain nullifier
// (VAULT_DOMAIN), so a download cannot be matched with a submission.
// `challenge` is the vault's single-use nonce: its square binds it to the
// proof, so a proof seen once cannot be replayed.
// Cost: IdentityCommitment + LeanIMTRoot(MAX_DEPTH) + two Poseidon + 1.
template VaultAccess(MAX_DEPTH) {
    signal input groupRoot;
    signal input accessTag;
    signal input taskHash;
    signal input batchIndex;
    signal input challenge;

    signal input secret;
    signal input depth;
    signal input index;
    signal input siblings[MAX_DEPTH];

    // "zkLabel vault" as a big-endian integer.
    var VAULT_DOMAIN = 0x7a6b4c6162656c207661756c74;

    component id = IdentityCommitment();
    id.secret <== secret;
    component tree = LeanIMTRoot(MAX_DEPTH);
    tree.leaf <== id.commitment;
    tree.depth <== depth;
    tree.index <== index;
    tree.siblings <== siblings;
    groupRoot === tree.root;

    signal scope <== Poseidon(3)([VAULT_DOMAIN, taskHash, batchIndex]);
    signal tag <== Poseidon(2)([secret, scope]);
    accessTag === tag;
    signal challengeSquare <== challenge * challenge;
}
