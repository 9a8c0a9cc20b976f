pragma circom 2.1.0;

// BabyJubJub constants, defined once for every template that uses the curve
// (IdentityCommitment and EncryptToRequester): the same values as
// @zk-kit/baby-jubjub's Base8 and subOrder, which packages/core uses.

// Base8, the generator of the prime-order subgroup (the base of Semaphore
// public keys and of ephemeral encryption keys).
function babyJubJubBase8() {
    return [
        5299619240641551281634865583518297030282874472190772894086521144482721001553,
        16950150798460657717958625567821834550301663161624707787222815936182638968203
    ];
}

// l, the order of the subgroup Base8 generates.
function babyJubJubSubgroupOrder() {
    return 2736030358979909402780800718157159386076813972158567259200215660948447373041;
}
