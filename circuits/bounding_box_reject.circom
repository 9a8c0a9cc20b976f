pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "lib/gold.circom";

// The bits of a box label (BoxLabels in bounding_box.circom, boxLabelValue in
// packages/core/src/rules/bbox.ts): cls + x * 2^8 + y * 2^24 + w * 2^40 + h * 2^56.
function boxLabelBits() {
    return 72;
}

// BoxLabelFields: a 72-bit box label split into its class (8 bits) and
// x, y, w, h (16 bits each); Num2Bits(72) range-checks the value, so each field
// is in range and the split is the only one. Cost: 72.
template BoxLabelFields() {
    signal input value;
    signal output cls;
    signal output box[4];

    component bits = Num2Bits(boxLabelBits());
    bits.in <== value;
    var c = 0;
    for (var k = 0; k < 8; k++) c += bits.out[k] * (1 << k);
    cls <== c;
    for (var f = 0; f < 4; f++) {
        var v = 0;
        for (var k = 0; k < 16; k++) v += bits.out[8 + 16 * f + k] * (1 << k);
        box[f] <== v;
    }
}

// Overlap1D: the overlap of [a, a + la) and [b, b + lb) on one axis,
//   max(0, min(a + la, b + lb) - max(a, b)),
// for a, la, b, lb < 2^16 (the caller's range checks). Every comparator input
// is below its width: a + la, b + lb < 2^17 and max(a, b) < 2^16; the min and
// max are selections between range-checked operands, so they are in range too.
// The result is at most min(la, lb). Cost: 17 + 18 + 18 + 3 = 56.
template Overlap1D() {
    signal input a;
    signal input la;
    signal input b;
    signal input lb;
    signal output out;

    component endLess = LessThan(17);
    endLess.in <== [a + la, b + lb];
    signal end;
    end <== b + lb + endLess.out * (a + la - b - lb);
    component startLess = LessThan(16);
    startLess.in <== [a, b];
    signal start;
    start <== a + startLess.out * (b - a);
    component overlaps = LessThan(17);
    overlaps.in <== [start, end];
    out <== overlaps.out * (end - start);
}

// BoxIoUAtLeast: IoU(A, B) >= t percent, exactly, in integers:
//   inter = ix * iy, union = wA * hA + wB * hB - inter, 100 * inter >= t * union.
// Boxes are [x, y, w, h] of 16-bit values, t < 2^7 (the caller's range checks).
// inter <= min(wA hA, wB hB) < 2^32, so union >= 0 and union < 2^33,
// 100 * inter < 2^39 and t * union < 2^40: a 40-bit comparison. Two empty
// boxes (union = 0) match: 0 >= 0. iouAtLeast in packages/core/src/rules/bbox.ts
// is the twin. Cost: 2 * 56 + 4 + 41 = 157.
template BoxIoUAtLeast() {
    signal input a[4];
    signal input b[4];
    signal input t;
    signal output out;

    component ix = Overlap1D();
    ix.a <== a[0];
    ix.la <== a[2];
    ix.b <== b[0];
    ix.lb <== b[2];
    component iy = Overlap1D();
    iy.a <== a[1];
    iy.la <== a[3];
    iy.b <== b[1];
    iy.lb <== b[3];
    signal inter;
    inter <== ix.out * iy.out;
    signal areaA;
    areaA <== a[2] * a[3];
    signal areaB;
    areaB <== b[2] * b[3];
    signal scaledUnion;
    scaledUnion <== t * (areaA + areaB - inter);
    component less = LessThan(40);
    less.in <== [100 * inter, scaledUnion];
    out <== 1 - less.out;
}

// BoxGoldMatch: a worker's box label matches the gold box when the classes
// are equal and IoU >= t percent (BoxIoUAtLeast). Both labels are split by
// BoxLabelFields (which range-checks the worker's label to 72 bits, the
// packing width of its commitment). Cost: 2 * 72 + 2 + 157 + 1 = 304.
template BoxGoldMatch() {
    signal input label;
    signal input gold;
    signal input t;
    signal output out;

    component mine = BoxLabelFields();
    mine.value <== label;
    component answer = BoxLabelFields();
    answer.value <== gold;
    component sameClass = IsEqual();
    sameClass.in <== [mine.cls, answer.cls];
    component iou = BoxIoUAtLeast();
    iou.a <== mine.box;
    iou.b <== answer.box;
    iou.t <== t;
    out <== sameClass.out * iou.out;
}

// BoxReject(N, DEPTH): the requester's gold rejection of a bounding-box batch:
// GoldBatch over the worker's 72-bit box labels, where a label matches its
// gold box when BoxGoldMatch holds at goldThreshold, the minimum IoU in
// percent (range-checked to 7 bits; the escrow checks it is <= 100). The gold
// tree has one leaf per item, of the shape ClassificationReject reads.
// Public inputs as ClassificationReject's.
// Cost: GoldBatch + 304 N + 7: 44,249 at N = 64, DEPTH = 20 (634 per label
// marginal, against the N = 32 twin; 691.4 amortized).
template BoxReject(N, DEPTH) {
    signal input goldRoot;
    signal input batchIndex;
    signal input count;
    signal input labelsCommitment;
    signal input bound;
    signal input goldThreshold;

    signal input labels[N];
    signal input salt;
    signal input isGold[N];
    signal input goldLabel[N];
    signal input goldSalt[N];
    signal input pathSiblings[DEPTH - log2ceil(N)];

    component thresholdBits = Num2Bits(7);
    thresholdBits.in <== goldThreshold;

    component matches[N];
    signal match[N];
    for (var i = 0; i < N; i++) {
        matches[i] = BoxGoldMatch();
        matches[i].label <== labels[i];
        matches[i].gold <== goldLabel[i];
        matches[i].t <== goldThreshold;
        match[i] <== matches[i].out;
    }

    component batch = GoldBatch(N, DEPTH, boxLabelBits());
    batch.goldRoot <== goldRoot;
    batch.batchIndex <== batchIndex;
    batch.count <== count;
    batch.labelsCommitment <== labelsCommitment;
    batch.bound <== bound;
    batch.labels <== labels;
    batch.salt <== salt;
    batch.isGold <== isGold;
    batch.goldLabel <== goldLabel;
    batch.goldSalt <== goldSalt;
    batch.pathSiblings <== pathSiblings;
    batch.match <== match;
}
