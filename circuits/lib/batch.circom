pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";

function log2ceil(n) {
    var r = 0;
    while ((1 << r) < n) r++;
    return r;
}

// PresentPrefix: present[i] = 1 for i < count and 0 otherwise, for 1 <= count <= N.
// present is a run of ones followed by zeros (booleans, present[0] = 1, never
// rising again) whose sum is count; that pins it down and also proves
// 1 <= count <= N without a comparator. Cost: 2N constraints.
template PresentPrefix(N) {
    signal input count;
    signal output present[N];

    var sum = 0;
    for (var i = 0; i < N; i++) {
        present[i] <-- i < count ? 1 : 0;
        present[i] * (present[i] - 1) === 0;
        if (i == 0) {
            present[0] === 1;
        } else {
            // Never 0 followed by 1.
            present[i] * (1 - present[i - 1]) === 0;
        }
        sum += present[i];
    }
    sum === count;
}

// MerkleSubtreeRoot: root of the batch subtree of the dataset tree over N
// leaves (N a power of two, >= 2): the leaves hash in chunks of C = min(16, N)
// with one Poseidon(C) each, then a binary Poseidon(2) tree over the N / C
// chunk nodes (docs/protocol.md decision 20). Cost at N = 64: 4 Poseidon(16)
// + 3 Poseidon(2) = 3,177 constraints, about 50 per leaf (a binary tree over
// the leaves would be 63 Poseidon(2) = 15,309).
template MerkleSubtreeRoot(N) {
    signal input leaves[N];
    signal output root;

    var C = N < 16 ? N : 16;
    var K = N \ C;
    assert(N >= 2 && (1 << log2ceil(N)) == N);
    component chunk[K];
    component h[K];
    signal nodes[2 * K];
    for (var k = 0; k < K; k++) {
        chunk[k] = Poseidon(C);
        for (var j = 0; j < C; j++) chunk[k].inputs[j] <== leaves[k * C + j];
        nodes[K + k] <== chunk[k].out;
    }
    for (var i = K - 1; i >= 1; i--) {
        h[i] = Poseidon(2);
        h[i].inputs[0] <== nodes[2 * i];
        h[i].inputs[1] <== nodes[2 * i + 1];
        nodes[i] <== h[i].out;
    }
    root <== nodes[1];
}

// MerkleRootFromPath: recomputes a root from a node at `index` at height
// DEPTH - LEVELS and its LEVELS siblings. Every index bit comes from Num2Bits,
// so each is constrained boolean and the index is < 2^LEVELS (the lesson of the
// 2025 BinaryMerkleRoot bug). Cost: LEVELS * (Poseidon(2) + 1) + LEVELS + 1.
template MerkleRootFromPath(LEVELS) {
    signal input node;
    signal input index;
    signal input siblings[LEVELS];
    signal output root;

    component bits = Num2Bits(LEVELS);
    bits.in <== index;
    component h[LEVELS];
    signal cur[LEVELS + 1];
    signal swap[LEVELS];
    cur[0] <== node;
    for (var l = 0; l < LEVELS; l++) {
        // swap = bit ? (sibling - cur) : 0; left = cur + swap, right = sibling - swap.
        swap[l] <== bits.out[l] * (siblings[l] - cur[l]);
        h[l] = Poseidon(2);
        h[l].inputs[0] <== cur[l] + swap[l];
        h[l].inputs[1] <== siblings[l] - swap[l];
        cur[l + 1] <== h[l].out;
    }
    root <== cur[LEVELS];
}

// SubtreeInclusion(NODES, LEVELS) (PROTOCOL constraint 3, the tree part):
// the NODES bottom nodes of a batch subtree hash to its root
// (MerkleSubtreeRoot), and that root sits at position batchIndex, LEVELS
// levels under datasetRoot (MerkleRootFromPath). Every rule's dataset
// inclusion ends here; the rules differ only in how they make the bottom nodes
// (a leaf per item, a node per pair of items with their metadata, ...).
// Cost: MerkleSubtreeRoot(NODES) + MerkleRootFromPath(LEVELS).
template SubtreeInclusion(NODES, LEVELS) {
    signal input nodes[NODES];
    signal input batchIndex;
    signal input pathSiblings[LEVELS];
    signal input datasetRoot;

    component sub = MerkleSubtreeRoot(NODES);
    sub.leaves <== nodes;
    component path = MerkleRootFromPath(LEVELS);
    path.node <== sub.root;
    path.index <== batchIndex;
    path.siblings <== pathSiblings;
    path.root === datasetRoot;
}

// BatchInclusion (PROTOCOL constraint 3): the N leaves of batch `batchIndex`
// hash to a subtree root that sits at position batchIndex under datasetRoot (a
// tree of depth DEPTH), and every leaf at a position >= count is 0.
// Cost: one Poseidon(16) per 16 items plus (DEPTH - log2 N) Poseidon(2) for the path.
template BatchInclusion(N, DEPTH) {
    signal input leaves[N];
    signal input present[N];
    signal input batchIndex;
    signal input pathSiblings[DEPTH - log2ceil(N)];
    signal input datasetRoot;

    for (var i = 0; i < N; i++) {
        leaves[i] * (1 - present[i]) === 0;
    }
    component tree = SubtreeInclusion(N, DEPTH - log2ceil(N));
    tree.nodes <== leaves;
    tree.batchIndex <== batchIndex;
    tree.pathSiblings <== pathSiblings;
    tree.datasetRoot <== datasetRoot;
}
