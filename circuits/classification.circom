pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "lib/batch.circom";
include "lib/envelope.circom";

// The one definition of the class width, CLASS_BITS: a class is < 2^CLASS_BITS
// (32), ClassificationRule range-checks every label to CLASS_BITS bits and
// selects its mask bit with a CLASS_BITS-level multiplexer, and the labels are
// packed CLASS_BITS bits each (49 per field element, docs/protocol.md
// decision 5), which is injective because of that range check. Every template
// reads the width from this function, never from a literal. Its TypeScript
// twins are CLASS_LABEL_BITS in packages/core/src/classification.ts and the
// "labelBits" of the classification entries of circuits.json
// (test/circuits/classification.test.ts checks that all three agree).
// bounding_box.circom packs the class into 8 bits: keep it <= 8.
function classLabelBits() {
    return 5;
}

// The rule id of classification (RULE_IDS.classification in packages/core/src/task.ts),
// read by both of its proofs.
function classificationRuleId() {
    return 1;
}

// ClassificationRule (PROTOCOL constraint 4, classification): every present
// label is < numClasses and its bit is set in allowedMask. numClasses is
// 1..2^CLASS_BITS (1..32).
//
// The effective mask e[j] = mask[j] * (j < numClasses) is built once per batch
// (the j < numClasses flags are PresentPrefix(2^CLASS_BITS) of numClasses, the
// template that gives a batch's present flags from its count: a prefix of ones
// summing to numClasses, which also range-checks numClasses), then each label
// selects its bit with a binary multiplexer tree over its own CLASS_BITS bits.
// Num2Bits(CLASS_BITS) range-checks the label, so a label that wraps around
// the field cannot pass.
// Cost: 6 + 31 + 1 = 38 constraints per label, plus about 130 once.
template ClassificationRule(N) {
    var CLASS_BITS = classLabelBits();
    var MAX_CLASSES = 1 << CLASS_BITS;
    signal input labels[N];
    signal input present[N];
    signal input numClasses;
    signal input allowedMask;

    component maskBits = Num2Bits(MAX_CLASSES);
    maskBits.in <== allowedMask;
    // below.present[j] = (j < numClasses), and 1 <= numClasses <= MAX_CLASSES.
    component below = PresentPrefix(MAX_CLASSES);
    below.count <== numClasses;
    signal eff[MAX_CLASSES];
    for (var j = 0; j < MAX_CLASSES; j++) {
        eff[j] <== maskBits.out[j] * below.present[j];
    }

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

// ClassificationCore(N, DEPTH): what classification proves beyond the
// envelope. The N leaves sit at batchIndex under datasetRoot and leaves past
// count are 0 (PROTOCOL constraint 3, BatchInclusion), labels past count are
// 0, and every present label satisfies the rule (constraint 4).
template ClassificationCore(N, DEPTH) {
    signal input batchIndex;
    signal input datasetRoot;
    signal input numClasses;
    signal input allowedMask;
    signal input leaves[N];
    signal input labels[N];
    signal input present[N];
    signal input pathSiblings[DEPTH - log2ceil(N)];

    component inclusion = BatchInclusion(N, DEPTH);
    inclusion.leaves <== leaves;
    inclusion.present <== present;
    inclusion.batchIndex <== batchIndex;
    inclusion.pathSiblings <== pathSiblings;
    inclusion.datasetRoot <== datasetRoot;

    for (var i = 0; i < N; i++) {
        labels[i] * (1 - present[i]) === 0;
    }
    component rule = ClassificationRule(N);
    rule.labels <== labels;
    rule.present <== present;
    rule.numClasses <== numClasses;
    rule.allowedMask <== allowedMask;
}

// ClassificationBatch(N, DEPTH): the rule part of the proof alone: RuleBinding
// (task binding, labels commitment, recipient binding; constraints 5, 7) and
// ClassificationCore (3, 4), without membership, nullifier and encryption.
// Rule parameters: [numClasses, allowedMask, 0, 0].
template ClassificationBatch(N, DEPTH) {
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
    signal input ruleParams[4];
    signal input leaves[N];
    signal input labels[N];
    signal input salt;
    signal input pathSiblings[DEPTH - log2ceil(N)];

    component binding = RuleBinding(classificationRuleId(), N, classLabelBits());
    binding.taskHash <== taskHash;
    binding.count <== count;
    binding.recipient <== recipient;
    binding.labelsCommitment <== labelsCommitment;
    binding.datasetRoot <== datasetRoot;
    binding.pkR <== pkR;
    binding.goldRoot <== goldRoot;
    binding.taskId <== taskId;
    binding.chainId <== chainId;
    binding.contractAddress <== contractAddress;
    binding.ruleParams <== ruleParams;
    binding.labels <== labels;
    binding.salt <== salt;

    component core = ClassificationCore(N, DEPTH);
    core.batchIndex <== batchIndex;
    core.datasetRoot <== datasetRoot;
    core.numClasses <== ruleParams[0];
    core.allowedMask <== ruleParams[1];
    core.leaves <== leaves;
    core.labels <== labels;
    core.present <== binding.present;
    core.pathSiblings <== pathSiblings;
}

// ClassificationWorkerBatch(N, DEPTH, GROUP_DEPTH): the complete worker proof
// of PROTOCOL "Worker batch proof", constraints 1 to 7: RuleEnvelope (task
// binding, labels commitment, recipient binding, membership of the worker
// group, the batch nullifier, and the packed labels and salt encrypted to the
// requester's key pkR) and ClassificationCore. Its public inputs are the
// order every rule's worker proof uses.
template ClassificationWorkerBatch(N, DEPTH, GROUP_DEPTH) {
    signal input taskHash;
    signal input groupRoot;
    signal input nullifier;
    signal input batchIndex;
    signal input count;
    signal input recipient;
    signal input epk[2];
    signal input labelsCommitment;
    signal input ciphertext[ruleCiphertextLength(N, classLabelBits())];

    signal input datasetRoot;
    signal input pkR[2];
    signal input goldRoot;
    signal input taskId;
    signal input chainId;
    signal input contractAddress;
    signal input ruleParams[4];
    signal input leaves[N];
    signal input labels[N];
    signal input salt;
    signal input pathSiblings[DEPTH - log2ceil(N)];
    signal input identitySecret;
    signal input groupDepth;
    signal input groupIndex;
    signal input groupSiblings[GROUP_DEPTH];
    signal input ephemeralSecret;

    component envelope = RuleEnvelope(classificationRuleId(), N, classLabelBits(), GROUP_DEPTH);
    envelope.taskHash <== taskHash;
    envelope.groupRoot <== groupRoot;
    envelope.nullifier <== nullifier;
    envelope.batchIndex <== batchIndex;
    envelope.count <== count;
    envelope.recipient <== recipient;
    envelope.epk <== epk;
    envelope.labelsCommitment <== labelsCommitment;
    envelope.ciphertext <== ciphertext;
    envelope.datasetRoot <== datasetRoot;
    envelope.pkR <== pkR;
    envelope.goldRoot <== goldRoot;
    envelope.taskId <== taskId;
    envelope.chainId <== chainId;
    envelope.contractAddress <== contractAddress;
    envelope.ruleParams <== ruleParams;
    envelope.labels <== labels;
    envelope.salt <== salt;
    envelope.identitySecret <== identitySecret;
    envelope.groupDepth <== groupDepth;
    envelope.groupIndex <== groupIndex;
    envelope.groupSiblings <== groupSiblings;
    envelope.ephemeralSecret <== ephemeralSecret;

    component core = ClassificationCore(N, DEPTH);
    core.batchIndex <== batchIndex;
    core.datasetRoot <== datasetRoot;
    core.numClasses <== ruleParams[0];
    core.allowedMask <== ruleParams[1];
    core.leaves <== leaves;
    core.labels <== labels;
    core.present <== envelope.present;
    core.pathSiblings <== pathSiblings;
}
