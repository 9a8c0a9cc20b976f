pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circuits/classification.circom";

// ClassificationSingleWorker(DEPTH, GROUP_DEPTH): the baseline zkLabel's batches replace (issue 18,
// scripts/bench/baseline.ts): ONE label per proof, with everything else of the complete worker proof
// (ClassificationWorkerBatch, PROTOCOL constraints 1-7) unchanged: RuleEnvelope at N = 1 (task binding,
// labels commitment, recipient binding, membership of the worker group, the nullifier, the encryption of
// the packed label and salt to pkR) and ClassificationRule(1). Never deployed, never in the registry.
//
// Why not ClassificationWorkerBatch(1, ...): its inclusion, BatchInclusion -> MerkleSubtreeRoot, needs a
// batch of N >= 2 leaves that is a power of two (assert), and core's DatasetTree has chunks of 2..16.
// So the inclusion here is the per-item Merkle path of the product's own dataset tree (the same
// datasetRoot and taskHash as a classification task at N >= 16, docs/protocol.md 2.2):
// DatasetTree.itemProof, the item's chunk of 16 leaves (one Poseidon(16)) and the chunk node's
// DEPTH - 4 binary siblings up to datasetRoot. That is cheaper than a plain binary path of DEPTH
// Poseidon(2) (about 4,500 against 4,850 constraints), so the baseline is not made worse than it could be.
//
// "batchIndex" is the item index (batches of one item): its bits (Num2Bits(DEPTH): < 2^DEPTH) above the
// lowest four are the chunk's index; the nullifier and the encryption nonce are per item. Its public
// inputs are the worker proof's, in the same order (13 signals, as the deployed N = 64 circuit).
template ClassificationSingleWorker(DEPTH, GROUP_DEPTH) {
    var CHUNK_BITS = 4;
    signal input taskHash;
    signal input groupRoot;
    signal input nullifier;
    signal input batchIndex;
    signal input count;
    signal input recipient;
    signal input epk[2];
    signal input labelsCommitment;
    signal input ciphertext[ruleCiphertextLength(1, classLabelBits())];

    signal input datasetRoot;
    signal input pkR[2];
    signal input goldRoot;
    signal input taskId;
    signal input chainId;
    signal input contractAddress;
    signal input ruleParams[4];
    // The item's chunk: the 16 leaves of its Poseidon(16), its own at batchIndex % 16.
    signal input leaves[1 << CHUNK_BITS];
    signal input labels[1];
    signal input salt;
    signal input pathSiblings[DEPTH - CHUNK_BITS];
    signal input identitySecret;
    signal input groupDepth;
    signal input groupIndex;
    signal input groupSiblings[GROUP_DEPTH];
    signal input ephemeralSecret;

    // count = 1 (PresentPrefix(1) inside: present[0] = 1), so the label is always present.
    component envelope = RuleEnvelope(classificationRuleId(), 1, classLabelBits(), GROUP_DEPTH);
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

    // Dataset inclusion of the item (constraint 3 for one item): its chunk sits at batchIndex >> 4.
    component index = Num2Bits(DEPTH);
    index.in <== batchIndex;
    var chunkIndex = 0;
    for (var k = CHUNK_BITS; k < DEPTH; k++) chunkIndex += index.out[k] * (1 << (k - CHUNK_BITS));
    component inclusion = SubtreeInclusion(1 << CHUNK_BITS, DEPTH - CHUNK_BITS);
    inclusion.nodes <== leaves;
    inclusion.batchIndex <== chunkIndex;
    inclusion.pathSiblings <== pathSiblings;
    inclusion.datasetRoot <== datasetRoot;

    // The rule (constraint 4) for the one label.
    component rule = ClassificationRule(1);
    rule.labels <== labels;
    rule.present <== envelope.present;
    rule.numClasses <== ruleParams[0];
    rule.allowedMask <== ruleParams[1];
}
