"use client";
/** The dataset: its files (with gold marks), the root it hashes to, what the rule's items are, and the vault. */
import type { AnyRule } from "@zklabel/core/rules";
import type { Manifest } from "@zklabel/sdk/dataset";
import type { PickedFile } from "@/lib/dataset-files";
import { plural } from "@/lib/format";
import { goldByClass } from "@/lib/post-form";
import { DatasetFiles } from "../DatasetFiles";
import { described, FieldError, invalid, type SectionProps } from "./fields";

export function DatasetSection(
  props: SectionProps & {
    files: readonly PickedFile[];
    reading: boolean;
    notes: string | null;
    manifest: Manifest | null;
    batchSize: number;
    /** What the rule's items are, in one sentence. */
    itemsHint: string;
    classes: readonly string[];
    rule: AnyRule;
    onAdd(files: File[]): void;
    onRemove(name: string | null): void;
  },
) {
  const { form, f, set, manifest } = props;
  return (
    <fieldset className="card rq-section" disabled={props.disabled}>
      <legend className="rq-legend-title">Dataset</legend>
      <DatasetFiles
        files={props.files}
        onAdd={props.onAdd}
        onRemove={props.onRemove}
        reading={props.reading}
        notes={props.notes}
        error={f.errors.files}
        itemCount={manifest?.count ?? null}
        batchSize={props.batchSize}
        disabled={props.disabled}
        gold={{
          on: form.goldOn && props.rule.gold !== undefined,
          byClass: goldByClass(props.rule),
          entries: form.goldEntries,
          fileEntry: props.rule.gold?.fileEntry ?? "",
          marks: form.gold,
          classes: props.classes,
          disallowed: form.disallowed,
          onMark: (name, label) => set("gold", { ...form.gold, [name]: label }),
          onImport: (marks, entries) => {
            set("gold", { ...form.gold, ...marks });
            set("goldEntries", { ...form.goldEntries, ...entries });
          },
        }}
      />
      {manifest && (
        <p className="small muted" data-testid="dataset-root" data-root={manifest.root}>
          Dataset root <code title={manifest.root}>{`${manifest.root.slice(0, 14)}…`}</code> ·{" "}
          {plural(manifest.count, "item")}. The manifest with the file names stays in this browser; you can download it
          once the task is posted.
        </p>
      )}
      <p className="small muted">
        <strong>{props.batchSize} items per batch</strong>, fixed by the deployed circuit. {props.itemsHint}
      </p>
      <div className="rq-grid2">
        <label className="field" htmlFor="post-vault-url">
          <span>Vault (stores the items; workers fetch batches from it)</span>
          <input
            id="post-vault-url"
            data-testid="post-vault-url"
            type="url"
            value={form.vaultUrl}
            aria-invalid={invalid(f, "vault")}
            aria-describedby={described(f, "vault")}
            onChange={(e) => set("vaultUrl", e.target.value)}
          />
          <FieldError f={f} k="vault" />
        </label>
        <label className="field" htmlFor="post-vault-token">
          <span>Vault upload token (only if the vault asks for one)</span>
          <input
            id="post-vault-token"
            type="password"
            autoComplete="off"
            value={form.vaultToken}
            onChange={(e) => set("vaultToken", e.target.value)}
          />
        </label>
      </div>
    </fieldset>
  );
}
