pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "lib/task.circom";
include "lib/batch.circom";
include "lib/labels.circom";
include "lib/binding.circom";

// ClassificationRule (PROTOCOL constraint 4, classification): every present
// label is < numClasses and its bit is set in allowedMask. numClasses is 1..32.
//
// The effective mask e[j] = mask[j] * (j < numClasses) is built once per batch
// (the j < numClasses flags are a prefix of ones summing to numClasses, which
// also range-checks numClasses), then each label selects its bit with a binary
// multiplexer tree over its own five bits. Num2Bits(5) range-checks the label,
// so a label that wraps around the field cannot pass.
// Cost: 6 + 31 + 1 = 38 constraints per label, plus about 130 once.
template ClassificationRule(N) {
    var CLASS_BITS = 5;
    var MAX_CLASSES = 1 << CLASS_BITS;
    signal input labels[N];
    signal input present[N];
    signal input numClasses;
    signal input allowedMask;

    component maskBits = Num2Bits(MAX_CLASSES);
    maskBits.in <== allowedMask;
    signal below[MAX_CLASSES];
    signal eff[MAX_CLASSES];
    var sum = 0;
    for (var j = 0; j < MAX_CLASSES; j++) {
        below[j] <-- j < numClasses ? 1 : 0;
        below[j] * (below[j] - 1) === 0;
        if (j == 0) {
            below[0] === 1;
        } else {
            below[j] * (1 - below[j - 1]) === 0;
        }
        sum += below[j];
        eff[j] <== maskBits.out[j] * below[j];
    }
    sum === numClasses;

    component bits[N];
    signal mux[N][MAX_CLASSES];
    for (var i = 0; i < N; i++) {
        bits[i] = Num2Bits(CLASS_BITS);
        bits[i].in <== labels[i];
        // mux[i][1] ends up as eff[labels[i]]: level l halves the candidates with bit l.
        var width = MAX_CLASSES;
        for (var l = 0; l < CLASS_BITS; l++) {
            width = width \ 2;
            for (var k = 0; k < width; k++) {
                var a = l == 0 ? eff[2 * k] : mux[i][2 * width + 2 * k];
                var b = l == 0 ? eff[2 * k + 1] : mux[i][2 * width + 2 * k + 1];
                mux[i][width + k] <== a + bits[i].out[l] * (b - a);
            }
        }
        present[i] * (1 - mux[i][1]) === 0;
    }
}

// ClassificationBatch(N, DEPTH): one worker's labels for batch `batchIndex`
// (items [batchIndex * N, batchIndex * N + count)) of a dataset tree of depth
// DEPTH follow the task's classification rule.
//   1. taskHash is recomputed from the private task fields, so the proof binds
//      to one task, rule and parameter set, chain and contract.
//   2. The N leaves sit at batchIndex under datasetRoot; leaves and labels past
//      count are 0 (PROTOCOL constraint 3).
//   3. Every present label satisfies the rule (constraint 4).
//   4. labelsCommitment = PoseidonChain(packed labels, salt) (constraint 5).
//   5. recipient is bound (constraint 7).
// Membership, nullifier and encryption (constraints 1, 2, 6) plug in beside
// these as further components and public inputs.
template ClassificationBatch(N, DEPTH) {
    var RULE_ID = 1;
    var LABEL_BITS = 8;

    signal input taskHash;
    signal input batchIndex;
    signal input count;
    signal input recipient;
    signal input labelsCommitment;

    signal input datasetRoot;
    signal input pkR[2];
    signal input goldRoot;
    signal input taskId;
    signal input chainId;
    signal input contractAddress;
    signal input ruleParams[4]; // [numClasses, allowedMask, 0, 0]
    signal input leaves[N];
    signal input labels[N];
    signal input salt;
    signal input pathSiblings[DEPTH - log2ceil(N)];

    component params = RuleParamsHash(RULE_ID);
    params.params <== ruleParams;
    component task = TaskHash();
    task.datasetRoot <== datasetRoot;
    task.ruleParamsHash <== params.out;
    task.pkR <== pkR;
    task.goldRoot <== goldRoot;
    task.taskId <== taskId;
    task.chainId <== chainId;
    task.contractAddress <== contractAddress;
    task.out === taskHash;

    component prefix = PresentPrefix(N);
    prefix.count <== count;

    component inclusion = BatchInclusion(N, DEPTH);
    inclusion.leaves <== leaves;
    inclusion.present <== prefix.present;
    inclusion.batchIndex <== batchIndex;
    inclusion.pathSiblings <== pathSiblings;
    inclusion.datasetRoot <== datasetRoot;

    for (var i = 0; i < N; i++) {
        labels[i] * (1 - prefix.present[i]) === 0;
    }
    component rule = ClassificationRule(N);
    rule.labels <== labels;
    rule.present <== prefix.present;
    rule.numClasses <== ruleParams[0];
    rule.allowedMask <== ruleParams[1];

    component commitment = LabelsCommitment(N, LABEL_BITS);
    commitment.labels <== labels;
    commitment.salt <== salt;
    commitment.out === labelsCommitment;

    component binding = RecipientBinding();
    binding.recipient <== recipient;
}
