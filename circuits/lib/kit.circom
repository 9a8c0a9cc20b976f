pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/poseidon.circom";
include "batch.circom";

// Templates the rule authoring kit's generated circuits use (zklabel rule new,
// docs/writing-rules.md). A kit rule's circuit is its author's per-item
// template, and a generated worker batch that wires it into the shared
// envelope (lib/envelope.circom) with these.

// KitFieldLeaves(N, K): the leaves of a dataset whose items commit K fields:
// leaf[i] = present[i] * Poseidon(contentHash[i], fields[i][0..K-1]), and
// every input is 0 past count, so the padding is the usual empty subtree and
// nothing past count is a free value. Cost: N * (Poseidon(K + 1) + K + 2).
template KitFieldLeaves(N, K) {
    signal input contentHash[N];
    signal input fields[N][K];
    signal input present[N];
    signal output leaves[N];

    component h[N];
    for (var i = 0; i < N; i++) {
        contentHash[i] * (1 - present[i]) === 0;
        h[i] = Poseidon(K + 1);
        h[i].inputs[0] <== contentHash[i];
        for (var k = 0; k < K; k++) {
            fields[i][k] * (1 - present[i]) === 0;
            h[i].inputs[k + 1] <== fields[i][k];
        }
        leaves[i] <== present[i] * h[i].out;
    }
}

// KitImageSizes(N): an image's width and height from its committed meta =
// width * 2^16 + height (the bounding-box datasets' encoding), each
// range-checked to 16 bits, so the split is the only one. Cost: N * 35.
template KitImageSizes(N) {
    signal input meta[N];
    signal output width[N];
    signal output height[N];

    component w[N];
    component h[N];
    for (var i = 0; i < N; i++) {
        height[i] <-- meta[i] & 0xffff;
        width[i] <-- meta[i] >> 16;
        width[i] * 65536 + height[i] === meta[i];
        w[i] = Num2Bits(16);
        w[i].in <== width[i];
        h[i] = Num2Bits(16);
        h[i].in <== height[i];
    }
}

// KitEnum(BITS, COUNT): 0 <= in < COUNT <= 2^BITS: in fits BITS bits, and so
// does COUNT - 1 - in (which wraps past 2^BITS for any in >= COUNT). Cost:
// 2 * (BITS + 1), or BITS + 1 when COUNT = 2^BITS.
template KitEnum(BITS, COUNT) {
    signal input in;

    component fits = Num2Bits(BITS);
    fits.in <== in;
    if (COUNT != (1 << BITS)) {
        component below = Num2Bits(BITS);
        below.in <== COUNT - 1 - in;
    }
}
