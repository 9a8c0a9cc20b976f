/**
 * The measured part of the dataset bench (scripts/bench/dataset.ts), run as is in Node and, bundled
 * by esbuild, in chromium: synthetic items, then the SDK's own dataset functions, the ones the
 * app's post form (buildDataset in PostTaskPage) and `zklabel dataset` call.
 */
import { ruleByName, ruleCircuit } from "@zklabel/core/rules";
import { buildDataset, datasetTree, itemFacts, kindOfRule } from "@zklabel/sdk/dataset";

/** The rule whose datasets the bench builds: classification ("content" kind: leaf = the item's content hash). */
export const BENCH_RULE = "classification";

/** One size's timings in milliseconds and the root it built. */
export interface StageTimes {
  items: number;
  /** Mean item size in bytes. */
  meanBytes: number;
  contentHashMs: number;
  leafMs: number;
  treeMs: number;
  /** buildDataset end to end (content hashes, duplicate check, manifest, tree), timed on its own. */
  totalMs: number;
  /** Hex root from the stages; buildDataset's root must equal it (checked here). */
  root: string;
}

/**
 * `n` synthetic small images as a classification dataset holds them: a PNG signature and IHDR
 * (32×32, RGBA) and a pseudo-random body, 1,500 to 3,000 bytes (a 32×32 thumbnail's PNG size),
 * named img-000000.png... Deterministic: the same items in Node and in the browser.
 */
export function syntheticImages(n: number): { name: string; bytes: Uint8Array; type: string }[] {
  let s = 0x9e3779b9;
  const items = [];
  for (let i = 0; i < n; i++) {
    const size = 1500 + ((i * 7919) % 1501);
    const b = new Uint8Array(size);
    b.set([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 32, 0, 0, 0, 32,
    ]);
    b.set([8, 6, 0, 0, 0], 24);
    for (let k = 29; k < size; k += 4) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      b[k] = s & 255;
      b[k + 1] = (s >>> 8) & 255;
      b[k + 2] = (s >>> 16) & 255;
      b[k + 3] = s >>> 24;
    }
    items.push({ name: `img-${String(i).padStart(6, "0")}.png`, bytes: b, type: "image/png" });
  }
  return items;
}

/** Builds an n-item dataset stage by stage, then with buildDataset, as the deployed circuit's depth and batch size say. */
export function runStages(n: number): StageTimes {
  const rule = ruleByName(BENCH_RULE);
  const { N: batchSize, DEPTH: depth } = ruleCircuit(rule).params;
  const kind = kindOfRule(rule.id);
  const items = syntheticImages(n);

  let t = performance.now();
  const facts = items.map((x) => itemFacts(kind, x.name, x.bytes, x.type));
  const contentHashMs = performance.now() - t;

  t = performance.now();
  const leaves = rule.leavesOf(facts);
  const leafMs = performance.now() - t;

  t = performance.now();
  const root = datasetTree(kind, depth, batchSize, facts).root;
  const treeMs = performance.now() - t;

  t = performance.now();
  const built = buildDataset(items, { depth, batchSize, kind });
  const totalMs = performance.now() - t;

  if (leaves.length !== n) throw new Error(`${leaves.length} leaves for ${n} items`);
  if (built.tree.root !== root)
    throw new Error(`buildDataset's root ${built.manifest.root} differs from the stages' root`);
  return {
    items: n,
    meanBytes: Math.round(items.reduce((a, x) => a + x.bytes.length, 0) / n),
    contentHashMs,
    leafMs,
    treeMs,
    totalMs,
    root: built.manifest.root,
  };
}
