pragma circom 2.1.0;

include "task.circom";
include "batch.circom";
include "labels.circom";
include "binding.circom";
include "worker.circom";

// The envelope every rule circuit shares. A rule file keeps only what is its
// own: how its items reach the dataset tree (SubtreeInclusion or
// BatchInclusion over its leaves), its per-item rule, and how its labels are
// encoded. Everything else is here, once:
//   RuleBinding   present flags from count, ruleParamsHash, labelsCommitment,
//                 taskHash, recipient binding (PROTOCOL constraints 5, 7 and
//                 the task binding);
//   RuleEnvelope  RuleBinding plus WorkerEnvelope (lib/worker.circom:
//                 membership, nullifier, encryption; constraints 1, 2, 6) over
//                 the packed labels and the salt: the whole worker proof but
//                 the rule.
// What the rule must prove for the envelope to mean anything: every label fits
// LABEL_BITS bits (which makes the packing injective), every label and leaf
// past count is 0, and the items sit at batchIndex under datasetRoot.

// The ciphertext length of a worker proof over N labels of LABEL_BITS bits:
// the plaintext is the packed labels, then the salt.
function ruleCiphertextLength(N, LABEL_BITS) {
    return ciphertextLength(packedLength(N, LABEL_BITS) + 1);
}

// RuleBinding(RULE_ID, N, LABEL_BITS): present[i] = (i < count) for the rule,
// 1 <= count <= N (PresentPrefix); ruleParamsHash = Poseidon(RULE_ID,
// ruleParams), so the parameters mean this rule and no other; labelsCommitment
// = PoseidonChain(packed labels, salt) (constraint 5); taskHash recomputed from
// the private task fields and ruleParamsHash (TaskBinding); recipient bound
// (constraint 7). Outputs the present flags for the rule and the packed labels
// for the encryption.
// Cost: 2N + Poseidon(5) + LabelsCommitment + TaskHash (about 840) + 1.
template RuleBinding(RULE_ID, N, LABEL_BITS) {
    signal input taskHash;
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
    signal input labels[N];
    signal input salt;
    signal output present[N];
    signal output packed[packedLength(N, LABEL_BITS)];

    component prefix = PresentPrefix(N);
    prefix.count <== count;
    present <== prefix.present;

    component params = RuleParamsHash(RULE_ID);
    params.params <== ruleParams;

    component commitment = LabelsCommitment(N, LABEL_BITS);
    commitment.labels <== labels;
    commitment.salt <== salt;
    commitment.out === labelsCommitment;
    packed <== commitment.packed;

    TaskBinding()(taskHash, datasetRoot, params.out, pkR, goldRoot, taskId, chainId, contractAddress);
    RecipientBinding()(recipient);
}

// RuleEnvelope(RULE_ID, N, LABEL_BITS, GROUP_DEPTH): the complete worker proof
// of PROTOCOL "Worker batch proof" except the rule (constraints 3 and 4):
// RuleBinding, and WorkerEnvelope with the plaintext packed labels, then salt,
// so the requester can open labelsCommitment. Its inputs are those every
// *WorkerBatch declares, in their order.
// Cost: RuleBinding + WorkerEnvelope(GROUP_DEPTH, packedLength + 1).
template RuleEnvelope(RULE_ID, N, LABEL_BITS, GROUP_DEPTH) {
    var M = packedLength(N, LABEL_BITS);
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
    signal input labels[N];
    signal input salt;
    signal input identitySecret;
    signal input groupDepth;
    signal input groupIndex;
    signal input groupSiblings[GROUP_DEPTH];
    signal input ephemeralSecret;
    signal output present[N];

    component binding = RuleBinding(RULE_ID, N, LABEL_BITS);
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
    present <== binding.present;

    component worker = WorkerEnvelope(GROUP_DEPTH, M + 1);
    worker.taskHash <== taskHash;
    worker.batchIndex <== batchIndex;
    worker.groupRoot <== groupRoot;
    worker.nullifier <== nullifier;
    worker.epk <== epk;
    worker.ciphertext <== ciphertext;
    for (var k = 0; k < M; k++) worker.plaintext[k] <== binding.packed[k];
    worker.plaintext[M] <== salt;
    worker.pkR <== pkR;
    worker.identitySecret <== identitySecret;
    worker.groupDepth <== groupDepth;
    worker.groupIndex <== groupIndex;
    worker.groupSiblings <== groupSiblings;
    worker.ephemeralSecret <== ephemeralSecret;
}
