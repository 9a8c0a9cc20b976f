/**
 * `node packages/core/scripts/gen-poseidon-opt.ts [--check]`: writes src/generated/poseidon-opt.ts,
 * the constants of circomlib's optimized Poseidon (round constants C, sparse matrices S, MDS M and
 * pre-sparse P, from circomlib/circuits/poseidon_constants.circom) for the widths the dataset tree
 * hashes with: t = 3 (Poseidon(2), one binary node) and t = 17 (Poseidon(16), one bottom chunk).
 * --check fails when the file in the tree differs from what it would write.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const WIDTHS = [3, 17];
const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "../src/generated/poseidon-opt.ts");
const circomlib = dirname(createRequire(join(here, "../../../package.json")).resolve("circomlib/package.json"));
const source = readFileSync(join(circomlib, "circuits/poseidon_constants.circom"), "utf8");

/** The hex numbers function `name` returns for width t, in order (matrices row by row). */
function constants(name: string, t: number): string[] {
  const fn = source.indexOf(`function ${name}(t)`);
  if (fn < 0) throw new Error(`poseidon_constants.circom has no ${name}`);
  const start = source.indexOf(`(t==${t})`, fn);
  const end = source.indexOf("} else", start);
  if (start < 0 || end < 0) throw new Error(`${name} has no branch for t = ${t}`);
  return [...source.slice(start, end).matchAll(/0x([0-9a-fA-F]+)/g)].map((m) => m[1].toLowerCase().padStart(64, "0"));
}

const lines = [
  "// Generated from circomlib/circuits/poseidon_constants.circom by packages/core/scripts/gen-poseidon-opt.ts.",
  "// Do not edit: run `node packages/core/scripts/gen-poseidon-opt.ts`.",
  "",
  "/** circomlib's optimized-Poseidon constants for one width t: 64-hex-digit numbers, one a line (matrices row by row). */",
  "export interface PoseidonOptHex {",
  "  C: string;",
  "  S: string;",
  "  M: string;",
  "  P: string;",
  "}",
  "",
  "/** By width t = inputs + 1. */",
  "export const POSEIDON_OPT: Record<number, PoseidonOptHex> = {",
];
for (const t of WIDTHS) {
  lines.push(`  ${t}: {`);
  for (const name of ["C", "S", "M", "P"]) {
    lines.push(`    ${name}: \`\n${constants(`POSEIDON_${name}`, t).join("\n")}\`,`);
  }
  lines.push("  },");
}
lines.push("};", "");
const text = lines.join("\n");
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(out, "utf8");
  } catch {}
  if (current !== text) {
    console.error(`${out} is out of date: run node packages/core/scripts/gen-poseidon-opt.ts`);
    process.exit(1);
  }
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
