"use client";
/** The payment: token, reward per item, deadline, and who may work (the worker group). */
import type { PostForm } from "@/lib/post-form";
import type { TokenInfo } from "@/lib/tokens";
import { described, FieldError, invalid, type SectionProps } from "./fields";

export function PaymentSection(
  props: SectionProps & {
    token: TokenInfo | undefined;
    /** The local chain's mintable test token; none on a public chain. */
    testToken: string | undefined;
  },
) {
  const { form, f, set, token } = props;
  const days = Number(form.deadlineDays);
  return (
    <fieldset className="card rq-section" disabled={props.disabled}>
      <legend className="rq-legend-title">Payment</legend>
      <div className="rq-grid2">
        <label className="field" htmlFor="post-token">
          <span>Token</span>
          <select
            id="post-token"
            data-testid="post-token"
            value={form.token}
            onChange={(e) => set("token", e.target.value as PostForm["token"])}
          >
            <option value="eth">ETH</option>
            {props.testToken && (
              <option value="test">
                {form.token === "test" && token ? token.symbol : "Test token"} (dev ERC-20 {props.testToken.slice(0, 8)}
                …)
              </option>
            )}
          </select>
        </label>
        <label className="field" htmlFor="post-reward">
          <span>Reward per item ({token?.symbol ?? "…"})</span>
          <input
            id="post-reward"
            data-testid="post-reward"
            inputMode="decimal"
            value={form.reward}
            aria-invalid={invalid(f, "reward")}
            aria-describedby={described(f, "reward")}
            onChange={(e) => set("reward", e.target.value)}
          />
          <FieldError f={f} k="reward" />
        </label>
        <label className="field" htmlFor="post-deadline-days">
          <span>Deadline (days from now)</span>
          <input
            id="post-deadline-days"
            data-testid="post-deadline-days"
            inputMode="decimal"
            value={form.deadlineDays}
            aria-invalid={invalid(f, "deadline")}
            aria-describedby={described(f, "deadline", "post-deadline-hint")}
            onChange={(e) => set("deadlineDays", e.target.value)}
          />
          <span id="post-deadline-hint" className="small muted">
            {days > 0 && days <= 3650
              ? `Ends ${new Date(Date.now() + days * 86_400_000).toLocaleString()}`
              : "After the deadline no batch is accepted"}
          </span>
          <FieldError f={f} k="deadline" />
        </label>
        <label className="field" htmlFor="post-worker-group">
          <span>Worker group (0 = the open group)</span>
          <input
            id="post-worker-group"
            data-testid="post-worker-group"
            inputMode="numeric"
            value={form.workerGroup}
            aria-invalid={invalid(f, "workerGroup")}
            aria-describedby={described(f, "workerGroup")}
            onChange={(e) => set("workerGroup", e.target.value)}
          />
          {form.workerGroup.trim() !== "" && form.workerGroup.trim() !== "0" && (
            <span className="small muted" data-testid="curated-group-power">
              A curated group&apos;s admin decides who may work on this task, and can add identities of their own.
            </span>
          )}
          <FieldError f={f} k="workerGroup" />
        </label>
      </div>
    </fieldset>
  );
}
