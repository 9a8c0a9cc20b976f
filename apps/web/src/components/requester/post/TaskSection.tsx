"use client";
import { described, FieldError, invalid, type SectionProps } from "./fields";

export function TaskSection(props: SectionProps) {
  const { form, f, set } = props;
  return (
    <fieldset className="card rq-section" disabled={props.disabled}>
      <legend className="rq-legend-title">Task</legend>
      <label className="field" htmlFor="post-title">
        <span>Title</span>
        <input
          id="post-title"
          data-testid="post-title"
          value={form.title}
          maxLength={200}
          aria-invalid={invalid(f, "title")}
          aria-describedby={described(f, "title")}
          onChange={(e) => set("title", e.target.value)}
        />
        <FieldError f={f} k="title" />
      </label>
      <label className="field" htmlFor="post-instructions">
        <span>Instructions for workers</span>
        <textarea
          id="post-instructions"
          data-testid="post-instructions"
          rows={4}
          value={form.instructions}
          aria-invalid={invalid(f, "instructions")}
          aria-describedby={described(f, "instructions")}
          onChange={(e) => set("instructions", e.target.value)}
        />
        <FieldError f={f} k="instructions" />
      </label>
    </fieldset>
  );
}
