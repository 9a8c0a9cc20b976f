pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "lib/task.circom";
include "lib/batch.circom";
include "lib/labels.circom";
include "lib/worker.circom";

// SensorRule (PROTOCOL constraint 4, sensor range): item i is a window of T
// readings, 16-bit fixed-point values committed in its leaf; its label must be
// 1 ("anomaly") iff some reading is outside [lo, hi], else 0. The readings are
// private: the proof shows the label follows from data that nobody else sees.
// r >= lo is bit 16 of r - lo + 2^16 and r <= hi is bit 16 of hi - r + 2^16
// (Num2Bits(17) of each); lo and hi are range-checked to 16 bits, and a
// committed reading of 2^16 or more makes both decompositions impossible, so
// no label can be proven for such an item. Readings of absent items are 0.
// Cost: 36 per reading + 3 per item.
template SensorRule(N, T) {
    signal input readings[N][T];
    signal input labels[N];
    signal input present[N];
    signal input lo;
    signal input hi;

    component loBits = Num2Bits(16);
    loBits.in <== lo;
    component hiBits = Num2Bits(16);
    hiBits.in <== hi;

    component aboveLo[N][T];
    component belowHi[N][T];
    signal inRange[N][T];
    signal allIn[N][T];
    for (var i = 0; i < N; i++) {
        for (var j = 0; j < T; j++) {
            readings[i][j] * (1 - present[i]) === 0;
            aboveLo[i][j] = Num2Bits(17);
            aboveLo[i][j].in <== readings[i][j] - lo + (1 << 16);
            belowHi[i][j] = Num2Bits(17);
            belowHi[i][j].in <== hi - readings[i][j] + (1 << 16);
            inRange[i][j] <== aboveLo[i][j].out[16] * belowHi[i][j].out[16];
            if (j == 0) {
                allIn[i][0] <== inRange[i][0];
            } else {
                allIn[i][j] <== allIn[i][j - 1] * inRange[i][j];
            }
        }
        // label = present ? 1 - allIn : 0
        labels[i] === present[i] - present[i] * allIn[i][T - 1];
    }
}

// SensorCore(N, DEPTH, T): rule core of the sensor-range proof. Leaf i is
// Poseidon(readings[i]) (0 past count); labels are 1 bit each, 248 per field
// element. Rule parameters: [lo, hi, 0, 0], rule id 3.
template SensorCore(N, DEPTH, T) {
    var RULE_ID = 3;
    var LABEL_BITS = 1;
    var M = (N + 247) \ 248;

    signal input batchIndex;
    signal input count;
    signal input datasetRoot;
    signal input ruleParams[4];
    signal input readings[N][T];
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

    component h[N];
    signal leaves[N];
    for (var i = 0; i < N; i++) {
        h[i] = Poseidon(T);
        h[i].inputs <== readings[i];
        leaves[i] <== prefix.present[i] * h[i].out;
    }
    component inclusion = BatchInclusion(N, DEPTH);
    inclusion.leaves <== leaves;
    inclusion.present <== prefix.present;
    inclusion.batchIndex <== batchIndex;
    inclusion.pathSiblings <== pathSiblings;
    inclusion.datasetRoot <== datasetRoot;

    component rule = SensorRule(N, T);
    rule.readings <== readings;
    rule.labels <== labels;
    rule.present <== prefix.present;
    rule.lo <== ruleParams[0];
    rule.hi <== ruleParams[1];

    component commitment = LabelsCommitment(N, LABEL_BITS);
    commitment.labels <== labels;
    commitment.salt <== salt;
    labelsCommitment <== commitment.out;
    packed <== commitment.packed;
}

// SensorWorkerBatch(N, DEPTH, T, GROUP_DEPTH): the complete sensor-range
// worker proof; public inputs in the order of ClassificationWorkerBatch.
template SensorWorkerBatch(N, DEPTH, T, GROUP_DEPTH) {
    var M = (N + 247) \ 248;
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
    signal input readings[N][T];
    signal input labels[N];
    signal input salt;
    signal input pathSiblings[DEPTH - log2ceil(N)];
    signal input identitySecret;
    signal input groupDepth;
    signal input groupIndex;
    signal input groupSiblings[GROUP_DEPTH];
    signal input ephemeralSecret;

    component core = SensorCore(N, DEPTH, T);
    core.batchIndex <== batchIndex;
    core.count <== count;
    core.datasetRoot <== datasetRoot;
    core.ruleParams <== ruleParams;
    core.readings <== readings;
    core.labels <== labels;
    core.salt <== salt;
    core.pathSiblings <== pathSiblings;
    core.labelsCommitment === labelsCommitment;

    TaskBinding()(taskHash, datasetRoot, core.ruleParamsHash, pkR, goldRoot, taskId, chainId, contractAddress);

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
