"use client";
/**
 * Gold items: whether batches are checked against items whose answer the requester knows, and how
 * strictly. What the rule's gold answers are (a class, or a class and a box from a gold file), its
 * threshold and the gold share come from the rule module and the SDK's advice.
 */
import type { AnyRule } from "@zklabel/core/rules";
import { goldAdvice } from "@zklabel/sdk/gold";
import { useEffect } from "react";
import { plural } from "@/lib/format";
import { goldByClass, MAX_CHALLENGE_MINUTES, thresholdAdjustable } from "@/lib/post-form";
import { seconds } from "@/lib/time";
import { described, FieldError, invalid, type SectionProps } from "./fields";

export function GoldSection(
  props: SectionProps & {
    rule: AnyRule;
    /** Items in the dataset (null before files are chosen). */
    itemCount: number | null;
    batchSize: number;
    /** Dataset indexes of the items given a gold answer. */
    goldItems: readonly number[];
  },
) {
  const { form, f, set, rule } = props;
  const g = rule.gold;
  // Switching to a rule without gold turns gold off, so the form never posts what the rule refuses.
  useEffect(() => {
    if (!g && form.goldOn) set("goldOn", false);
  }, [g, form.goldOn, set]);

  if (!g)
    return (
      <fieldset className="card rq-section" disabled={props.disabled}>
        <legend className="rq-legend-title">Gold items</legend>
        <p className="small muted" data-testid="post-gold-none">
          Gold items add nothing for {rule.title.toLowerCase()} tasks: the circuit already fixes each label from the
          item, so every accepted batch is right by construction and is paid as soon as its proof is accepted.
        </p>
      </fieldset>
    );

  const advice = props.itemCount ? goldAdvice(props.itemCount, props.batchSize, props.goldItems, g.maxPerBatch) : null;
  const without = advice?.batchesWithoutGold ?? [];
  return (
    <fieldset className="card rq-section" disabled={props.disabled}>
      <legend className="rq-legend-title">Gold items (optional)</legend>
      <label className="field inline" htmlFor="post-gold-toggle">
        <input
          id="post-gold-toggle"
          type="checkbox"
          data-testid="post-gold-toggle"
          checked={form.goldOn}
          aria-describedby={described(f, "gold", "post-gold-hint")}
          onChange={(e) => set("goldOn", e.target.checked)}
        />
        <span>Check batches against gold items (items whose answer you know)</span>
      </label>
      <p id="post-gold-hint" className="small muted">
        {form.goldOn
          ? goldByClass(rule)
            ? "Mark gold items and their answers in the file list above (or import a gold file). Each batch is then pending for the challenge window before it is paid; the gold answers stay secret (only a commitment goes on-chain)."
            : `A gold answer of ${rule.noun} needs more than a class, and the file list marks classes only: upload a gold file above, a JSON list of entries, each ${g.fileEntry}. Each batch is then pending for the challenge window before it is paid; the gold answers stay secret (only a commitment goes on-chain).`
          : "Without gold items, a batch is paid as soon as its proof is accepted."}
      </p>
      {form.goldOn && (
        <p className="small" data-testid="post-gold-duty">
          <strong>Review within the window:</strong> a batch you do not review and reject before its challenge window
          ends is paid, whatever its labels. Rejecting needs the gold openings file this page gives you after posting.
        </p>
      )}
      {form.goldOn && advice && (
        <p
          className="small"
          data-testid="post-gold-advice"
          data-advised-low={advice.advised.low}
          data-advised-high={advice.advised.high}
          data-without={without.length}
        >
          {props.goldItems.length} of {plural(props.itemCount ?? 0, "item")} gold. Advised: {advice.advised.low}
          {advice.advised.high > advice.advised.low ? `–${advice.advised.high}` : ""} (about 5–10 % of the items, and at
          least one per batch on average over {plural(advice.batches, "batch", "batches")}).
          {without.length > 0 && (
            <>
              {" "}
              <strong>
                {without.length === advice.batches
                  ? "No batch holds a gold item yet"
                  : `${plural(without.length, "batch", "batches")} (${without.slice(0, 8).join(", ")}${without.length > 8 ? ", …" : ""}) hold${without.length === 1 ? "s" : ""} no gold item`}
                : such batches cannot be rejected, so they are paid whatever their labels.
              </strong>
            </>
          )}
          {advice.batchesOverMax.length > 0 && (
            <>
              {" "}
              <strong data-testid="post-gold-crowded">
                {plural(advice.batchesOverMax.length, "batch", "batches")} (
                {advice.batchesOverMax.slice(0, 8).join(", ")}
                {advice.batchesOverMax.length > 8 ? ", …" : ""}) hold{advice.batchesOverMax.length === 1 ? "s" : ""}{" "}
                more than {g.maxPerBatch} gold items, the most a {rule.noun} rejection compares in one batch: spread
                them over other batches or drop some.
              </strong>
            </>
          )}
        </p>
      )}
      <FieldError f={f} k="gold" />
      {form.goldOn && (
        <div className="rq-grid2">
          <label className="field" htmlFor="post-min-accuracy">
            <span>Minimum accuracy on gold items (%)</span>
            <input
              id="post-min-accuracy"
              data-testid="post-min-accuracy"
              inputMode="numeric"
              value={form.minAccuracy}
              aria-invalid={invalid(f, "minAccuracy")}
              aria-describedby={described(f, "minAccuracy")}
              onChange={(e) => set("minAccuracy", e.target.value)}
            />
            <FieldError f={f} k="minAccuracy" />
          </label>
          {thresholdAdjustable(rule) && (
            <label className="field" htmlFor="post-gold-threshold">
              <span>{g.threshold} (%, 0–100)</span>
              <input
                id="post-gold-threshold"
                data-testid="post-gold-threshold"
                inputMode="numeric"
                placeholder={String(g.defaultThreshold)}
                value={form.goldThreshold}
                aria-invalid={invalid(f, "goldThreshold")}
                aria-describedby={described(f, "goldThreshold", "post-gold-threshold-hint")}
                onChange={(e) => set("goldThreshold", e.target.value)}
              />
              <span id="post-gold-threshold-hint" className="small muted">
                {form.goldThreshold.trim() === "" ? `Empty: ${g.defaultThreshold} %.` : ""} A label counts as right on a
                gold item at or above it.
              </span>
              <FieldError f={f} k="goldThreshold" />
            </label>
          )}
          <label className="field" htmlFor="post-challenge-minutes">
            <span>Challenge window (minutes, at most {MAX_CHALLENGE_MINUTES})</span>
            <input
              id="post-challenge-minutes"
              data-testid="post-challenge-minutes"
              inputMode="numeric"
              value={form.challengeMinutes}
              aria-invalid={invalid(f, "challenge")}
              aria-describedby={described(f, "challenge", "post-challenge-hint")}
              onChange={(e) => set("challengeMinutes", e.target.value)}
            />
            <span id="post-challenge-hint" className="small muted">
              {/^\d+$/.test(form.challengeMinutes) && Number(form.challengeMinutes) > 0
                ? `= ${seconds(Number(form.challengeMinutes) * 60)} to review a batch before it can be finalized and paid`
                : "How long you have to review a batch before it is paid"}
            </span>
            <FieldError f={f} k="challenge" />
          </label>
        </div>
      )}
    </fieldset>
  );
}
