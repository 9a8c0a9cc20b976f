pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "classification.circom";

// BoxPairNodes: the bottom level of a dataset tree whose rule reads item
// metadata (PROTOCOL "Task", decision 14 in docs/protocol.md): items 2j and
// 2j+1 hash together with their metadata in one Poseidon(4),
//   node[j] = Poseidon(contentHash[2j], meta[2j], contentHash[2j+1], meta[2j+1]),
// and a pair with no present item is 0 (so empty subtrees stay the usual zero
// ladder). Items past count have contentHash and meta 0. About 150 constraints
// per item instead of 360 for a Poseidon leaf plus a binary level.
template BoxPairNodes(N) {
    signal input contentHash[N];
    signal input meta[N];
    signal input present[N];
    signal output nodes[N \ 2];

    for (var i = 0; i < N; i++) {
        contentHash[i] * (1 - present[i]) === 0;
        meta[i] * (1 - present[i]) === 0;
    }
    component h[N \ 2];
    for (var j = 0; j < N \ 2; j++) {
        h[j] = Poseidon(4);
        h[j].inputs <== [contentHash[2 * j], meta[2 * j], contentHash[2 * j + 1], meta[2 * j + 1]];
        // present is a prefix of ones: the pair has a present item iff its first one is.
        nodes[j] <== present[2 * j] * h[j].out;
    }
}

// BoxRule (PROTOCOL constraint 4, bounding box): each present item has one box
// (x, y, w, h) inside its image, x + w <= width and y + h <= height, with
// w >= minWidth and h >= minHeight; width and height come from the item's
// committed meta = width * 2^16 + height. Every comparison is a 16-bit range
// check of a difference, with each operand range-checked to 16 bits first
// (width and height too, so w <= width < 2^16 keeps the label packing
// injective). Absent items have an all-zero box. Cost per item: 8 Num2Bits(16)
// and 7 more (4 zero-box checks, the meta split, 2 size products); 2 Num2Bits(16) once.
template BoxRule(N) {
    signal input boxes[N][4];
    signal input meta[N];
    signal input present[N];
    signal input minWidth;
    signal input minHeight;

    component minW = Num2Bits(16);
    minW.in <== minWidth;
    component minH = Num2Bits(16);
    minH.in <== minHeight;

    signal width[N];
    signal height[N];
    signal gw[N];
    signal gh[N];
    component r[N][8];
    for (var i = 0; i < N; i++) {
        for (var k = 0; k < 4; k++) boxes[i][k] * (1 - present[i]) === 0;
        height[i] <-- meta[i] & 0xffff;
        width[i] <-- meta[i] >> 16;
        width[i] * 65536 + height[i] === meta[i];
        var checks[8] = [
            width[i],
            height[i],
            boxes[i][0],
            boxes[i][1],
            width[i] - boxes[i][0] - boxes[i][2],
            height[i] - boxes[i][1] - boxes[i][3],
            0,
            0
        ];
        gw[i] <== present[i] * (boxes[i][2] - minWidth);
        gh[i] <== present[i] * (boxes[i][3] - minHeight);
        checks[6] = gw[i];
        checks[7] = gh[i];
        for (var k = 0; k < 8; k++) {
            r[i][k] = Num2Bits(16);
            r[i][k].in <== checks[k];
        }
    }
}

// BoxLabels(N): label i is
//   class + x * 2^8 + y * 2^24 + w * 2^40 + h * 2^56 (72 bits, 3 per field element),
// injective because ClassificationRule range-checks the class to
// classLabelBits() <= 8 bits and BoxRule every coordinate to 16. Cost: 0 (linear).
template BoxLabels(N) {
    signal input classes[N];
    signal input boxes[N][4];
    signal output labels[N];

    for (var i = 0; i < N; i++) {
        labels[i] <== classes[i] + boxes[i][0] * (1 << 8) + boxes[i][1] * (1 << 24) + boxes[i][2] * (1 << 40) + boxes[i][3] * (1 << 56);
    }
}

// BoxCore(N, DEPTH): what the bounding-box proof proves beyond the envelope.
// The pair nodes of the N items (BoxPairNodes, with content hash and meta 0
// past count) sit at batchIndex under datasetRoot (PROTOCOL constraint 3),
// and each present item's class passes ClassificationRule and its box BoxRule
// (constraint 4); classes past count are 0 (BoxRule zeroes the boxes).
// Rule parameters: [numClasses, allowedMask, minWidth, minHeight].
template BoxCore(N, DEPTH) {
    signal input batchIndex;
    signal input datasetRoot;
    signal input ruleParams[4];
    signal input contentHash[N];
    signal input meta[N];
    signal input classes[N];
    signal input boxes[N][4];
    signal input present[N];
    signal input pathSiblings[DEPTH - log2ceil(N)];

    component pairs = BoxPairNodes(N);
    pairs.contentHash <== contentHash;
    pairs.meta <== meta;
    pairs.present <== present;
    component tree = SubtreeInclusion(N \ 2, DEPTH - log2ceil(N));
    tree.nodes <== pairs.nodes;
    tree.batchIndex <== batchIndex;
    tree.pathSiblings <== pathSiblings;
    tree.datasetRoot <== datasetRoot;

    for (var i = 0; i < N; i++) classes[i] * (1 - present[i]) === 0;
    component cls = ClassificationRule(N);
    cls.labels <== classes;
    cls.present <== present;
    cls.numClasses <== ruleParams[0];
    cls.allowedMask <== ruleParams[1];

    component box = BoxRule(N);
    box.boxes <== boxes;
    box.meta <== meta;
    box.present <== present;
    box.minWidth <== ruleParams[2];
    box.minHeight <== ruleParams[3];
}

// BoxWorkerBatch(N, DEPTH, GROUP_DEPTH): the complete bounding-box worker
// proof, rule id 2: RuleEnvelope over the BoxLabels of the items, and BoxCore.
// Public inputs in the order of ClassificationWorkerBatch.
template BoxWorkerBatch(N, DEPTH, GROUP_DEPTH) {
    var RULE_ID = 2;
    var LABEL_BITS = 72;
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
    signal input contentHash[N];
    signal input meta[N];
    signal input classes[N];
    signal input boxes[N][4];
    signal input salt;
    signal input pathSiblings[DEPTH - log2ceil(N)];
    signal input identitySecret;
    signal input groupDepth;
    signal input groupIndex;
    signal input groupSiblings[GROUP_DEPTH];
    signal input ephemeralSecret;

    component label = BoxLabels(N);
    label.classes <== classes;
    label.boxes <== boxes;

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
    envelope.labels <== label.labels;
    envelope.salt <== salt;
    envelope.identitySecret <== identitySecret;
    envelope.groupDepth <== groupDepth;
    envelope.groupIndex <== groupIndex;
    envelope.groupSiblings <== groupSiblings;
    envelope.ephemeralSecret <== ephemeralSecret;

    component core = BoxCore(N, DEPTH);
    core.batchIndex <== batchIndex;
    core.datasetRoot <== datasetRoot;
    core.ruleParams <== ruleParams;
    core.contentHash <== contentHash;
    core.meta <== meta;
    core.classes <== classes;
    core.boxes <== boxes;
    core.present <== envelope.present;
    core.pathSiblings <== pathSiblings;
}
