// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Groth16 batch verifier (BN254)
/// @notice Verifies k proofs of one circuit with k + 3 pairings instead of 4k. Each proof's equation
/// e(A, B) = e(alpha, beta) * e(vk_x, gamma) * e(C, delta) is scaled by a random 128-bit r_i derived
/// from all proofs and inputs (Fiat-Shamir), and the products are checked at once:
///   prod_i e(-r_i A_i, B_i) * e((sum r_i) alpha, beta) * e(sum r_i vk_x_i, gamma) * e(sum r_i C_i, delta) = 1.
/// A false proof passes only if the r_i hit a root of a nonzero polynomial: probability about 2^-128.
/// The public inputs enter through one multi-scalar multiplication for the whole batch, not one per
/// proof: sum r_i vk_x_i = (sum r_i) IC_0 + sum_j (sum_i r_i x_ij) IC_j+1, the scalars reduced mod R
/// (G1 has prime order R, so the point is the same). That is n ecMul per call instead of n per proof.
/// Each circuit's generated verifier (scripts/circuits/build.ts) supplies the verifying key.
abstract contract Groth16BatchVerifier {
    /// @dev Base field modulus of BN254 (coordinates).
    uint256 internal constant Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583;
    /// @dev Scalar field modulus of BN254 (public inputs, scalars).
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @dev An elliptic-curve precompile refused its input (a coordinate off the curve).
    error PrecompileFailed(uint256 precompile);

    struct Accumulator {
        uint256[2] c;
        uint256 sumR;
        /// scalars[j] = sum_i r_i x_ij mod R: the weight of IC[j + 1] in sum r_i vk_x_i.
        uint256[] scalars;
    }

    struct VerifyingKey {
        uint256[2] alpha1;
        /// G2 points as the precompile takes them: [x.imaginary, x.real, y.imaginary, y.real].
        uint256[4] beta2;
        uint256[4] gamma2;
        uint256[4] delta2;
        /// IC[0] + sum input_j * IC[j + 1] = vk_x.
        uint256[2][] ic;
    }

    /// @dev Reverts where the keys must not be trusted (development keys off the local chain).
    function _checkChain() internal view virtual;

    /// @dev The circuit's verifying key.
    function _verifyingKey() internal pure virtual returns (VerifyingKey memory);

    /// @notice True when every proof is valid for its public inputs.
    /// @param proofs Each as [A.x, A.y, B.x1, B.x0, B.y1, B.y0, C.x, C.y] (the escrow's proof words).
    /// @param inputs The public inputs of all proofs, proof after proof (k * publicInputCount words).
    function verifyBatch(uint256[8][] calldata proofs, uint256[] calldata inputs) external view returns (bool) {
        _checkChain();
        VerifyingKey memory vk = _verifyingKey();
        uint256 k = proofs.length;
        uint256 n = vk.ic.length - 1;
        if (k == 0 || inputs.length != k * n) return false;
        for (uint256 j = 0; j < inputs.length; j++) {
            if (inputs[j] >= R) return false;
        }
        bytes32 seed = keccak256(abi.encode(proofs, inputs));
        uint256[] memory pairing = new uint256[](6 * (k + 3));
        Accumulator memory acc;
        acc.scalars = new uint256[](n);
        for (uint256 i = 0; i < k; i++) {
            uint256 r = (uint256(keccak256(abi.encode(seed, i))) >> 128) | 1;
            if (!_addProof(proofs[i], inputs[i * n:(i + 1) * n], r, pairing, 6 * i, acc)) return false;
        }
        // sum r_i vk_x_i, with one ecMul per input position for the whole batch.
        uint256[2] memory vkx = [vk.ic[0][0], vk.ic[0][1]];
        _mulInPlace(vkx, acc.sumR);
        uint256[2] memory tmp;
        for (uint256 j = 0; j < n; j++) {
            if (acc.scalars[j] != 0) _mulAdd(vkx, vk.ic[j + 1], acc.scalars[j], tmp);
        }
        uint256 b = 6 * k;
        _mulInPlace(vk.alpha1, acc.sumR);
        _put(pairing, b, vk.alpha1, vk.beta2);
        _put(pairing, b + 6, vkx, vk.gamma2);
        _put(pairing, b + 12, acc.c, vk.delta2);
        (bool ok, bytes memory out) = address(8).staticcall(abi.encodePacked(pairing));
        return ok && out.length == 32 && abi.decode(out, (uint256)) == 1;
    }

    /// @dev Adds proof i: the pair (-(r A), B) at `o`, and r x_j, r C, r to the accumulator.
    /// Precompile calls write into preallocated points, so the loop allocates no memory.
    function _addProof(
        uint256[8] calldata p,
        uint256[] calldata x,
        uint256 r,
        uint256[] memory pairing,
        uint256 o,
        Accumulator memory acc
    ) private view returns (bool) {
        for (uint256 c = 0; c < 8; c++) {
            if (p[c] >= Q) return false;
        }
        uint256[2] memory point = [p[0], p[1]];
        _mulInPlace(point, r);
        pairing[o] = point[0];
        pairing[o + 1] = point[1] == 0 ? 0 : Q - point[1];
        pairing[o + 2] = p[2];
        pairing[o + 3] = p[3];
        pairing[o + 4] = p[4];
        pairing[o + 5] = p[5];
        uint256[] memory scalars = acc.scalars;
        for (uint256 j = 0; j < x.length; j++) {
            scalars[j] = addmod(scalars[j], mulmod(r, x[j], R), R);
        }
        point[0] = p[6];
        point[1] = p[7];
        _mulInPlace(point, r);
        _addInPlace(acc.c, point);
        acc.sumR = addmod(acc.sumR, r, R);
        return true;
    }

    /// @dev acc += s * base, using `tmp` as scratch.
    function _mulAdd(uint256[2] memory acc, uint256[2] memory base, uint256 s, uint256[2] memory tmp) private view {
        tmp[0] = base[0];
        tmp[1] = base[1];
        _mulInPlace(tmp, s);
        _addInPlace(acc, tmp);
    }

    /// @dev a = s * a.
    function _mulInPlace(uint256[2] memory a, uint256 s) private view {
        bool ok;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, mload(a))
            mstore(add(m, 0x20), mload(add(a, 0x20)))
            mstore(add(m, 0x40), s)
            ok := staticcall(gas(), 7, m, 0x60, a, 0x40)
        }
        if (!ok) revert PrecompileFailed(7);
    }

    /// @dev a = a + b.
    function _addInPlace(uint256[2] memory a, uint256[2] memory b) private view {
        bool ok;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, mload(a))
            mstore(add(m, 0x20), mload(add(a, 0x20)))
            mstore(add(m, 0x40), mload(b))
            mstore(add(m, 0x60), mload(add(b, 0x20)))
            ok := staticcall(gas(), 6, m, 0x80, a, 0x40)
        }
        if (!ok) revert PrecompileFailed(6);
    }

    function _put(uint256[] memory pairing, uint256 o, uint256[2] memory g1, uint256[4] memory g2) private pure {
        pairing[o] = g1[0];
        pairing[o + 1] = g1[1];
        pairing[o + 2] = g2[0];
        pairing[o + 3] = g2[1];
        pairing[o + 4] = g2[2];
        pairing[o + 5] = g2[3];
    }
}
