/** When clients may start and submit batches (decision 31), and the requester key's subgroup point (decision 36). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Base8, inCurve, mulPointEscalar } from "@zk-kit/baby-jubjub";
import { expectedRuleEntry, oldCircuitProblem, sameRuleEntry } from "../src/deployment.ts";
import { keyDiv8, requesterKeyFromSignature } from "../src/identity.ts";
import {
  CANCEL_NOTICE_SECONDS,
  cannotStartBatch,
  cannotSubmit,
  START_MARGIN_SECONDS,
  SUBMIT_MARGIN_SECONDS,
  taskPhase,
} from "../src/lifecycle.ts";

const now = 1_000_000;

describe("task lifecycle for clients", () => {
  const open = { cancelled: false, deadline: now + 86400, closesAt: now + 86400 };
  const closing = { cancelled: true, deadline: now + 86400, closesAt: now + CANCEL_NOTICE_SECONDS };

  it("an open task takes new batches and submissions", () => {
    assert.equal(taskPhase(open, now), "open");
    assert.equal(cannotStartBatch(open, now), undefined);
    assert.equal(cannotSubmit(open, now), undefined);
  });

  it("a cancelled task in its notice period takes submissions but no new batch", () => {
    assert.equal(taskPhase(closing, now), "closing");
    assert.match(cannotStartBatch(closing, now) ?? "", /cancelled this task: it closes at .*no new batch/);
    assert.equal(cannotSubmit(closing, now), undefined, "a batch already labeled may still be submitted");
    assert.match(
      cannotSubmit(closing, now + CANCEL_NOTICE_SECONDS - SUBMIT_MARGIN_SECONDS + 1) ?? "",
      /public without pay/,
    );
    assert.equal(taskPhase(closing, now + CANCEL_NOTICE_SECONDS + 1), "closed");
    assert.match(cannotSubmit(closing, now + CANCEL_NOTICE_SECONDS + 1) ?? "", /closed at .*\(cancelled\)/);
  });

  it("a task the escrow recorded as complete reads complete, before or after its close, and takes nothing", () => {
    for (const t of [open, closing]) {
      const done = { ...t, completed: true };
      assert.equal(taskPhase(done, now), "complete");
      assert.equal(taskPhase(done, now + 2 * 86400), "complete");
      assert.match(cannotStartBatch(done, now) ?? "", /complete/);
      assert.match(cannotSubmit(done, now) ?? "", /complete/);
    }
  });

  it("near the deadline no batch is started, and at the last moment none is broadcast", () => {
    const end = open.closesAt;
    assert.equal(cannotStartBatch(open, end - START_MARGIN_SECONDS), undefined);
    assert.match(cannotStartBatch(open, end - START_MARGIN_SECONDS + 1) ?? "", /too soon to label/);
    assert.equal(cannotSubmit(open, end - SUBMIT_MARGIN_SECONDS), undefined);
    assert.match(cannotSubmit(open, end - SUBMIT_MARGIN_SECONDS + 1) ?? "", /could be mined after that/);
    assert.match(cannotStartBatch(open, end + 1) ?? "", /deadline .* has passed/);
  });
});

describe("requester key", () => {
  it("pkRDiv8 is a curve point whose triple doubling is pkR", () => {
    for (const sig of [`0x${"5a".repeat(65)}`, `0x${"01".repeat(65)}`] as const) {
      const k = requesterKeyFromSignature(sig);
      assert.ok(inCurve([...k.pkRDiv8] as [bigint, bigint]));
      assert.deepEqual(mulPointEscalar([...k.pkRDiv8] as [bigint, bigint], 8n), [...k.pkR]);
      assert.deepEqual(keyDiv8(k.skR), k.pkRDiv8);
    }
    assert.deepEqual(mulPointEscalar([...keyDiv8(1n)] as [bigint, bigint], 8n), Base8);
  });
});

describe("expected rule entry", () => {
  const rules = [
    {
      ruleId: 1,
      verifier: "0x00000000000000000000000000000000000000Aa",
      batchVerifier: "0x00000000000000000000000000000000000000bB",
      rejectVerifier: "0x00000000000000000000000000000000000000cC",
      batchSize: 64,
      datasetDepth: 20,
      publicInputCount: 13,
    },
  ];
  it("is the deployment's entry, compared case-insensitively; a rule it does not name is an error", () => {
    const e = expectedRuleEntry({ rules }, 1);
    assert.ok(sameRuleEntry(e, { ...e, verifier: e.verifier.toLowerCase() as `0x${string}` }));
    assert.ok(!sameRuleEntry(e, { ...e, publicInputCount: 14 }));
    assert.ok(!sameRuleEntry(e, { ...e, batchVerifier: "0x0000000000000000000000000000000000000000" }));
    assert.ok(!sameRuleEntry(e, { ...e, rejectVerifier: "0x0000000000000000000000000000000000000000" }));
    assert.throws(() => expectedRuleEntry({ rules }, 2), /names no verifier for rule 2/);
  });

  it("a task created with another verifier of its rule (an older circuit version) is named, not proven for", () => {
    const d = { rules: [{ ...rules[0], circuit: "classification_worker_n64_d20_g20" }] };
    assert.equal(oldCircuitProblem(d, 1, rules[0].verifier.toLowerCase(), 7n), undefined);
    assert.equal(oldCircuitProblem(d, 2, "0x00000000000000000000000000000000000000dd", 7n), undefined);
    assert.equal(
      oldCircuitProblem(d, 1, "0x00000000000000000000000000000000000000dd", 7n),
      "task 7 was created with rule 1's verifier 0x00000000000000000000000000000000000000dd, which this deployment no longer names (it names 0x00000000000000000000000000000000000000Aa, circuit classification_worker_n64_d20_g20): the task takes proofs of an older circuit version, which this client does not make. Pick another task.",
    );
  });
});
