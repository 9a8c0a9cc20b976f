"use client";
/** How the post form's fields show their errors: the message under the field, linked by aria-describedby. */
import type { FieldKey, PostForm } from "@/lib/post-form";

/** The DOM id of each fixed field, so a failed check can focus the first invalid one (rule parameters: their own ids). */
export const FIELD_IDS: Record<Exclude<FieldKey, `param:${string}`>, string> = {
  title: "post-title",
  instructions: "post-instructions",
  rule: "post-rule",
  classes: "post-classes",
  allowed: "post-allowed",
  files: "post-files",
  reward: "post-reward",
  deadline: "post-deadline-days",
  workerGroup: "post-worker-group",
  gold: "post-gold-toggle",
  minAccuracy: "post-min-accuracy",
  goldThreshold: "post-gold-threshold",
  challenge: "post-challenge-minutes",
  vault: "post-vault-url",
};

/** What people call each fixed field, for "fix these fields". */
export const FIELD_NAMES: Record<Exclude<FieldKey, `param:${string}`>, string> = {
  title: "title",
  instructions: "instructions",
  rule: "rule",
  classes: "classes",
  allowed: "allowed classes",
  files: "dataset",
  reward: "reward",
  deadline: "deadline",
  workerGroup: "worker group",
  gold: "gold items",
  minAccuracy: "minimum accuracy",
  goldThreshold: "gold threshold",
  challenge: "challenge window",
  vault: "vault",
};

/** The errors shown now (none until the first post), with the helpers each field uses. */
export interface FieldErrors {
  errors: Partial<Record<FieldKey, string>>;
  /** The DOM id of a field. */
  idOf(k: FieldKey): string;
}

/** What every section of the post form takes: the form, its errors, whether it is locked (posting), and the setter. */
export interface SectionProps {
  form: PostForm;
  f: FieldErrors;
  disabled: boolean;
  set<K extends keyof PostForm>(k: K, v: PostForm[K]): void;
}

/** The error of a field, or undefined (for aria-invalid). */
export const invalid = (f: FieldErrors, k: FieldKey): true | undefined => (f.errors[k] ? true : undefined);

/** aria-describedby of a field: its error, and a hint when it has one. */
export const described = (f: FieldErrors, k: FieldKey, hint?: string): string | undefined =>
  [f.errors[k] ? `${f.idOf(k)}-error` : null, hint ?? null].filter(Boolean).join(" ") || undefined;

/** The error message under a field. */
export function FieldError({ f, k }: { f: FieldErrors; k: FieldKey }) {
  return f.errors[k] ? (
    <span id={`${f.idOf(k)}-error`} className="error small">
      {f.errors[k]}
    </span>
  ) : null;
}
