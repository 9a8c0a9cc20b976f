/**
 * Lint: no code outside the rule modules (packages/core/src/rules/) and the app's labeler map
 * (apps/web/src/components/work/labelers.tsx) branches on a rule. A comparison with a rule's
 * name or id, RULE_IDS.x, or the old ruleNameOf lookup means a fourth rule would have to edit
 * that file too: ask the registry (ruleById, ruleByName) for the rule's module instead.
 *
 * Usage: node scripts/lint/rule-branches.ts [--count] [--ref GIT_REF]
 *   --count  print the number of branches per file and exit 0 (how the note counts them)
 *   --ref    read the files of that commit instead of the working tree
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "@zklabel/core/rules";

const ROOT = join(import.meta.dirname, "..", "..");
const names = RULES.map((r) => r.name).join("|");
const ids = RULES.map((r) => r.id).join("|");
const q = `["'\`]`;

/** What counts as branching on a rule, each with what to do instead. */
const PATTERNS: [RegExp, string][] = [
  [new RegExp(`[!=]==?\\s*${q}(${names})${q}|${q}(${names})${q}\\s*[!=]==?`), "compares with a rule name"],
  [new RegExp(`\\bcase\\s+${q}(${names})${q}`), "switches on a rule name"],
  [/\bRULE_IDS\.\w+/, "names a rule id"],
  [new RegExp(`ruleId\\s*[!=]==?\\s*(${ids})\\b|\\b(${ids})\\s*[!=]==?\\s*[\\w.]*ruleId\\b`), "compares a rule id"],
  [/\bruleNameOf\(/, "maps a rule id to a name by hand"],
];

/** Files allowed to branch on rules: the rule modules, the registry's own table, and the app's labeler map. */
const ALLOWED = [/^packages\/core\/src\/rules\//, /^apps\/web\/src\/components\/work\/labelers\.tsx$/];
/** Tests exercise particular rules on purpose; generated files and build output are not code we write. */
const SKIPPED = [
  /(^|\/)test\//,
  /\.test\.tsx?$/,
  /\/generated\//,
  /(^|\/)node_modules\//,
  /\.next\//,
  /^scripts\/lint\/rule-branches\.ts$/,
];

export interface RuleBranch {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** Every rule branch in the source files of `ref` (the working tree when absent). */
export function findRuleBranches(ref?: string): RuleBranch[] {
  const list = ref
    ? execFileSync("git", ["ls-tree", "-r", "--name-only", ref], { cwd: ROOT, encoding: "utf8" })
    : execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  const files = list
    .split("\n")
    .filter((f) => /^(packages|apps|scripts)\//.test(f) && /\.(ts|tsx|mjs)$/.test(f))
    .filter((f) => !SKIPPED.some((r) => r.test(f)) && !ALLOWED.some((r) => r.test(f)));
  const found: RuleBranch[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = ref
        ? execFileSync("git", ["show", `${ref}:${file}`], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 })
        : readFileSync(join(ROOT, file), "utf8");
    } catch {
      continue; // listed but deleted in the working tree
    }
    text.split("\n").forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, "").replace(/^\s*\*.*$/, "");
      for (const [re, why] of PATTERNS) {
        if (re.test(code)) {
          found.push({ file, line: i + 1, text: line.trim(), why });
          break;
        }
      }
    });
  }
  return found;
}

if (process.argv[1] === import.meta.filename) {
  const at = process.argv.indexOf("--ref");
  const found = findRuleBranches(at > 0 ? process.argv[at + 1] : undefined);
  if (process.argv.includes("--count")) {
    const per = new Map<string, number>();
    for (const b of found) per.set(b.file, (per.get(b.file) ?? 0) + 1);
    for (const [f, n] of [...per].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(4)}  ${f}`);
    console.log(`${found.length} rule branches in ${per.size} files`);
  } else if (found.length) {
    for (const b of found) console.log(`${b.file}:${b.line}: ${b.why}: ${b.text}`);
    console.log(
      `\n${found.length} rule branch(es) outside packages/core/src/rules/ and the labeler map: ask the registry for the rule's module instead (ruleById(task.ruleId), ruleByName(name)) and call it.`,
    );
    process.exit(1);
  } else console.log("no rule branches outside the rule modules and the labeler map");
}
