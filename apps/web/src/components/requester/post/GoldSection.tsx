"use client";
/** Gold items: whether batches are checked against items whose answer the requester knows, and how strictly. */
import { MAX_CHALLENGE_MINUTES } from "@/lib/post-form";
import { seconds } from "@/lib/time";
import { described, FieldError, invalid, type SectionProps } from "./fields";

export function GoldSection(props: SectionProps) {
  const { form, f, set } = props;
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
          ? "Mark gold items and their answers in the file list above (or import a gold file). Each batch is then pending for the challenge window before it is paid; the gold answers stay secret (only a commitment goes on-chain)."
          : "Without gold items, a batch is paid as soon as its proof is accepted."}
      </p>
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
                ? `= ${seconds(Number(form.challengeMinutes) * 60)} before a batch can be finalized and paid`
                : "How long you have to check a batch before it is paid"}
            </span>
            <FieldError f={f} k="challenge" />
          </label>
        </div>
      )}
    </fieldset>
  );
}
