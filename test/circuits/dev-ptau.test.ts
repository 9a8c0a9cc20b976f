import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { releaseSnarkjs } from "@zklabel/core/prove";
import * as snarkjs from "snarkjs";
import { writeDevPtau } from "../../scripts/circuits/dev-ptau.ts";
import { binSections as sections } from "../../scripts/lib/binfile.ts";
import { artifacts } from "../helpers/classification.ts";

// snarkjs keeps a multi-threaded curve alive between calls; release its workers.
after(releaseSnarkjs);

test("the direct dev ptau is byte-identical to snarkjs' prepare phase2 for the same tau", async () => {
  const dir = await mkdtemp(join(tmpdir(), "ptau-"));
  const mine = join(dir, "direct.ptau");
  await writeDevPtau(mine, 5);
  const direct = await readFile(mine);
  const s = sections(direct);
  // Rebuild the unprepared file (sections 1-7) and let snarkjs prepare it the slow way.
  const ids = [1, 2, 3, 4, 5, 6, 7];
  const parts: Buffer[] = [];
  const head = Buffer.alloc(12);
  head.write("ptau", 0);
  head.writeUInt32LE(1, 4);
  head.writeUInt32LE(ids.length, 8);
  parts.push(head);
  for (const id of ids) {
    const body = s.get(id);
    assert.ok(body, `section ${id} missing`);
    const sh = Buffer.alloc(12);
    sh.writeUInt32LE(id, 0);
    sh.writeBigUInt64LE(BigInt(body.length), 4);
    parts.push(sh, body);
  }
  const unprepared = join(dir, "raw.ptau");
  await writeFile(unprepared, Buffer.concat(parts));
  const prepared = join(dir, "prepared.ptau");
  await snarkjs.powersOfTau.preparePhase2(unprepared, prepared);
  const ref = sections(await readFile(prepared));
  for (const id of [12, 13, 14, 15]) {
    assert.ok(ref.get(id)?.equals(s.get(id) as Buffer), `section ${id} differs from snarkjs' prepare`);
  }
  assert.ok(ref.get(2)?.equals(s.get(2) as Buffer));
});

test("keys made the way the build makes them (setup, deterministic beacon) pass zkey verify against the R1CS", async () => {
  // The build skips this check for speed (scripts/circuits/build.ts); here it runs on a small keyed circuit.
  const dir = await mkdtemp(join(tmpdir(), "zkey-"));
  const ptau = join(dir, "dev.ptau");
  const { r1cs } = artifacts("classification_n4_d4"); // 2,456 constraints: domain 2^12
  await writeDevPtau(ptau, 12);
  const zkey0 = join(dir, "c_0000.zkey");
  const zkey = join(dir, "c.zkey");
  await snarkjs.zKey.newZKey(r1cs, ptau, zkey0);
  await snarkjs.zKey.beacon(zkey0, zkey, "zkLabel INSECURE dev beacon", "ab".repeat(32), 10);
  assert.equal(await snarkjs.zKey.verifyFromR1cs(r1cs, ptau, zkey), true);
});
