pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "lib/task.circom";
include "lib/batch.circom";
include "lib/labels.circom";
include "lib/worker.circom";

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

// ClassificationCore(N, DEPTH): the rule-specific part shared by the worker
// proofs. The N leaves sit at batchIndex under datasetRoot, leaves and labels
// past count are 0 (PROTOCOL constraint 3), every present label satisfies the
// rule (constraint 4), and labelsCommitment = PoseidonChain(packed labels,
// salt) (constraint 5). Outputs the packed labels for encryption.
template ClassificationCore(N, DEPTH) {
    var RULE_ID = 1;
    var LABEL_BITS = classLabelBits();
    var M = (N + (248 \ LABEL_BITS) - 1) \ (248 \ LABEL_BITS);

    signal input batchIndex;
    signal input count;
    signal input datasetRoot;
    signal input ruleParams[4]; // [numClasses, allowedMask, 0, 0]
    signal input leaves[N];
    signal input labels[N];
    signal input salt;
    signal input pathSiblings[DEPTH - log2ceil(N)];
    signal output ruleParamsHash;
    signal output labelsCommitment;
    signal output packed[M];

    component params = RuleParamsHash(RULE_ID);
    params.params <== ruleParams;
    ruleParamsHash <== params.out;

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
    labelsCommitment <== commitment.out;
    packed <== commitment.packed;
}

// ClassificationBatch(N, DEPTH): the foundation proof the escrow verifies
// today: task binding, ClassificationCore and recipient binding (constraints
// 3, 4, 5, 7), without membership, nullifier and encryption.
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

    component core = ClassificationCore(N, DEPTH);
    core.batchIndex <== batchIndex;
    core.count <== count;
    core.datasetRoot <== datasetRoot;
    core.ruleParams <== ruleParams;
    core.leaves <== leaves;
    core.labels <== labels;
    core.salt <== salt;
    core.pathSiblings <== pathSiblings;
    core.labelsCommitment === labelsCommitment;

    TaskBinding()(taskHash, datasetRoot, core.ruleParamsHash, pkR, goldRoot, taskId, chainId, contractAddress);
    RecipientBinding()(recipient);
}

// ClassificationWorkerBatch(N, DEPTH, GROUP_DEPTH): the complete worker proof
// of PROTOCOL "Worker batch proof", constraints 1 to 7: ClassificationBatch
// plus membership of the worker group (groupRoot), the batch nullifier, and
// the packed labels and salt encrypted to the requester's key pkR (epk,
// ciphertext), all public so the escrow can store and emit them.
template ClassificationWorkerBatch(N, DEPTH, GROUP_DEPTH) {
    var PER = 248 \ classLabelBits();
    var M = (N + PER - 1) \ PER;
    var PADDED = ((M + 1 + 2) \ 3) * 3;
    signal input taskHash;
    signal input groupRoot;
    signal input nullifier;
    signal input batchIndex;
    signal input count;
    signal input recipient;
    signal input epk[2];
    signal input labelsCommitment;
    signal input ciphertext[PADDED + 1];

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

    component core = ClassificationCore(N, DEPTH);
    core.batchIndex <== batchIndex;
    core.count <== count;
    core.datasetRoot <== datasetRoot;
    core.ruleParams <== ruleParams;
    core.leaves <== leaves;
    core.labels <== labels;
    core.salt <== salt;
    core.pathSiblings <== pathSiblings;
    core.labelsCommitment === labelsCommitment;

    TaskBinding()(taskHash, datasetRoot, core.ruleParamsHash, pkR, goldRoot, taskId, chainId, contractAddress);

    // Plaintext: the packed labels, then the salt, so the requester can open labelsCommitment.
    component envelope = WorkerEnvelope(GROUP_DEPTH, M + 1);
    envelope.taskHash <== taskHash;
    envelope.groupRoot <== groupRoot;
    envelope.nullifier <== nullifier;
    envelope.batchIndex <== batchIndex;
    envelope.recipient <== recipient;
    envelope.epk <== epk;
    envelope.ciphertext <== ciphertext;
    for (var k = 0; k < M; k++) envelope.plaintext[k] <== core.packed[k];
    envelope.plaintext[M] <== salt;
    envelope.pkR <== pkR;
    envelope.identitySecret <== identitySecret;
    envelope.groupDepth <== groupDepth;
    envelope.groupIndex <== groupIndex;
    envelope.groupSiblings <== groupSiblings;
    envelope.ephemeralSecret <== ephemeralSecret;
}
