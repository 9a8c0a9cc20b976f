pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "lib/batch.circom";
include "lib/envelope.circom";

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

// SensorCore(N, DEPTH, T): what the sensor-range proof proves beyond the
// envelope. Leaf i is present[i] * Poseidon(readings[i]), so 0 past count by
// construction, and the N leaves must hash to the subtree at batchIndex under
// datasetRoot (PROTOCOL constraint 3: BatchInclusion without its
// leaf-is-0-past-count check, which these leaves satisfy already); each label
// follows from its readings (SensorRule, constraint 4).
template SensorCore(N, DEPTH, T) {
    signal input batchIndex;
    signal input datasetRoot;
    signal input lo;
    signal input hi;
    signal input readings[N][T];
    signal input labels[N];
    signal input present[N];
    signal input pathSiblings[DEPTH - log2ceil(N)];

    component h[N];
    component tree = SubtreeInclusion(N, DEPTH - log2ceil(N));
    for (var i = 0; i < N; i++) {
        h[i] = Poseidon(T);
        h[i].inputs <== readings[i];
        tree.nodes[i] <== present[i] * h[i].out;
    }
    tree.batchIndex <== batchIndex;
    tree.pathSiblings <== pathSiblings;
    tree.datasetRoot <== datasetRoot;

    component rule = SensorRule(N, T);
    rule.readings <== readings;
    rule.labels <== labels;
    rule.present <== present;
    rule.lo <== lo;
    rule.hi <== hi;
}

// SensorWorkerBatch(N, DEPTH, T, GROUP_DEPTH): the complete sensor-range
// worker proof, rule id 3, labels of 1 bit (248 per field element):
// RuleEnvelope and SensorCore. Rule parameters: [lo, hi, 0, 0]. Public inputs
// in the order of ClassificationWorkerBatch.
template SensorWorkerBatch(N, DEPTH, T, GROUP_DEPTH) {
    var RULE_ID = 3;
    var LABEL_BITS = 1;
    signal input taskHash;
    signal input groupRoot;
    signal input nullifier;
    signal input batchIndex;
    signal input count;
    signal input recipient;
    signal input epk[2];
    signal input labelsCommitment;
    signal input ciphertext[ruleCiphertextLength(N, LABEL_BITS)];

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

    component envelope = RuleEnvelope(RULE_ID, N, LABEL_BITS, GROUP_DEPTH);
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

    component core = SensorCore(N, DEPTH, T);
    core.batchIndex <== batchIndex;
    core.datasetRoot <== datasetRoot;
    core.lo <== ruleParams[0];
    core.hi <== ruleParams[1];
    core.readings <== readings;
    core.labels <== labels;
    core.present <== envelope.present;
    core.pathSiblings <== pathSiblings;
}
