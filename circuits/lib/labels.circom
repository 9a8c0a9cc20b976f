pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";

// Labels of BITS bits per packed field element: floor(248 / BITS), so a packed
// element stays below 2^248 < p (labelsPerElement in packages/core/src/labels.ts).
function labelsPerElement(BITS) {
    return 248 \ BITS;
}

// The number of field elements N labels of BITS bits pack into.
function packedLength(N, BITS) {
    var PER = labelsPerElement(BITS);
    return (N + PER - 1) \ PER;
}

// PackLabels: packs N labels of BITS bits each into packedLength(N, BITS)
// field elements, PER = labelsPerElement(BITS) labels per element, label i at
// bit offset BITS * (i mod PER), little-endian. The caller must range-check
// every label to BITS bits, which makes the packing injective. Cost: 0 (linear).
template PackLabels(N, BITS) {
    var PER = labelsPerElement(BITS);
    var M = packedLength(N, BITS);
    signal input labels[N];
    signal output packed[M];

    for (var k = 0; k < M; k++) {
        var acc = 0;
        for (var j = 0; j < PER && k * PER + j < N; j++) {
            acc += labels[k * PER + j] * (1 << (BITS * j));
        }
        packed[k] <== acc;
    }
}

// PoseidonChain: the labelsCommitment sponge (PROTOCOL constraint 5).
//   acc = salt; for each chunk c of up to 15 elements: acc = Poseidon(acc, c...)
// M is fixed per circuit variant, so the chunking is unambiguous.
// Cost: one Poseidon(k + 1) per chunk of k elements (about 300 for k = 3).
template PoseidonChain(M) {
    signal input elements[M];
    signal input salt;
    signal output out;

    var CHUNKS = (M + 14) \ 15;
    component h[CHUNKS];
    signal acc[CHUNKS + 1];
    acc[0] <== salt;
    for (var c = 0; c < CHUNKS; c++) {
        var len = M - 15 * c < 15 ? M - 15 * c : 15;
        h[c] = Poseidon(len + 1);
        h[c].inputs[0] <== acc[c];
        for (var j = 0; j < len; j++) h[c].inputs[j + 1] <== elements[15 * c + j];
        acc[c + 1] <== h[c].out;
    }
    out <== acc[CHUNKS];
}

// LabelsCommitment: Poseidon chain over the packed labels and a random salt.
template LabelsCommitment(N, BITS) {
    var M = packedLength(N, BITS);
    signal input labels[N];
    signal input salt;
    signal output out;
    signal output packed[M];

    component pack = PackLabels(N, BITS);
    pack.labels <== labels;
    packed <== pack.packed;
    component chain = PoseidonChain(M);
    chain.elements <== pack.packed;
    chain.salt <== salt;
    out <== chain.out;
}
