pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";

// RuleParamsHash: ruleParamsHash = Poseidon(ruleId, p[0], p[1], p[2], p[3]).
// The rule id is a constant of the rule circuit, so a parameter vector can only
// ever mean one rule. Cost: one Poseidon(5), about 300 constraints.
template RuleParamsHash(RULE_ID) {
    signal input params[4];
    signal output out;
    component h = Poseidon(5);
    h.inputs[0] <== RULE_ID;
    for (var i = 0; i < 4; i++) h.inputs[i + 1] <== params[i];
    out <== h.out;
}

// TaskHash: binds a proof to exactly one task on one chain and contract.
//   taskHash = Poseidon(Poseidon(datasetRoot, ruleParamsHash, pkR.x, pkR.y),
//                       Poseidon(goldRoot, taskId, chainId, contract))
// Two Poseidon(4) and one Poseidon(2) because the on-chain Poseidon libraries
// stop at five inputs (see docs/protocol.md). Cost: about 840 constraints.
template TaskHash() {
    signal input datasetRoot;
    signal input ruleParamsHash;
    signal input pkR[2];
    signal input goldRoot;
    signal input taskId;
    signal input chainId;
    signal input contractAddress;
    signal output out;

    component a = Poseidon(4);
    a.inputs[0] <== datasetRoot;
    a.inputs[1] <== ruleParamsHash;
    a.inputs[2] <== pkR[0];
    a.inputs[3] <== pkR[1];
    component b = Poseidon(4);
    b.inputs[0] <== goldRoot;
    b.inputs[1] <== taskId;
    b.inputs[2] <== chainId;
    b.inputs[3] <== contractAddress;
    component h = Poseidon(2);
    h.inputs[0] <== a.out;
    h.inputs[1] <== b.out;
    out <== h.out;
}

// TaskBinding: taskHash recomputed from the private task fields, so a proof
// binds to one task, rule and parameter set, chain and contract.
template TaskBinding() {
    signal input taskHash;
    signal input datasetRoot;
    signal input ruleParamsHash;
    signal input pkR[2];
    signal input goldRoot;
    signal input taskId;
    signal input chainId;
    signal input contractAddress;

    component task = TaskHash();
    task.datasetRoot <== datasetRoot;
    task.ruleParamsHash <== ruleParamsHash;
    task.pkR <== pkR;
    task.goldRoot <== goldRoot;
    task.taskId <== taskId;
    task.chainId <== chainId;
    task.contractAddress <== contractAddress;
    task.out === taskHash;
}
