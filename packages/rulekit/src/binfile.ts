/** The container format of snarkjs' and circom's binary files (.ptau, .r1cs, .zkey, .wtns): magic, version, sections. */
export function binSections(buf: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let pos = 12;
  while (pos < buf.length) {
    const id = buf.readUInt32LE(pos);
    const size = Number(buf.readBigUInt64LE(pos + 4));
    out.set(id, buf.subarray(pos + 12, pos + 12 + size));
    pos += 12 + size;
  }
  return out;
}
