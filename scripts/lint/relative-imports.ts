/**
 * Lint: no package imports a file outside itself by a relative path. A package is a folder of
 * packages/ or apps/ (each with its own package.json); the rest of the tree (scripts/, test/ with
 * its test/helpers, which the packages' tests get as @zklabel/testkit, hardhat.config.ts, types/)
 * is the root's and counts as one. `../../../circuits/circuits.json` from a package compiles
 * today and breaks the day the package is used from anywhere else: depend on the package that
 * owns the file (a workspace dependency) and import it by name instead.
 *
 * Usage: node scripts/lint/relative-imports.ts
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import ts from "typescript";

const ROOT = join(import.meta.dirname, "..", "..");
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
/** Build output and generated framework files are not code we write. */
const SKIPPED = [
  /(^|\/)node_modules\//,
  /(^|\/)\.next\//,
  /^(build|artifacts|cache|\.tools)\//,
  /(^|\/)next-env\.d\.ts$/,
];

/** The package a repository path belongs to: "packages/x", "apps/x", or "." for the root tree. */
export function packageOf(path: string): string {
  const m = /^(packages|apps)\/[^/]+/.exec(path);
  return m ? m[0] : ".";
}

export interface LeavingImport {
  file: string;
  line: number;
  specifier: string;
  /** Where the import lands, relative to the repository root. */
  target: string;
}

/** The relative imports (static, dynamic, type-only, re-exports) of one file's text that land outside its package. */
export function leavingImports(file: string, text: string): LeavingImport[] {
  const from = packageOf(file);
  const found: LeavingImport[] = [];
  for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
    if (!/^\.\.?\//.test(ref.fileName)) continue;
    const target = normalize(join(dirname(file), ref.fileName));
    if (target.startsWith("..") || packageOf(target) !== from) {
      const line = text.slice(0, ref.pos).split("\n").length;
      found.push({ file, line, specifier: ref.fileName, target });
    }
  }
  return found;
}

/** Every leaving import in the working tree's source files (tracked or new, not ignored). */
export function findLeavingImports(): LeavingImport[] {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\n")
    .filter((f) => SOURCE.test(f) && !SKIPPED.some((r) => r.test(f)));
  const found: LeavingImport[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(join(ROOT, file), "utf8");
    } catch {
      continue; // listed but deleted in the working tree
    }
    found.push(...leavingImports(file, text));
  }
  return found;
}

if (import.meta.main) {
  const found = findLeavingImports();
  for (const f of found) {
    const owner = packageOf(f.target);
    console.log(
      `${f.file}:${f.line}: "${f.specifier}" leaves ${packageOf(f.file) === "." ? "the root tree" : packageOf(f.file)} ` +
        `for ${f.target.startsWith("..") ? "a path outside the repository" : owner === "." ? "the root tree" : owner}`,
    );
  }
  if (found.length) {
    console.log(
      `\n${found.length} relative import(s) leave their package: import the file by its package's name (a workspace ` +
        "dependency; the root's test helpers are @zklabel/testkit), or move the file into the package that uses it.",
    );
    process.exit(1);
  }
  console.log("no relative import leaves its package");
}
