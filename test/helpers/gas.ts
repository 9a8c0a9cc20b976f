import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT } from "./classification.ts";

const PATH = join(ROOT, "test/contracts/gas-snapshot.json");

/**
 * Gas snapshot: a rise above 2% fails until the snapshot is updated
 * (UPDATE_GAS_SNAPSHOT=1) and explained in review. Test files each record
 * their own keys into the one snapshot.
 */
export async function checkGasSnapshot(measured: Record<string, bigint>): Promise<void> {
  const saved = JSON.parse(await readFile(PATH, "utf8").catch(() => "{}")) as Record<string, number>;
  const current = Object.fromEntries(Object.entries(measured).map(([k, v]) => [k, Number(v)]));
  if (process.env.UPDATE_GAS_SNAPSHOT) {
    const merged = Object.fromEntries(Object.entries({ ...saved, ...current }).sort(([a], [b]) => a.localeCompare(b)));
    await writeFile(PATH, `${JSON.stringify(merged, null, 2)}\n`);
    return;
  }
  for (const [k, v] of Object.entries(current)) {
    assert.ok(saved[k] !== undefined, `gas snapshot has no entry for ${k}: run with UPDATE_GAS_SNAPSHOT=1`);
    assert.ok(
      v <= saved[k] * 1.02,
      `gas for ${k} rose from ${saved[k]} to ${v} (> 2%): explain it and update the snapshot`,
    );
  }
}
