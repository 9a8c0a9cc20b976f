pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "lib/task.circom";
include "lib/batch.circom";
include "lib/labels.circom";
include "lib/worker.circom";

// SensorRule (PROTOCOL constraint 4, sensor range): item i is a window of T
// readings, 16-bit fixed-point values committed in its leaf; its label must be
// 1 ("anomaly") iff some reading is outside [lo, hi], else 0. The readings are
// private: the proof shows the label follows from data that nobody else sees.
//
// lo and hi are range-checked to 16 bits. For each reading r, bit 16 of the
// 17-bit decomposition of r - lo + 2^16 is r >= lo, and bit 16 of that of
// hi - r + 2^16 is r <= hi. `outside` counts the false ones of these 2T
// booleans, so it is 0..2T (no wrap-around) and 0 iff every reading is in
// [lo, hi]; IsZero turns that into the label. Every 16-bit reading decomposes.
// The readings themselves are not range-checked (16 more constraints each,
// which the budget does not allow), so for a committed field element r that is
// not a 16-bit value the decompositions exist iff lo - 2^16 <= r < lo + 2^16
// and hi - 2^16 < r <= hi + 2^16, reading r as a signed integer (p - k as -k):
// such an r is outside [lo, hi], so the proof forces label 1, the rule's label;
// any other r leaves no label provable for its item. provenSensorLabel in
// packages/core/src/sensor.ts is the exact TypeScript twin.
//
// Items past count need nothing here: their label is forced to 0 (present is
// 0) and their leaf is 0 whatever their readings are (SensorCore), so those
// readings are free witness values that reach no public signal (they still
// have to decompose, as 0 does).
// Cost: 34 per reading (two Num2Bits(17) after O2) + 3 per item (IsZero, label).
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
    component allIn[N];
    for (var i = 0; i < N; i++) {
        var outside = 0;
        for (var j = 0; j < T; j++) {
            aboveLo[i][j] = Num2Bits(17);
            aboveLo[i][j].in <== readings[i][j] - lo + (1 << 16);
            belowHi[i][j] = Num2Bits(17);
            belowHi[i][j].in <== hi - readings[i][j] + (1 << 16);
            outside += 2 - aboveLo[i][j].out[16] - belowHi[i][j].out[16];
        }
        allIn[i] = IsZero();
        allIn[i].in <== outside;
        // label = present ? 1 - allIn : 0
        labels[i] === present[i] - present[i] * allIn[i].out;
    }
}

// SensorCore(N, DEPTH, T): rule core of the sensor-range proof. Leaf i is
// present[i] * Poseidon(readings[i]), so 0 past count by construction, and the
// N leaves must hash to the subtree at batchIndex under datasetRoot (PROTOCOL
// constraint 3: BatchInclusion without its leaf-is-0-past-count check, which
// these leaves satisfy already). Labels are 1 bit each, 248 per field
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
    component sub = MerkleSubtreeRoot(N);
    for (var i = 0; i < N; i++) {
        h[i] = Poseidon(T);
        h[i].inputs <== readings[i];
        sub.leaves[i] <== prefix.present[i] * h[i].out;
    }
    component path = MerkleRootFromPath(DEPTH - log2ceil(N));
    path.node <== sub.root;
    path.index <== batchIndex;
    path.siblings <== pathSiblings;
    path.root === datasetRoot;

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
