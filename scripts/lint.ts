/** `npm run lint`: formatting and lint for TypeScript (Biome) and Solidity (prettier-plugin-solidity, solhint), and type checks. */
import { join } from "node:path";
import { ROOT, run } from "./lib/process.ts";

const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);
const checks: [string, string, string[], string?][] = [
  ["biome (TS format + lint)", bin("biome"), ["check", "."]],
  ["prettier (Solidity format)", bin("prettier"), ["--check", "contracts/**/*.sol", "test/contracts/**/*.sol"]],
  ["solhint (Solidity lint)", bin("solhint"), ["--max-warnings", "0", "contracts/**/*.sol"]],
  ["tsc (scripts, tests, packages)", bin("tsc"), ["--noEmit", "-p", "."]],
  ["tsc (web app)", bin("tsc"), ["--noEmit", "-p", "apps/web"]],
  ["tsc (indexer)", bin("tsc"), ["--noEmit", "-p", "apps/indexer"]],
  ["no import cycles, no app lib/ -> components/", process.execPath, [join(ROOT, "scripts/lint/imports.ts")]],
  [
    "contract ABIs of the SDK are up to date",
    process.execPath,
    [join(ROOT, "packages/sdk/scripts/gen-abi.ts"), "--check"],
  ],
  [
    "public-input layout is generated from circuits/circuits.json",
    process.execPath,
    [join(ROOT, "scripts/circuits/gen-layout.ts"), "--check"],
  ],
  ["no relative import leaves its package", process.execPath, [join(ROOT, "scripts/lint/relative-imports.ts")]],
  [
    "no rule branches outside packages/core/src/rules/ and the labeler map",
    process.execPath,
    [join(ROOT, "scripts/lint/rule-branches.ts")],
  ],
];
let failed = 0;
for (const [name, cmd, args] of checks) {
  try {
    await run(cmd, args);
    console.log(`ok    ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL  ${name}\n${e instanceof Error ? e.message : e}`);
  }
}
if (failed) {
  console.log(
    `\n${failed} check(s) failed. Formatting is automatic: npx biome check --write . && npx prettier --write "contracts/**/*.sol"`,
  );
  process.exit(1);
}
