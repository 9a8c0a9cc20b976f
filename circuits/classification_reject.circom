pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "classification.circom";
include "lib/gold.circom";

// ClassificationReject(N, DEPTH): the requester's gold rejection of a
// classification batch (docs/protocol.md §2.3 gold tree): the worker's
// committed labels, opened with their salt, match fewer than bound percent of
// the batch's gold items, every item of the batch opened against goldRoot
// (GoldBatch). A label matches its gold answer when they are equal; a label is
// range-checked to classLabelBits() bits (the worker proof's packing width) so
// the opening is the one the worker committed to. Classification has no
// threshold: goldThreshold must be 0 (the escrow passes the task's).
// Public inputs: goldRoot, batchIndex, count, labelsCommitment, bound,
// goldThreshold (the order of every <Rule>Reject).
// Cost: GoldBatch + N * (classLabelBits() + 2) + 1: 24,485 at N = 64, DEPTH = 20
// (322 per label marginal, against the N = 32 twin; 382.6 amortized).
template ClassificationReject(N, DEPTH) {
    signal input goldRoot;
    signal input batchIndex;
    signal input count;
    signal input labelsCommitment;
    signal input bound;
    signal input goldThreshold;

    signal input labels[N];
    signal input salt;
    signal input isGold[N];
    signal input goldLabel[N];
    signal input goldSalt[N];
    signal input pathSiblings[DEPTH - log2ceil(N)];

    goldThreshold === 0;

    component bits[N];
    component equal[N];
    signal match[N];
    for (var i = 0; i < N; i++) {
        bits[i] = Num2Bits(classLabelBits());
        bits[i].in <== labels[i];
        equal[i] = IsEqual();
        equal[i].in <== [labels[i], goldLabel[i]];
        match[i] <== equal[i].out;
    }

    component batch = GoldBatch(N, DEPTH, classLabelBits());
    batch.goldRoot <== goldRoot;
    batch.batchIndex <== batchIndex;
    batch.count <== count;
    batch.labelsCommitment <== labelsCommitment;
    batch.bound <== bound;
    batch.labels <== labels;
    batch.salt <== salt;
    batch.isGold <== isGold;
    batch.goldLabel <== goldLabel;
    batch.goldSalt <== goldSalt;
    batch.pathSiblings <== pathSiblings;
    batch.match <== match;
}
