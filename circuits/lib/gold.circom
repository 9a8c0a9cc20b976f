pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "batch.circom";
include "labels.circom";

// The rule-independent part of a gold rejection (a requester's proof that a
// worker's accuracy on a batch's gold items is below a bound). A rule's
// <Rule>Reject circuit range-checks the worker's labels to its label width,
// computes match[i] (the label equals the gold answer, under the rule's own
// notion of equal) and hands both to GoldBatch.

// The comparison width of the accuracy test: correct * 100 <= 100 N and
// bound * gold <= 127 N (bound has 7 bits), both < 128 N = 2^GOLD_ACCURACY_BITS(N).
function goldAccuracyBits(N) {
    return log2ceil(128 * N);
}

// GoldBatch(N, DEPTH, LABEL_BITS): a rejection of batch batchIndex (count
// items) whose labels the worker committed to in labelsCommitment:
//   - present flags from count, 1 <= count <= N (PresentPrefix);
//   - labelsCommitment = PoseidonChain(PackLabels(labels, LABEL_BITS), salt),
//     as the worker proof computed it (the caller range-checks every label to
//     LABEL_BITS bits, which makes the packing injective);
//   - every item's gold opening (isGold, goldLabel, goldSalt): isGold boolean,
//     an item past count opens to all zeros, and the N leaves
//     present[i] * Poseidon(isGold, goldLabel, goldSalt) (0 past count, the
//     tree's padding) are the batch subtree at batchIndex under goldRoot, so
//     every item of the batch is opened and none can be left out or made
//     non-gold;
//   - g[i] = present[i] * isGold[i] (= isGold[i], as an absent item opens to 0),
//     gold = sum g[i] >= 1, correct = sum g[i] * match[i], and
//     correct * 100 < bound * gold, with bound < 2^7 (Num2Bits(7)).
// match[i] must be boolean (the caller's rule computes it from comparators).
// Cost: 2N (prefix) + LabelsCommitment + N * (Poseidon(3) + 6)
// + MerkleSubtreeRoot(N) + (DEPTH - log2 N) * (Poseidon(2) + 1)
// + goldAccuracyBits(N) + 10: about 320 per item (a Poseidon(3) leaf each).
template GoldBatch(N, DEPTH, LABEL_BITS) {
    signal input goldRoot;
    signal input batchIndex;
    signal input count;
    signal input labelsCommitment;
    signal input bound;

    signal input labels[N];
    signal input salt;
    signal input isGold[N];
    signal input goldLabel[N];
    signal input goldSalt[N];
    signal input pathSiblings[DEPTH - log2ceil(N)];
    signal input match[N];

    component prefix = PresentPrefix(N);
    prefix.count <== count;
    signal present[N];
    present <== prefix.present;

    // The worker's commitment opens to these labels.
    component commitment = LabelsCommitment(N, LABEL_BITS);
    commitment.labels <== labels;
    commitment.salt <== salt;
    commitment.out === labelsCommitment;

    // Every item's gold leaf, included under goldRoot at batchIndex.
    component leafHash[N];
    signal leaves[N];
    signal hits[N];
    var gold = 0;
    var correct = 0;
    for (var i = 0; i < N; i++) {
        isGold[i] * (isGold[i] - 1) === 0;
        // Past count the opening is all zeros; so isGold[i] = present[i] * isGold[i].
        isGold[i] * (1 - present[i]) === 0;
        goldLabel[i] * (1 - present[i]) === 0;
        goldSalt[i] * (1 - present[i]) === 0;
        leafHash[i] = Poseidon(3);
        leafHash[i].inputs <== [isGold[i], goldLabel[i], goldSalt[i]];
        leaves[i] <== present[i] * leafHash[i].out;
        hits[i] <== isGold[i] * match[i];
        gold += isGold[i];
        correct += hits[i];
    }
    component tree = SubtreeInclusion(N, DEPTH - log2ceil(N));
    tree.nodes <== leaves;
    tree.batchIndex <== batchIndex;
    tree.pathSiblings <== pathSiblings;
    tree.datasetRoot <== goldRoot;

    // gold >= 1: gold is a sum of N booleans (0..N < p), so non-zero means at least 1.
    signal goldInverse;
    goldInverse <-- gold != 0 ? 1 / gold : 0;
    goldInverse * gold === 1;

    // correct * 100 < bound * gold, both sides < 2^goldAccuracyBits(N).
    component boundBits = Num2Bits(7);
    boundBits.in <== bound;
    signal scaledGold;
    scaledGold <== bound * gold;
    component below = LessThan(goldAccuracyBits(N));
    below.in[0] <== correct * 100;
    below.in[1] <== scaledGold;
    below.out === 1;
}
