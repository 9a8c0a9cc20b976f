pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/escalarmulfix.circom";
include "babyjub.circom";

// IdentityCommitment (PROTOCOL constraint 1, first half): a Semaphore-v4 identity.
//   publicKey = secret * Base8 on BabyJubJub, commitment = Poseidon(publicKey).
// secret is range-checked to 251 bits and then compared with the subgroup
// order l: without `secret < l`, secret and secret + l share a public key (and
// so a commitment) but give different nullifiers, which would let one member
// submit a batch twice. Cost: about 3,000 constraints (fixed-base scalar
// multiplication 2,400, Poseidon(2) 240, range and comparison 500).
template IdentityCommitment() {
    signal input secret;
    signal output commitment;

    component bits = Num2Bits(251);
    bits.in <== secret;
    component lt = LessThan(251);
    lt.in[0] <== secret;
    lt.in[1] <== babyJubJubSubgroupOrder();
    lt.out === 1;

    component pk = EscalarMulFix(251, babyJubJubBase8());
    pk.e <== bits.out;
    commitment <== Poseidon(2)([pk.out[0], pk.out[1]]);
}

// LeanIMTRoot (PROTOCOL constraint 1, second half): the root of a LeanIMT
// (@zk-kit/lean-imt) from a leaf and its proof. A LeanIMT proof leaves out the
// levels where the node has no sibling, so it is an ordinary binary path of
// `depth` <= MAX_DEPTH levels; the root is the node at height `depth`.
// The index bits come from Num2Bits, so each is boolean (the 2025
// BinaryMerkleRoot bug took unconstrained bits), and exactly one height is
// selected, which also proves depth <= MAX_DEPTH. Siblings and index bits above
// `depth` do not reach the root. Cost: MAX_DEPTH * (Poseidon(2) + 4) + 2.
template LeanIMTRoot(MAX_DEPTH) {
    signal input leaf;
    signal input depth;
    signal input index;
    signal input siblings[MAX_DEPTH];
    signal output root;

    component bits = Num2Bits(MAX_DEPTH);
    bits.in <== index;
    signal nodes[MAX_DEPTH + 1];
    signal swap[MAX_DEPTH];
    signal picked[MAX_DEPTH + 1];
    component isDepth[MAX_DEPTH + 1];
    nodes[0] <== leaf;
    var selected = 0;
    var acc = 0;
    for (var i = 0; i <= MAX_DEPTH; i++) {
        isDepth[i] = IsEqual();
        isDepth[i].in[0] <== depth;
        isDepth[i].in[1] <== i;
        selected += isDepth[i].out;
        picked[i] <== isDepth[i].out * nodes[i];
        acc += picked[i];
        if (i < MAX_DEPTH) {
            swap[i] <== bits.out[i] * (siblings[i] - nodes[i]);
            nodes[i + 1] <== Poseidon(2)([nodes[i] + swap[i], siblings[i] - swap[i]]);
        }
    }
    selected === 1;
    root <== acc;
}

// GroupMembership: Poseidon(secret * Base8) is a leaf of the LeanIMT with
// root `groupRoot`, and the nullifier of (taskHash, batchIndex) is
//   nullifier = Poseidon(secret, Poseidon(taskHash, batchIndex))
// (PROTOCOL constraint 2): one submission per member per batch, unlinkable
// across batches and tasks. Cost: IdentityCommitment + LeanIMTRoot + 480.
template GroupMembership(MAX_DEPTH) {
    signal input secret;
    signal input depth;
    signal input index;
    signal input siblings[MAX_DEPTH];
    signal input taskHash;
    signal input batchIndex;
    signal output groupRoot;
    signal output nullifier;

    component id = IdentityCommitment();
    id.secret <== secret;
    component tree = LeanIMTRoot(MAX_DEPTH);
    tree.leaf <== id.commitment;
    tree.depth <== depth;
    tree.index <== index;
    tree.siblings <== siblings;
    groupRoot <== tree.root;
    nullifier <== Poseidon(2)([secret, Poseidon(2)([taskHash, batchIndex])]);
}
