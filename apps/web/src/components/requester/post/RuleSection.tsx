"use client";
/**
 * The rule of the task: one choice per rule module (the registry), the rule's number parameters
 * (from its spec schema, worded by its screens), and its classes when the rule takes classes.
 */
import { type AnyRule, RULES } from "@zklabel/core/rules";
import { hasScreens, screensFor } from "@/components/work/labelers";
import { type NumberField, type PostForm, parseClassLines, ruleNumberFields, ruleTakesClasses } from "@/lib/post-form";
import { ClassesEditor } from "./ClassesEditor";
import { described, FieldError, type FieldErrors, invalid, type SectionProps } from "./fields";

/** The rules the form offers: those this app has screens for. */
export const POSTABLE_RULES: readonly AnyRule[] = RULES.filter(hasScreens);

export function RuleSection(
  props: SectionProps & {
    rule: AnyRule;
    /** Whether the deployment has a verifier for a rule. */
    deployed(rule: AnyRule): boolean;
  },
) {
  const { form, rule, f, set } = props;
  const screens = screensFor(rule);
  const fields = ruleNumberFields(rule);
  return (
    <fieldset className="card rq-section" disabled={props.disabled}>
      <legend className="rq-legend-title">Rule</legend>
      <div
        className="rq-radios"
        id="post-rule"
        tabIndex={-1}
        role="radiogroup"
        aria-label="Rule type"
        aria-describedby={described(f, "rule")}
      >
        {POSTABLE_RULES.map((r) => (
          <label key={r.name} className="rq-radio" htmlFor={`post-rule-${r.name}`}>
            <input
              type="radio"
              id={`post-rule-${r.name}`}
              name="rule"
              data-testid={`post-rule-${r.name}`}
              checked={r === rule}
              onChange={() => set("rule", r.name)}
            />
            <span>{r.title}</span>
            {!props.deployed(r) && <span className="badge">no verifier yet</span>}
          </label>
        ))}
      </div>
      <FieldError f={f} k="rule" />
      {fields.length > 0 && (
        <div>
          {screens.post.note && <p className="small muted">{screens.post.note}</p>}
          <div className="rq-grid2">
            {fields.map((x) => (
              <ParamInput key={x.name} field={x} {...props} />
            ))}
          </div>
          {fields.map((x) => (
            <FieldError key={x.name} f={f} k={`param:${x.name}`} />
          ))}
        </div>
      )}
      {ruleTakesClasses(rule) && (
        <ClassesEditor
          form={form}
          classes={parseClassLines(form.classesText)}
          onText={(t) => set("classesText", t)}
          onAllowed={(name, ok) =>
            set("disallowed", ok ? form.disallowed.filter((c) => c !== name) : [...form.disallowed, name])
          }
          errorClasses={f.errors.classes}
          errorAllowed={f.errors.allowed}
        />
      )}
    </fieldset>
  );
}

/** One number parameter of the rule, labelled by the rule's screens. */
function ParamInput(
  props: { field: NumberField; rule: AnyRule; form: PostForm; f: FieldErrors } & Pick<
    Parameters<typeof RuleSection>[0],
    "set"
  >,
) {
  const { field, f } = props;
  const k = `param:${field.name}` as const;
  const label = screensFor(props.rule).post.params[field.name]?.label ?? field.name;
  return (
    <label className="field" htmlFor={f.idOf(k)}>
      <span>{label}</span>
      <input
        id={f.idOf(k)}
        data-testid={f.idOf(k)}
        inputMode="numeric"
        value={props.form.params[field.name] ?? ""}
        aria-invalid={invalid(f, k)}
        aria-describedby={described(f, k)}
        onChange={(e) => props.set("params", { ...props.form.params, [field.name]: e.target.value })}
      />
    </label>
  );
}
