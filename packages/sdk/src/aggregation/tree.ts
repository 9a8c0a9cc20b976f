/**
 * The aggregation tree: substrate's binary_merkle_tree over keccak256 of the statements, its root and
 * paths, and the receipt contract's path check, as contracts/aggregation/SubstrateMerkle.sol does it.
 */
import { concat, type Hex, isHex, keccak256 } from "viem";
import { invalid } from "./statement.ts";

const ZERO_ROOT: Hex = `0x${"00".repeat(32)}`;

function checkStatements(statements: readonly Hex[]) {
  statements.forEach((s, i) => {
    if (!isHex(s) || s.length !== 66) throw invalid(`statement ${i} (${s}) is not 32 bytes of hex`);
  });
}

/** The rows of substrate's binary_merkle_tree over keccak256, leaves first (a leaf node is keccak256(statement)). */
function rows(statements: readonly Hex[]): Hex[][] {
  checkStatements(statements);
  const out: Hex[][] = [statements.map((s) => keccak256(s))];
  for (let row = out[0]; row.length > 1; ) {
    const next: Hex[] = [];
    // Pairs in position order; an odd last node goes up unchanged.
    for (let i = 0; i < row.length; i += 2)
      next.push(i + 1 < row.length ? keccak256(concat([row[i], row[i + 1]])) : row[i]);
    out.push(next);
    row = next;
  }
  return out;
}

/** The root of an aggregation of `statements` (in order); 32 zero bytes for none. */
export function aggregationRoot(statements: readonly Hex[]): Hex {
  if (statements.length === 0) return ZERO_ROOT;
  const r = rows(statements);
  return r[r.length - 1][0];
}

/** The root and the path of statement `index`: what the receipt contract's check takes. */
export function aggregationPath(
  statements: readonly Hex[],
  index: number,
): { root: Hex; merklePath: Hex[]; leafCount: number; index: number } {
  if (!Number.isInteger(index) || index < 0 || index >= statements.length)
    throw invalid(`index ${index} is not a leaf of an aggregation of ${statements.length}`);
  const r = rows(statements);
  const merklePath: Hex[] = [];
  let pos = index;
  for (const row of r.slice(0, -1)) {
    const sibling = pos ^ 1;
    // A node without a sibling (the odd last one) is promoted: nothing on the path for this row.
    if (sibling < row.length) merklePath.push(row[sibling]);
    pos >>= 1;
  }
  return { root: r[r.length - 1][0], merklePath, leafCount: statements.length, index };
}

/** The receipt contract's check (contracts/aggregation/SubstrateMerkle.sol `verify`), in TypeScript. */
export function verifyAggregationPath(
  root: Hex,
  merklePath: readonly Hex[],
  leafCount: number | bigint,
  index: number | bigint,
  statement: Hex,
): boolean {
  let pos = BigInt(index);
  let width = BigInt(leafCount);
  if (pos >= width) throw invalid(`index ${pos} is not below the leaf count ${width} (the contract reverts)`);
  let node = keccak256(statement);
  for (const p of merklePath) {
    node = pos % 2n === 1n || pos + 1n === width ? keccak256(concat([p, node])) : keccak256(concat([node, p]));
    pos /= 2n;
    width = (width - 1n) / 2n + 1n;
  }
  return node.toLowerCase() === root.toLowerCase();
}
