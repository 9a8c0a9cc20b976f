/**
 * Every rule in the registry that was made with the rule authoring kit passes `zklabel rule test`
 * in this repository: its examples agree between the TypeScript check and the circuit, no check is
 * an assert alone, the witness mutation finds no free signal, the source check is clean, and the
 * constraints per label are within the rule's budget.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { RULES } from "@zklabel/core/rules";
import { isKitRule } from "@zklabel/core/rules/kit";
import { testRule } from "@zklabel/rulekit/check";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const kitRules = RULES.filter(isKitRule);

describe("the repository's kit rules pass rule test", () => {
  it("there is at least one (the entity-span rule)", () => {
    assert.ok(kitRules.some((r) => r.name === "spans"));
  });
  for (const rule of kitRules) {
    it(`${rule.name}: every check passes`, { timeout: 600_000 }, async () => {
      const report = await testRule(ROOT, rule.name);
      for (const x of report.results) console.log(`# ${x.ok ? "ok" : "FAIL"} ${x.check}: ${x.detail}`);
      assert.deepEqual(
        report.results.filter((x) => !x.ok).map((x) => `${x.check}: ${x.detail}`),
        [],
      );
      assert.ok(report.results.filter((x) => x.check === "examples").length >= 4, "valid and invalid examples ran");
    });
  }
});
