/**
 * INSECURE development powers of tau, computed directly from a publicly known tau.
 *
 * snarkjs' `powersoftau prepare phase2` computes the Lagrange sections with a
 * group FFT (n log n scalar multiplications) and takes over 15 minutes at 2^16
 * on these machines. Because this ceremony's secrets are public anyway, we do
 * the FFT in the scalar field instead (Lagrange coefficients at tau = ifft of
 * the powers of tau) and multiply the generators by the results with a
 * fixed-base windowed table. The file is byte-identical to what snarkjs'
 * prepare writes for the same tau, alpha and beta (checked by
 * test/circuits/dev-ptau.test.ts), so `zkey new` and `zkey verify` accept it.
 *
 * Anyone can forge proofs against keys made from this file. It carries no
 * contribution record and scripts/deploy.ts refuses to deploy its verifiers
 * to any chain but the local development one.
 */
import { createHash } from "node:crypto";
import { open, rename } from "node:fs/promises";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import { buildBn128 } from "ffjavascript";

/** The label every artifact derived from this ceremony carries. */
export const DEV_CEREMONY_LABEL = "zkLabel INSECURE development ceremony v1";

const R = SNARK_SCALAR_FIELD;

/** The public "toxic waste" of the development ceremony, derived from its label. */
export function devSecrets(label = DEV_CEREMONY_LABEL): { tau: bigint; alpha: bigint; beta: bigint } {
  const derive = (what: string) =>
    (BigInt(`0x${createHash("sha256").update(`${label}/${what}`).digest("hex")}`) % (R - 1n)) + 1n;
  return { tau: derive("tau"), alpha: derive("alpha"), beta: derive("beta") };
}

type Curve = Awaited<ReturnType<typeof buildBn128>>;
type Group = "G1" | "G2";

/**
 * Allocates in the curve's main wasm memory, growing it when needed (ffjavascript's
 * alloc does not). The wasm batch functions use the space above the free pointer
 * as scratch, so keep a generous margin there.
 */
function alloc(curve: Curve, length: number): number {
  const tm = curve.tm;
  const end = tm.u32[0] + length + (8 << 20);
  if (end > tm.memory.buffer.byteLength) {
    tm.memory.grow(Math.ceil((end - tm.memory.buffer.byteLength) / 65536));
    tm.u8 = new Uint8Array(tm.memory.buffer);
    tm.u32 = new Uint32Array(tm.memory.buffer);
  }
  return tm.alloc(length);
}

/** Multiplies one fixed base point by many scalars with 8-bit windows (32 mixed additions per point). */
class FixedBase {
  private readonly ex: Record<string, (...a: number[]) => void>;
  private readonly pTable: number;
  private readonly sAff: number;
  private readonly sJac: number;
  private readonly prefix: string;
  private readonly curve: Curve;

  constructor(curve: Curve, group: Group) {
    this.curve = curve;
    const tm = curve.tm;
    this.ex = tm.instance.exports;
    const n8 = curve[group].F.n8;
    this.sAff = n8 * 2;
    this.sJac = n8 * 3;
    this.prefix = group === "G1" ? "g1m" : "g2m";
    // table[j][d-1] = d * 256^j * G, for j < 32 windows and d in 1..255, affine Montgomery.
    const nEntries = 32 * 255;
    const pJac = alloc(this.curve, nEntries * this.sJac);
    this.pTable = alloc(this.curve, nEntries * this.sAff);
    const g = new Uint8Array(this.sAff);
    curve[group].toRprLEM(g, 0, curve[group].g);
    const pG = alloc(this.curve, this.sAff);
    tm.setBuff(pG, g);
    this.call("batchToJacobian", pG, 1, pJac);
    for (let j = 0; j < 32; j++) {
      const row = pJac + j * 255 * this.sJac;
      if (j > 0) this.call("add", row - this.sJac, row - 255 * this.sJac, row); // 255*256^(j-1) + 256^(j-1)
      for (let d = 2; d <= 255; d++) {
        this.call("add", row + (d - 2) * this.sJac, row, row + (d - 1) * this.sJac);
      }
    }
    this.call("batchToAffine", pJac, nEntries, this.pTable);
  }

  private call(fn: string, ...args: number[]) {
    this.ex[`${this.prefix}_${fn}`](...args);
  }

  /** scalars: n little-endian 32-byte integers < r. Returns n affine points in Montgomery form. */
  mul(scalars: Uint8Array): Uint8Array {
    const tm = this.curve.tm;
    const n = scalars.length / 32;
    const out = new Uint8Array(n * this.sAff);
    const chunk = 1 << 12;
    const top = tm.u32[0];
    const pAcc = alloc(this.curve, chunk * this.sJac);
    const pAff = alloc(this.curve, chunk * this.sAff);
    const add = this.ex[`${this.prefix}_addMixed`];
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      new Uint8Array(tm.memory.buffer, pAcc, m * this.sJac).fill(0);
      for (let i = 0; i < m; i++) {
        const acc = pAcc + i * this.sJac;
        const s = (start + i) * 32;
        for (let j = 0; j < 32; j++) {
          const d = scalars[s + j];
          if (d !== 0) add(acc, this.pTable + (j * 255 + d - 1) * this.sAff, acc);
        }
      }
      this.call("batchToAffine", pAcc, m, pAff);
      out.set(new Uint8Array(tm.memory.buffer, pAff, m * this.sAff), start * this.sAff);
    }
    tm.u32[0] = top;
    return out;
  }
}

/** Little-endian 32-byte encodings of a vector of field elements. */
function toLE(values: bigint[]): Uint8Array {
  const out = new Uint8Array(values.length * 32);
  values.forEach((v, i) => {
    let x = v;
    for (let b = 0; b < 32; b++) {
      out[i * 32 + b] = Number(x & 0xffn);
      x >>= 8n;
    }
  });
  return out;
}

function fromLE(buf: Uint8Array): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < buf.length; i += 32) {
    let x = 0n;
    for (let b = 31; b >= 0; b--) x = (x << 8n) | BigInt(buf[i + b]);
    out.push(x);
  }
  return out;
}

function powers(x: bigint, n: number): bigint[] {
  const out = new Array<bigint>(n);
  let acc = 1n;
  for (let i = 0; i < n; i++) {
    out[i] = acc;
    acc = (acc * x) % R;
  }
  return out;
}

const scale = (v: bigint[], k: bigint) => v.map((x) => (x * k) % R);

/** Lagrange basis of the size-2^p domain evaluated at tau: the inverse FFT of tau's powers. */
async function lagrange(curve: Curve, tauPowers: bigint[], zeroLast: boolean): Promise<bigint[]> {
  const v = tauPowers.slice();
  if (zeroLast) v[v.length - 1] = 0n; // snarkjs pads its 2^(power+1)-1 tau powers with zero
  const Fr = curve.Fr;
  const mont = await Fr.batchToMontgomery(toLE(v));
  const res = await Fr.ifft(mont);
  return fromLE(await Fr.batchFromMontgomery(res));
}

/**
 * Writes a prepared (phase-2 ready) ptau file of the given power, the size
 * snarkjs' `zkey new` needs for circuits with up to 2^power constraints.
 */
export async function writeDevPtau(
  path: string,
  power: number,
  log: (msg: string) => void = () => {},
  secrets = devSecrets(),
): Promise<void> {
  const { tau, alpha, beta } = secrets;
  const curve = await buildBn128(true);
  try {
    const g1 = new FixedBase(curve, "G1");
    const g2 = new FixedBase(curve, "G2");
    const n = 2 ** power;
    const tauPow = powers(tau, 2 * n);
    const sections = new Map<number, Uint8Array[]>();
    const push = (id: number, b: Uint8Array) => {
      const list = sections.get(id) ?? [];
      list.push(b);
      sections.set(id, list);
    };

    const header = new Uint8Array(4 + 32 + 8);
    const hv = new DataView(header.buffer);
    hv.setUint32(0, 32, true);
    header.set(toLE([curve.q]), 4);
    hv.setUint32(36, power, true);
    hv.setUint32(40, power, true);
    push(1, header);

    log(`tau powers (2^${power + 1} G1, 2^${power} G2, alpha and beta)`);
    push(2, g1.mul(toLE(tauPow.slice(0, 2 * n - 1))));
    push(3, g2.mul(toLE(tauPow.slice(0, n))));
    push(4, g1.mul(toLE(scale(tauPow.slice(0, n), alpha))));
    push(5, g1.mul(toLE(scale(tauPow.slice(0, n), beta))));
    push(6, g2.mul(toLE([beta])));
    push(7, new Uint8Array(4)); // no contributions: this ceremony has no transcript

    for (let p = 0; p <= power + 1; p++) {
      log(`Lagrange basis 2^${p}`);
      const l = await lagrange(curve, tauPow.slice(0, 2 ** p), p === power + 1);
      push(12, g1.mul(toLE(l)));
      if (p <= power) {
        push(13, g2.mul(toLE(l)));
        push(14, g1.mul(toLE(scale(l, alpha))));
        push(15, g1.mul(toLE(scale(l, beta))));
      }
    }

    const tmp = `${path}.partial`;
    const fh = await open(tmp, "w");
    try {
      const ids = [...sections.keys()].sort((a, b) => a - b);
      const fileHeader = new Uint8Array(12);
      fileHeader.set(new TextEncoder().encode("ptau"), 0);
      new DataView(fileHeader.buffer).setUint32(4, 1, true);
      new DataView(fileHeader.buffer).setUint32(8, ids.length, true);
      await fh.write(fileHeader);
      for (const id of ids) {
        const parts = sections.get(id) ?? [];
        const size = parts.reduce((s, b) => s + b.length, 0);
        const sh = new Uint8Array(12);
        new DataView(sh.buffer).setUint32(0, id, true);
        new DataView(sh.buffer).setBigUint64(4, BigInt(size), true);
        await fh.write(sh);
        for (const b of parts) await fh.write(b);
      }
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } finally {
    await curve.terminate();
  }
}
