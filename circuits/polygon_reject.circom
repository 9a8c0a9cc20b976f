pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "lib/gold.circom";

// The gold rejection of polygon batches (docs/protocol.md §3.5): a polygon matches its gold
// polygon when the classes are equal and their IoU, measured on a GRID x GRID raster of the two
// polygons' joint bounding box, is at least goldThreshold percent. polygonIoUAtLeast in
// packages/core/src/rules/polygon.ts is the twin, decision for decision.

// The vertices of a polygon label (VERTICES in packages/core/src/rules/polygon.ts) and its bits:
// cls (5 bits), n (3 bits), then x_i at bit 8 + 32 i and y_i at bit 24 + 32 i (16 bits each).
function polygonMaxVertices() {
    return 6;
}
function polygonLabelBits() {
    return 200;
}

// The width of a raster coordinate: pixels (16 bits) times S = 2 GRID.
function rasterBits(GRID) {
    return 16 + log2ceil(2 * GRID);
}

// PolygonFields: a 200-bit polygon label split into its class, vertex count n and vertices.
// Num2Bits(200) range-checks the value, so every field is in range and the split is the only
// one. active[i] = (i < n): booleans that never rise again and sum to n (so n <= 6), and every
// vertex past n is (0, 0), as the worker's PolygonItem has it. A value 0 (an empty slot) is a
// polygon with no vertex. Cost: 201 + 5 * 6 = 231.
template PolygonFields() {
    var V = polygonMaxVertices();
    signal input value;
    signal output cls;
    signal output n;
    signal output x[V];
    signal output y[V];
    signal output active[V];

    component bits = Num2Bits(polygonLabelBits());
    bits.in <== value;
    var c = 0;
    for (var k = 0; k < 5; k++) c += bits.out[k] * (1 << k);
    cls <== c;
    n <== bits.out[5] + 2 * bits.out[6] + 4 * bits.out[7];
    for (var i = 0; i < V; i++) {
        var xv = 0;
        var yv = 0;
        for (var k = 0; k < 16; k++) {
            xv += bits.out[8 + 32 * i + k] * (1 << k);
            yv += bits.out[24 + 32 * i + k] * (1 << k);
        }
        x[i] <== xv;
        y[i] <== yv;
    }
    var total = 0;
    for (var i = 0; i < V; i++) {
        active[i] <-- i < n ? 1 : 0;
        active[i] * (active[i] - 1) === 0;
        if (i > 0) {
            active[i] * (1 - active[i - 1]) === 0;
        }
        x[i] * (1 - active[i]) === 0;
        y[i] * (1 - active[i]) === 0;
        total += active[i];
    }
    total === n;
}

// Extreme(K, BITS, MAX): the minimum (MAX = 0) or maximum (MAX = 1) of K values below 2^BITS
// (the caller's range checks), by a running selection. Cost: (K - 1) * (BITS + 2).
template Extreme(K, BITS, MAX) {
    signal input in[K];
    signal output out;

    component less[K - 1];
    signal best[K];
    best[0] <== in[0];
    for (var k = 1; k < K; k++) {
        less[k - 1] = LessThan(BITS);
        if (MAX == 1) {
            less[k - 1].in <== [best[k - 1], in[k]];
        } else {
            less[k - 1].in <== [in[k], best[k - 1]];
        }
        best[k] <== best[k - 1] + less[k - 1].out * (in[k] - best[k - 1]);
    }
    out <== best[K - 1];
}

// PolygonRaster(GRID): which of the GRID x GRID sample points lie inside a polygon, by the
// even-odd rule. In units of 1/S pixel, S = 2 GRID, a vertex is (S x, S y) and the sample point
// of cell (r, c) is PX_c = S x0 + (2c + 1) w, PY_r = S y0 + (2r + 1) h: the cell centres of the
// box [x0, x0 + w] x [y0, y0 + h], which the caller makes the bounding box of the polygons.
//
// Edge e runs from vertex e to the next active vertex (the last active one closes on vertex 0;
// an edge past n is (0, 0) to (0, 0) and crosses nothing). It crosses the rightward ray from
// (PX, PY) when it straddles the row, (S y_a > PY) != (S y_b > PY), and the point lies left of
// the crossing: sigma * D > 0, with D = (PY - S y_a) dX - (PX - S x_a) dY, (dX, dY) the edge
// and sigma = sign(dY) = 2 [S y_b > PY] - 1 on a straddling edge. sigma * D never rises with c
// (sigma dY = |dY| and PX_c grows with c), so the crossings of row r are the columns c < k:
// the witness gives k as a one-hot h[0..GRID], checked by sigma D(k - 1) > 0 (when k > 0) and
// sigma D(k) <= 0 (when k < GRID); a row the edge does not straddle has k = 0. Every operand is
// below 2^rasterBits in magnitude, so |D| < 2^(2 rasterBits + 1) and the two sign checks are
// range checks of that width. A point is inside when the number of columns-to-the-right
// crossings, sum over edges of [c < k_e], is odd (its low bit, Num2Bits(3): at most 6 edges).
// Cost: V * GRID * (rasterBits + 1 + 2 (2 rasterBits + 2) + GRID + 12) + GRID^2 * 4:
// 6,208 at GRID = 8.
template PolygonRaster(GRID) {
    var V = polygonMaxVertices();
    var S = 2 * GRID;
    var RB = rasterBits(GRID);
    var DB = 2 * RB + 1;
    signal input x[V];
    signal input y[V];
    signal input active[V];
    signal input x0;
    signal input y0;
    signal input w;
    signal input h;
    signal output inside[GRID][GRID];

    // The edges: closes[e] = 1 at the last active vertex, whose edge ends at vertex 0.
    signal closes[V];
    signal wrap[V][2];
    signal nx[V];
    signal ny[V];
    for (var e = 0; e < V; e++) {
        if (e < V - 1) {
            closes[e] <== active[e] - active[e + 1];
        } else {
            closes[e] <== active[e];
        }
        wrap[e][0] <== closes[e] * x[0];
        wrap[e][1] <== closes[e] * y[0];
        if (e < V - 1) {
            nx[e] <== x[e + 1] + wrap[e][0];
            ny[e] <== y[e + 1] + wrap[e][1];
        } else {
            nx[e] <== wrap[e][0];
            ny[e] <== wrap[e][1];
        }
    }
    // w dY per edge, for D(k - 1) = D(k) + 2 w dY.
    signal wdY[V];
    for (var e = 0; e < V; e++) wdY[e] <== w * (S * ny[e] - S * y[e]);

    // above[v][r] = S y_v > PY_r; both sides are below S * 2^16 <= 2^RB.
    component above[V][GRID];
    for (var v = 0; v < V; v++) {
        for (var r = 0; r < GRID; r++) {
            above[v][r] = LessThan(RB);
            above[v][r].in <== [S * y0 + (2 * r + 1) * h, S * y[v]];
        }
    }

    signal ub[V][GRID];
    signal both[V][GRID];
    signal straddle[V][GRID];
    signal q[V][GRID];
    signal hot[V][GRID][GRID + 1];
    signal kw[V][GRID];
    signal t[V][GRID];
    signal sd[V][GRID];
    signal swdY[V][GRID];
    signal on1[V][GRID];
    signal on2[V][GRID];
    component left[V][GRID];
    component right[V][GRID];
    for (var e = 0; e < V; e++) {
        for (var r = 0; r < GRID; r++) {
            var py = S * y0 + (2 * r + 1) * h;
            if (e < V - 1) {
                ub[e][r] <== above[e + 1][r].out + closes[e] * (above[0][r].out - above[e + 1][r].out);
            } else {
                ub[e][r] <== closes[e] * above[0][r].out;
            }
            both[e][r] <== above[e][r].out * ub[e][r];
            straddle[e][r] <== above[e][r].out + ub[e][r] - 2 * both[e][r];
            var dX = S * nx[e] - S * x[e];
            var dY = S * ny[e] - S * y[e];
            var sigma = 2 * ub[e][r] - 1;
            q[e][r] <== (py - S * y[e]) * dX;

            // k = the number of columns left of the crossing (0 off a straddled row), one-hot.
            var k = 0;
            if (straddle[e][r] == 1) {
                for (var c = 0; c < GRID; c++) {
                    var d = q[e][r] - (S * x0 + (2 * c + 1) * w - S * x[e]) * dY;
                    if (sigma * d > 0) k++;
                }
            }
            var ones = 0;
            var kk = 0;
            for (var j = 0; j <= GRID; j++) {
                hot[e][r][j] <-- j == k ? 1 : 0;
                hot[e][r][j] * (hot[e][r][j] - 1) === 0;
                ones += hot[e][r][j];
                kk += j * hot[e][r][j];
            }
            ones === 1;
            (1 - straddle[e][r]) * (1 - hot[e][r][0]) === 0;

            // sigma D(k) and sigma D(k - 1).
            kw[e][r] <== kk * w;
            t[e][r] <== (S * x0 + w + 2 * kw[e][r] - S * x[e]) * dY;
            sd[e][r] <== sigma * (q[e][r] - t[e][r]);
            swdY[e][r] <== sigma * wdY[e];
            on1[e][r] <== straddle[e][r] * (1 - hot[e][r][0]);
            on2[e][r] <== straddle[e][r] * (1 - hot[e][r][GRID]);
            // sigma D(k - 1) > 0, i.e. sigma D(k - 1) - 1 in [0, 2^DB).
            left[e][r] = Num2Bits(DB);
            left[e][r].in <== on1[e][r] * (sd[e][r] + 2 * swdY[e][r] - 1);
            // sigma D(k) <= 0, i.e. -sigma D(k) in [0, 2^DB).
            right[e][r] = Num2Bits(DB);
            right[e][r].in <== on2[e][r] * (0 - sd[e][r]);
        }
    }

    // Point (r, c) crosses edge e when c < k_e: sum of hot[e][r][j] for j > c.
    component parity[GRID][GRID];
    for (var r = 0; r < GRID; r++) {
        for (var c = 0; c < GRID; c++) {
            var crossings = 0;
            for (var e = 0; e < V; e++) {
                for (var j = c + 1; j <= GRID; j++) crossings += hot[e][r][j];
            }
            parity[r][c] = Num2Bits(3);
            parity[r][c].in <== crossings;
            inside[r][c] <== parity[r][c].out[0];
        }
    }
}

// PolygonGoldMatch(GRID): a worker's polygon label matches the gold polygon when the classes
// are equal and 100 * inter >= t * union, where inter and union count the sample points of
// the GRID x GRID raster (PolygonRaster) of the two polygons' joint bounding box inside both
// and inside either. Zero union (no point inside either) does not match: the raster did not see
// the polygons (they are too thin, or too small and far apart), and nothing was measured. The
// box: the minimum and maximum coordinate over the active vertices of both (an inactive vertex
// stands in as its polygon's vertex 0 for the minimum; it is (0, 0), which never raises a
// maximum). t < 2^7 (the caller's range check). Cost: 2 * 231 + 12 + 4 * 11 * 18 + 2 * 6,208
// + GRID^2 + 6 + (log2ceil(128 GRID^2) + 2): about 13,800 at GRID = 8.
template PolygonGoldMatch(GRID) {
    var V = polygonMaxVertices();
    signal input label;
    signal input gold;
    signal input t;
    signal output out;

    component p[2];
    p[0] = PolygonFields();
    p[0].value <== label;
    p[1] = PolygonFields();
    p[1].value <== gold;

    signal lowX[2 * V];
    signal lowY[2 * V];
    for (var k = 0; k < 2; k++) {
        for (var i = 0; i < V; i++) {
            lowX[k * V + i] <== p[k].x[i] + (1 - p[k].active[i]) * p[k].x[0];
            lowY[k * V + i] <== p[k].y[i] + (1 - p[k].active[i]) * p[k].y[0];
        }
    }
    component minX = Extreme(2 * V, 16, 0);
    minX.in <== lowX;
    component minY = Extreme(2 * V, 16, 0);
    minY.in <== lowY;
    component maxX = Extreme(2 * V, 16, 1);
    component maxY = Extreme(2 * V, 16, 1);
    for (var k = 0; k < 2; k++) {
        for (var i = 0; i < V; i++) {
            maxX.in[k * V + i] <== p[k].x[i];
            maxY.in[k * V + i] <== p[k].y[i];
        }
    }

    component raster[2];
    for (var k = 0; k < 2; k++) {
        raster[k] = PolygonRaster(GRID);
        raster[k].x <== p[k].x;
        raster[k].y <== p[k].y;
        raster[k].active <== p[k].active;
        raster[k].x0 <== minX.out;
        raster[k].y0 <== minY.out;
        raster[k].w <== maxX.out - minX.out;
        raster[k].h <== maxY.out - minY.out;
    }
    signal common[GRID][GRID];
    var inter = 0;
    var either = 0;
    for (var r = 0; r < GRID; r++) {
        for (var c = 0; c < GRID; c++) {
            common[r][c] <== raster[0].inside[r][c] * raster[1].inside[r][c];
            inter += common[r][c];
            either += raster[0].inside[r][c] + raster[1].inside[r][c] - common[r][c];
        }
    }
    // 100 * inter <= 100 GRID^2 and t * union <= 127 GRID^2, both below 128 GRID^2.
    signal scaledUnion;
    scaledUnion <== t * either;
    component less = LessThan(log2ceil(128 * GRID * GRID));
    less.in <== [100 * inter, scaledUnion];
    // No point inside either (polygons too thin or too far apart for the raster to see) is no match.
    component empty = IsZero();
    empty.in <== either;
    component sameClass = IsEqual();
    sameClass.in <== [p[0].cls, p[1].cls];
    signal measured;
    measured <== sameClass.out * (1 - empty.out);
    out <== measured * (1 - less.out);
}

// PolygonReject(N, DEPTH, SLOTS, GRID): the requester's gold rejection of a polygon batch:
// GoldBatch over the worker's 200-bit polygon labels (one label per packed element, so the
// packing is the identity and injective without a range check; each compared label is split
// and range-checked by PolygonFields), where a label matches its gold polygon when
// PolygonGoldMatch holds at goldThreshold (minimum raster IoU in percent, 7 bits; the escrow
// checks it is <= 100).
//
// A match costs about 13,800 constraints, so only the batch's gold items are compared, at most
// SLOTS of them: pick[s][i] = 1 puts item i in slot s. Each gold item sits in exactly one slot
// (sum over s of pick[s][i] = isGold[i]), each slot holds at most one item, the used slots come
// first and hold their items in increasing order: the gold items decide the picks, and none
// can be left out. A batch with more than SLOTS gold items has no rejection (the SDK refuses
// such a gold set for polygon tasks). Public inputs as ClassificationReject's.
// Cost: GoldBatch + SLOTS * (PolygonGoldMatch + 3 N + ...) + 7.
template PolygonReject(N, DEPTH, SLOTS, GRID) {
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
    signal input pick[SLOTS][N];

    component thresholdBits = Num2Bits(7);
    thresholdBits.in <== goldThreshold;

    // The slots: booleans, at most one item each, used slots first, items in increasing order.
    signal used[SLOTS];
    signal index[SLOTS];
    component order[SLOTS];
    for (var s = 0; s < SLOTS; s++) {
        var u = 0;
        var at = 0;
        for (var i = 0; i < N; i++) {
            pick[s][i] * (pick[s][i] - 1) === 0;
            u += pick[s][i];
            at += i * pick[s][i];
        }
        used[s] <== u;
        used[s] * (used[s] - 1) === 0;
        index[s] <== at;
        if (s > 0) {
            used[s] * (1 - used[s - 1]) === 0;
            order[s] = LessThan(log2ceil(N) + 1);
            order[s].in <== [index[s - 1], index[s]];
            used[s] * (1 - order[s].out) === 0;
        }
    }
    // Every gold item in exactly one slot, no other item in any.
    for (var i = 0; i < N; i++) {
        var inSlots = 0;
        for (var s = 0; s < SLOTS; s++) inSlots += pick[s][i];
        inSlots === isGold[i];
    }

    // Each slot's label and gold polygon, and whether they match.
    signal pickedLabel[SLOTS][N];
    signal pickedGold[SLOTS][N];
    component matches[SLOTS];
    for (var s = 0; s < SLOTS; s++) {
        var l = 0;
        var g = 0;
        for (var i = 0; i < N; i++) {
            pickedLabel[s][i] <== pick[s][i] * labels[i];
            pickedGold[s][i] <== pick[s][i] * goldLabel[i];
            l += pickedLabel[s][i];
            g += pickedGold[s][i];
        }
        matches[s] = PolygonGoldMatch(GRID);
        matches[s].label <== l;
        matches[s].gold <== g;
        matches[s].t <== goldThreshold;
    }
    // match[i]: the match of item i's slot (0 for an item in none, which is not gold).
    signal hit[SLOTS][N];
    signal match[N];
    for (var i = 0; i < N; i++) {
        var m = 0;
        for (var s = 0; s < SLOTS; s++) {
            hit[s][i] <== pick[s][i] * matches[s].out;
            m += hit[s][i];
        }
        match[i] <== m;
    }

    component batch = GoldBatch(N, DEPTH, polygonLabelBits());
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
