/**
 * The rule authoring kit end to end, in a scratch copy of the repository's circuits and core
 * (build/kit-test/): a scaffolded rule compiles and passes its generated tests out of the box; a
 * rule written right passes; and `rule test` reports, in words, a rule underconstrained by a
 * missing constraint and one whose check is an assert.
 */
import assert from "node:assert/strict";
import { cp, mkdir, readFile, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { testRule } from "@zklabel/rulekit/check";
import { GENERATED_MARK, pascal, rulePaths } from "@zklabel/rulekit/generate";
import { scaffoldRule } from "@zklabel/rulekit/scaffold";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const SCRATCH = join(ROOT, "build", "kit-test", String(process.pid));

/** A span rule: one entity span [start, end) inside a text, of a kind, at least minLength long. */
/** Each scratch rule gets its own id (the scaffold refuses an id another rule has). */
let nextId = 40;
const span = (name: string) => ({
  name,
  id: nextId++,
  title: "Entity spans",
  noun: "entity-span",
  summary: "each text has one entity span inside it, at least the minimum length",
  items: { kind: "fields", fields: [{ name: "length", bits: 16, from: "text.length" }] },
  label: [
    { name: "start", type: "number", bits: 16 },
    { name: "end", type: "number", bits: 16 },
    { name: "kind", type: "enum", values: ["person", "place", "organisation"] },
  ],
  params: [{ name: "minLength", bits: 16 }],
  batch: 32,
  budget: { perLabel: 400 },
});

/** Replaces the author's template of `name` in the scratch circuit file. */
async function writeItemTemplate(name: string, body: string) {
  const file = join(SCRATCH, rulePaths(name).circuit);
  const src = await readFile(file, "utf8");
  const start = src.indexOf(`template ${pascal(name)}Item()`);
  const end = src.indexOf(GENERATED_MARK);
  await writeFile(file, `${src.slice(0, start)}template ${pascal(name)}Item() {\n${body}\n}\n\n${src.slice(end)}`);
}

const SPAN_INPUTS = `    signal input enabled;
    signal input length;
    signal input start;
    signal input end;
    signal input kind;
    signal input minLength;`;

/** The TypeScript twin every span variant shares: start + minLength <= end <= length. */
const SPAN_CHECK = `check: ({ label, item, params }) => {
      const issues: KitIssue[] = [];
      if (label.end > item.length) issues.push({ code: "past_text", message: \`end \${label.end} is past the text's \${item.length} characters\` });
      if (label.start + params.minLength > label.end)
        issues.push({ code: "too_short", message: \`the span \${label.start}..\${label.end} is shorter than \${params.minLength}\` });
      return issues;
    },
    sample: (i) => ({ item: { length: 40 + i }, label: { start: 2, end: 10, kind: i % 3 }, params: { minLength: 3 } }),`;

/** Puts `check` (and `sample`) in the scratch module of `name`. */
async function writeSpanModule(name: string, check = SPAN_CHECK) {
  const file = join(SCRATCH, rulePaths(name).module);
  const src = await readFile(file, "utf8");
  const out = src.replace(/check: \(\{ label, item, params \}\) => \{[\s\S]*?sample: [^\n]*\n/, `${check}\n`);
  assert.notEqual(out, src, "the generated module has the check and sample the test replaces");
  await writeFile(file, out);
}

async function writeExamples(name: string, files?: Record<string, object>) {
  const dir = join(SCRATCH, rulePaths(name).examples);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const ex = (about: string, label: object, expect: string, breaks?: string) => ({
    about,
    params: { minLength: 3 },
    item: { length: 20 },
    label: { kind: "place", ...label },
    expect,
    ...(breaks ? { breaks } : {}),
  });
  files ??= {
    "valid.json": ex("a span inside the text", { start: 4, end: 12 }, "valid"),
    "valid-to-the-end.json": ex("a span that ends with the text", { start: 0, end: 20 }, "valid"),
    "invalid-past-text.json": ex("a span past the text's end", { start: 15, end: 21 }, "invalid", "past_text"),
    "invalid-too-short.json": ex("a span shorter than minLength", { start: 10, end: 12 }, "invalid", "too_short"),
    "invalid-backwards.json": ex("a span that ends before it starts", { start: 12, end: 4 }, "invalid", "too_short"),
  };
  for (const [f, x] of Object.entries(files)) await writeFile(join(dir, f), `${JSON.stringify(x, null, 2)}\n`);
}

before(async () => {
  await rm(SCRATCH, { recursive: true, force: true });
  await mkdir(join(SCRATCH, "packages", "core"), { recursive: true });
  await cp(join(ROOT, "circuits"), join(SCRATCH, "circuits"), { recursive: true });
  await cp(join(ROOT, "packages", "core", "src"), join(SCRATCH, "packages", "core", "src"), { recursive: true });
  await cp(join(ROOT, "packages", "core", "package.json"), join(SCRATCH, "packages", "core", "package.json"));
  await symlink(join(ROOT, "packages", "core", "node_modules"), join(SCRATCH, "packages", "core", "node_modules"));
  // circom (WebAssembly) opens files under its working folder only: the circom library is copied, not linked.
  await mkdir(join(SCRATCH, "node_modules"), { recursive: true });
  await symlink(await realpath(join(ROOT, "node_modules", "circom2")), join(SCRATCH, "node_modules", "circom2"));
  await cp(await realpath(join(ROOT, "node_modules", "circomlib")), join(SCRATCH, "node_modules", "circomlib"), {
    recursive: true,
  });
});
after(() => rm(SCRATCH, { recursive: true, force: true }));

describe("zklabel rule new + rule test", () => {
  test("a scaffolded rule compiles and passes its generated tests out of the box", async () => {
    const r = await scaffoldRule(SCRATCH, span("spanfresh"), "span.json");
    for (const f of ["circuits/spanfresh.circom", "packages/core/src/rules/spanfresh.ts", "circuits/circuits.json"])
      assert.ok(r.written.includes(f), `wrote ${f}`);
    const index = await readFile(join(SCRATCH, "packages/core/src/rules/index.ts"), "utf8");
    assert.match(index, /spanfreshRule,\n/);
    const registry = JSON.parse(await readFile(join(SCRATCH, "circuits/circuits.json"), "utf8"));
    assert.ok(registry.circuits.some((c: { name: string }) => c.name === "spanfresh_worker_n32_d20_g20"));
    await assert.rejects(scaffoldRule(SCRATCH, span("spanfresh"), "span.json"), /exists already/);

    const report = await testRule(SCRATCH, "spanfresh");
    for (const x of report.results) console.log(`# ${x.ok ? "ok" : "FAIL"} ${x.check}: ${x.detail}`);
    assert.ok(report.ok, "every check of the fresh scaffold passes");
    for (const c of ["examples", "asserts", "soundness", "source", "budget"])
      assert.ok(
        report.results.some((x) => x.check === c && x.ok),
        `ran the ${c} check`,
      );
    assert.ok(report.constraints.perLabel > 0 && report.constraints.perLabel <= 400);
  });

  test("a description with mistakes is refused with each one named", async () => {
    const bad = { ...span("spanbad"), batch: 24, label: [{ name: "count", type: "number", bits: 99 }] };
    await assert.rejects(scaffoldRule(SCRATCH, bad, "bad.json"), (e: Error) => {
      assert.match(e.message, /batch: batch must be a power of two/);
      assert.match(e.message, /label\.0\.name: this name is reserved/);
      assert.match(e.message, /label\.0\.bits: bits must be at most 48/);
      return true;
    });
  });

  test("a rule written right passes every check", async () => {
    await scaffoldRule(SCRATCH, span("spanok"), "span.json");
    await writeSpanModule("spanok");
    await writeExamples("spanok");
    await writeItemTemplate(
      "spanok",
      `${SPAN_INPUTS}
    // end <= length and start + minLength <= end, as 16-bit differences (both sides are 16-bit fields).
    component inside = Num2Bits(16);
    inside.in <== enabled * (length - end);
    component longEnough = Num2Bits(16);
    longEnough.in <== enabled * (end - start - minLength);`,
    );
    const report = await testRule(SCRATCH, "spanok");
    for (const x of report.results) console.log(`# ${x.ok ? "ok" : "FAIL"} ${x.check}: ${x.detail}`);
    assert.ok(report.ok);
    assert.equal(
      report.results.filter((x) => x.check === "asserts").length,
      3,
      "every invalid example is refused by a constraint",
    );
  });

  test("rule test reports a rule underconstrained by a missing constraint", async () => {
    await scaffoldRule(SCRATCH, span("spanhint"), "span.json");
    await writeSpanModule("spanhint");
    await writeExamples("spanhint");
    await writeItemTemplate(
      "spanhint",
      `${SPAN_INPUTS}
    // BROKEN: room is assigned with <-- and only range-checked: nothing ties it to length and end.
    signal room;
    room <-- length - end;
    component inside = Num2Bits(16);
    inside.in <== enabled * room;
    // BROKEN: ok is computed and never constrained at all.
    signal ok;
    ok <-- start + minLength <= end ? 1 : 0;`,
    );
    const report = await testRule(SCRATCH, "spanhint");
    for (const x of report.results) console.log(`# ${x.ok ? "ok" : "FAIL"} ${x.check}: ${x.detail}`);
    assert.equal(report.ok, false);
    const failed = (check: string, words: RegExp) =>
      assert.ok(
        report.results.some((x) => x.check === check && !x.ok && words.test(x.detail)),
        `a failed ${check} check matching ${words}`,
      );
    failed("source", /assigns room with <-- but no constraint ties room to length, end/);
    failed("soundness", /no constraint pins.*main\.rule\[\d\]\.room/);
    failed("source", /assigns ok with <-- but no constraint ties ok to start, minLength, end/);
    failed("examples", /invalid-too-short\.json.*the circuit accepts it/);
    failed("source", /parameter minLength is in no constraint of SpanhintItem/);
  });

  test("rule test reports a rule whose check is an assert", async () => {
    await scaffoldRule(SCRATCH, span("spanassert"), "span.json");
    await writeSpanModule("spanassert");
    await writeExamples("spanassert");
    await writeItemTemplate(
      "spanassert",
      `${SPAN_INPUTS}
    component inside = Num2Bits(16);
    inside.in <== enabled * (length - end);
    // BROKEN: an assert is checked by the witness generator, never by the proof.
    assert(enabled == 0 || start + minLength <= end);`,
    );
    const report = await testRule(SCRATCH, "spanassert");
    for (const x of report.results) console.log(`# ${x.ok ? "ok" : "FAIL"} ${x.check}: ${x.detail}`);
    assert.equal(report.ok, false);
    const asserts = report.results.filter((x) => x.check === "asserts" && !x.ok);
    assert.deepEqual(
      asserts.map((x) => x.detail.split(":")[0]).sort(),
      ["invalid-backwards.json", "invalid-too-short.json"],
      "the two examples only the assert refuses",
    );
    assert.match(asserts[0].detail, /refused only by an assert .*a proof of this invalid label exists/);
    assert.ok(report.results.some((x) => x.check === "asserts" && x.ok && /invalid-past-text/.test(x.detail)));
  });

  test("rule test reports an unchecked comparator input and a range check the field wraps", async () => {
    // A span at most maxLength long: the upper bound a wrapped difference slips under.
    const desc = { ...span("spanwide"), params: [{ name: "maxLength", bits: 16 }] };
    await scaffoldRule(SCRATCH, desc, "spanwide.json");
    await writeSpanModule(
      "spanwide",
      `check: ({ label, item, params }) => {
      const issues: KitIssue[] = [];
      if (label.end > item.length) issues.push({ code: "past_text", message: "past the text" });
      if (label.end < label.start) issues.push({ code: "backwards", message: "ends before it starts" });
      else if (label.end - label.start > params.maxLength) issues.push({ code: "too_long", message: "too long" });
      return issues;
    },
    sample: () => ({ item: { length: 40 }, label: { start: 2, end: 10, kind: 0 }, params: { maxLength: 10 } }),`,
    );
    const ex = (label: object, expect: string, breaks?: string) => ({
      about: JSON.stringify(label),
      params: { maxLength: 10 },
      item: { length: 20 },
      label: { kind: 0, ...label },
      expect,
      ...(breaks ? { breaks } : {}),
    });
    await writeExamples("spanwide", {
      "valid.json": ex({ start: 4, end: 12 }, "valid"),
      "invalid-backwards.json": ex({ start: 12, end: 4 }, "invalid", "backwards"),
      "invalid-past-text.json": ex({ start: 15, end: 21 }, "invalid", "past_text"),
      "invalid-too-long.json": ex({ start: 0, end: 15 }, "invalid", "too_long"),
    });
    await writeItemTemplate(
      "spanwide",
      `    signal input enabled;
    signal input length;
    signal input start;
    signal input end;
    signal input kind;
    signal input maxLength;
    // BROKEN: end - start is not range-checked; with end < start it wraps to p - k, which LessThan reads as negative.
    component shortEnough = LessThan(16);
    shortEnough.in[0] <== end - start;
    shortEnough.in[1] <== maxLength + 1;
    enabled * (1 - shortEnough.out) === 0;
    // BROKEN: 254 bits hold p - k too, so this "non-negative" check passes for end > length.
    component inside = Num2Bits(254);
    inside.in <== enabled * (length - end);`,
    );
    const report = await testRule(SCRATCH, "spanwide");
    for (const x of report.results) console.log(`# ${x.ok ? "ok" : "FAIL"} ${x.check}: ${x.detail}`);
    const failedExamples = report.results.filter((x) => x.check === "examples" && !x.ok).map((x) => x.detail);
    assert.equal(failedExamples.length, 2, failedExamples.join("\n"));
    assert.match(failedExamples[0], /^invalid-backwards\.json .*the circuit accepts it/);
    assert.match(failedExamples[1], /^invalid-past-text\.json .*the circuit accepts it/);
    assert.ok(report.results.some((x) => x.check === "examples" && x.ok && /invalid-too-long/.test(x.detail)));
  });
});
