"use client";
/** The task's class names, one per line, and which of them workers may use (numbered as the workers' keys). */
import { classNumber } from "@zklabel/core/display";
import { useId } from "react";
import type { PostForm } from "@/lib/post-form";

export function ClassesEditor(props: {
  form: PostForm;
  classes: string[];
  onText(t: string): void;
  onAllowed(name: string, ok: boolean): void;
  errorClasses: string | undefined;
  errorAllowed: string | undefined;
}) {
  const id = useId();
  const unique = [...new Set(props.classes)];
  return (
    <div className="rq-classes">
      <label className="field" htmlFor="post-classes">
        <span>Class names, one per line (2 to 32)</span>
        <textarea
          id="post-classes"
          data-testid="post-classes"
          rows={5}
          value={props.form.classesText}
          aria-invalid={props.errorClasses ? true : undefined}
          aria-describedby={props.errorClasses ? "post-classes-error" : undefined}
          onChange={(e) => props.onText(e.target.value)}
        />
        {props.errorClasses && (
          <span id="post-classes-error" className="error small">
            {props.errorClasses}
          </span>
        )}
      </label>
      <fieldset
        className="rq-allowed"
        id="post-allowed"
        tabIndex={-1}
        disabled={unique.length === 0}
        aria-describedby={props.errorAllowed ? "post-allowed-error" : undefined}
      >
        <legend className="small muted">Classes workers may use (the number is the worker&apos;s key)</legend>
        {unique.length === 0 ? (
          <p className="small muted">Type the class names first.</p>
        ) : (
          <ul className="classes">
            {unique.map((c, i) => (
              <li key={c} className={`class-chip ${props.form.disallowed.includes(c) ? "forbidden" : ""}`}>
                <input
                  id={`${id}-allowed-${i}`}
                  type="checkbox"
                  data-testid={`post-allowed-${i}`}
                  checked={!props.form.disallowed.includes(c)}
                  onChange={(e) => props.onAllowed(c, e.target.checked)}
                />
                <label htmlFor={`${id}-allowed-${i}`}>
                  <kbd>{classNumber(i)}</kbd> {c}
                </label>
              </li>
            ))}
          </ul>
        )}
        {props.errorAllowed && (
          <p id="post-allowed-error" className="error small">
            {props.errorAllowed}
          </p>
        )}
      </fieldset>
    </div>
  );
}
