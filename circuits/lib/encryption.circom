pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/escalarmulfix.circom";
include "circomlib/circuits/escalarmulany.circom";
include "babyjub.circom";

// The ciphertext length of a LEN-element plaintext: the plaintext zero-padded
// to a multiple of 3, plus the authentication tag.
function ciphertextLength(LEN) {
    return ((LEN + 2) \ 3) * 3 + 1;
}

// PoseidonDuplexEncrypt: the Poseidon duplex cipher of @zk-kit/poseidon-cipher
// (poseidonEncrypt), written in the encrypting direction:
//   state = Perm(0, key.x, key.y, nonce + LEN * 2^128)
//   for each block of 3: state[1..3] += block; ciphertext += state[1..3]; state = Perm(state)
//   ciphertext += state[1]                                    (authentication tag)
// The plaintext is zero-padded to a multiple of 3. nonce must be < 2^128 so
// that nonce and length cannot collide. Cost: (ceil(LEN / 3) + 1) Poseidon
// permutations of width 4, about 250 constraints each, plus 129 for the nonce.
template PoseidonDuplexEncrypt(LEN) {
    var PADDED = ciphertextLength(LEN) - 1;
    var BLOCKS = PADDED \ 3;
    signal input plaintext[LEN];
    signal input key[2];
    signal input nonce;
    signal output ciphertext[ciphertextLength(LEN)];

    component nonceBits = Num2Bits(128);
    nonceBits.in <== nonce;

    component perm[BLOCKS + 1];
    perm[0] = PoseidonEx(3, 4);
    perm[0].initialState <== 0;
    perm[0].inputs[0] <== key[0];
    perm[0].inputs[1] <== key[1];
    perm[0].inputs[2] <== nonce + LEN * (1 << 128);
    for (var b = 0; b < BLOCKS; b++) {
        for (var j = 0; j < 3; j++) {
            var k = b * 3 + j;
            ciphertext[k] <== perm[b].out[j + 1] + (k < LEN ? plaintext[k] : 0);
        }
        perm[b + 1] = PoseidonEx(3, 4);
        perm[b + 1].initialState <== perm[b].out[0];
        for (var j = 0; j < 3; j++) perm[b + 1].inputs[j] <== ciphertext[b * 3 + j];
    }
    ciphertext[PADDED] <== perm[BLOCKS].out[1];
}

// EncryptToRequester (PROTOCOL constraint 6): an ephemeral key pair
// (ephemeralSecret, epk = ephemeralSecret * Base8), ECDH with the requester's
// key pkR, and the plaintext encrypted under the shared point. The same bits of
// the ephemeral secret drive both scalar multiplications, so the requester's
// skR * epk is exactly the shared key: the ciphertext is decryptable by
// construction. An ephemeral key of (0, 1) is refused. Cost: about 2,400
// (fixed base) + 2,500 (variable base) + 253, plus the cipher.
template EncryptToRequester(LEN) {
    signal input plaintext[LEN];
    signal input ephemeralSecret;
    signal input pkR[2];
    signal input nonce;
    signal output epk[2];
    signal output ciphertext[ciphertextLength(LEN)];

    component bits = Num2Bits(251);
    bits.in <== ephemeralSecret;
    component pub = EscalarMulFix(251, babyJubJubBase8());
    pub.e <== bits.out;
    epk <== pub.out;
    // ephemeralSecret 0 or l gives epk = (0, 1) and the shared key (0, 1), which
    // anyone could use: epk.x must be invertible (review finding F3).
    signal epkXInverse <-- epk[0] != 0 ? 1 / epk[0] : 0;
    epk[0] * epkXInverse === 1;
    component shared = EscalarMulAny(251);
    shared.e <== bits.out;
    shared.p <== pkR;

    component cipher = PoseidonDuplexEncrypt(LEN);
    cipher.plaintext <== plaintext;
    cipher.key <== shared.out;
    cipher.nonce <== nonce;
    ciphertext <== cipher.ciphertext;
}

