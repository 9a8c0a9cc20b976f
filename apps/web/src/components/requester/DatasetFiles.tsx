"use client";

/** The dataset's files: drop zone and picker, the list with each file's problem, and the gold marks per file. */
import { itemNumber } from "@zklabel/core/display";
import { describeError } from "@zklabel/sdk/errors";
import { goldFileSchema } from "@zklabel/sdk/gold";
import { DEFAULT_ITEM_TYPES } from "@zklabel/sdk/vault";
import { type DragEvent, useId, useState } from "react";
import type { PickedFile } from "@/lib/dataset-files";
import { plural } from "@/lib/format";
import "./requester.css";

const PAGE = 100;

const size = (n: number) =>
  n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)} MB` : n >= 1000 ? `${(n / 1000).toFixed(1)} kB` : `${n} B`;

/** The dataset section: file input and drop zone, the file list with problems, and the gold marks per file. */
export function DatasetFiles(props: {
  files: readonly PickedFile[];
  onAdd(files: File[]): void;
  onRemove(name: string | null): void;
  reading: boolean;
  notes: string | null;
  error: string | undefined;
  itemCount: number | null;
  batchSize: number;
  disabled: boolean;
  gold: {
    on: boolean;
    marks: Record<string, string>;
    classes: readonly string[];
    disallowed: readonly string[];
    onMark(name: string, label: string): void;
    onImport(marks: Record<string, string>, entries: Record<string, Record<string, unknown>>): void;
    /** Whether an answer is a class alone (marked per file); otherwise answers come from a gold file only. */
    byClass: boolean;
    /** Whole gold file entries by file name (rules whose answer is more than a class). */
    entries: Record<string, Record<string, unknown>>;
    /** How a gold file entry is written for the rule. */
    fileEntry: string;
  };
}) {
  const id = useId();
  const [shown, setShown] = useState(PAGE);
  const [dragging, setDragging] = useState(false);
  const [importNote, setImportNote] = useState<{ ok: boolean; text: string } | null>(null);
  const { files, gold } = props;
  const bad = files.filter((f) => f.problem);

  const onDrop = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    setDragging(false);
    if (props.disabled) return;
    const list = [...e.dataTransfer.files];
    if (list.length) props.onAdd(list);
  };

  async function importGold(file: File) {
    setImportNote(null);
    try {
      const parsed = goldFileSchema.safeParse(JSON.parse(await file.text()));
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "not a gold file");
      const marks: Record<string, string> = {};
      const problems: string[] = [];
      for (const g of parsed.data) {
        const f = typeof g.item === "number" ? files[g.item] : files.find((x) => x.name === g.item);
        if (!f) problems.push(`item ${JSON.stringify(g.item)} is not one of the chosen files`);
        else if (!gold.classes.includes(g.label))
          problems.push(`item ${JSON.stringify(g.item)}: "${g.label}" is not one of the classes`);
        else marks[f.name] = g.label;
      }
      if (problems.length)
        throw new Error(
          `${problems.slice(0, 5).join("; ")}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ""}`,
        );
      const entries: Record<string, Record<string, unknown>> = {};
      for (const g of parsed.data) {
        const f = typeof g.item === "number" ? files[g.item] : files.find((x) => x.name === g.item);
        if (f) entries[f.name] = { ...g, item: f.name };
      }
      props.gold.onImport(marks, entries);
      setImportNote({ ok: true, text: `Marked ${Object.keys(marks).length} gold items from ${file.name}.` });
    } catch (e) {
      setImportNote({
        ok: false,
        text: `${file.name} was not imported: ${describeError(e).message}. A gold file is a JSON list of entries, each ${gold.fileEntry}.`,
      });
    }
  }

  const inputId = "post-files";
  const errorId = "post-files-error";
  return (
    <>
      <label
        htmlFor={inputId}
        className={`rq-drop ${dragging ? "dragging" : ""} ${props.error ? "invalid" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <span className="rq-drop-title">Dataset files</span>
        <span className="muted small">
          Drop files here or choose them ({DEFAULT_ITEM_TYPES.join(", ")}; up to 50 MB each). Items are ordered by file
          name.
        </span>
        <input
          id={inputId}
          type="file"
          multiple
          accept={[...DEFAULT_ITEM_TYPES, ".txt", ".md", ".csv", ".json", ".jsonl", ".png", ".jpg", ".jpeg"].join(",")}
          data-testid="post-files"
          disabled={props.disabled}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? errorId : undefined}
          onChange={(e) => {
            const list = [...(e.target.files ?? [])];
            e.target.value = "";
            if (list.length) props.onAdd(list);
          }}
        />
      </label>
      {props.reading && (
        <p className="muted small" role="status">
          Reading and checking the files…
        </p>
      )}
      {props.notes && (
        <p className="error small" role="alert">
          {props.notes}
        </p>
      )}
      {props.error && (
        <p id={errorId} className="error small">
          {props.error}
        </p>
      )}
      {files.length > 0 && (
        <>
          <div className="section-head rq-files-head">
            <p className="small" data-testid="dataset-count" data-count={files.length}>
              <strong>{files.length}</strong> file{files.length === 1 ? "" : "s"}
              {props.itemCount !== null &&
                ` · ${plural(Math.ceil(props.itemCount / props.batchSize), "batch", "batches")} of up to ${props.batchSize}`}
              {bad.length > 0 && <span className="bad"> · {bad.length} the vault would refuse</span>}
            </p>
            <span className="rq-actions">
              {bad.length > 0 && (
                <button
                  type="button"
                  className="btn small"
                  disabled={props.disabled}
                  onClick={() => {
                    for (const f of bad) props.onRemove(f.name);
                  }}
                >
                  Remove the {bad.length} refused
                </button>
              )}
              <button
                type="button"
                className="btn ghost small"
                disabled={props.disabled}
                onClick={() => props.onRemove(null)}
              >
                Remove all
              </button>
            </span>
          </div>
          {gold.on && (
            <div className="rq-gold-import">
              <label className="field" htmlFor={`${id}-gold-file`}>
                <span>Import gold answers (JSON file)</span>
                <input
                  id={`${id}-gold-file`}
                  type="file"
                  accept=".json,application/json"
                  data-testid="post-gold-file"
                  disabled={props.disabled || gold.classes.length === 0}
                  onChange={(e) => {
                    const f = e.target.files?.[0];
                    e.target.value = "";
                    if (f) void importGold(f);
                  }}
                />
              </label>
              {importNote && (
                <p className={`small ${importNote.ok ? "ok" : "error"}`} role={importNote.ok ? "status" : "alert"}>
                  {importNote.text}
                </p>
              )}
            </div>
          )}
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must take keyboard focus to be scrolled from the keyboard (axe scrollable-region-focusable) */}
          <section className="rq-table-wrap" tabIndex={0} aria-label="Dataset files, scrollable">
            <table className="rq-table" aria-label="Dataset files">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">File</th>
                  <th scope="col">Type</th>
                  <th scope="col">Size</th>
                  {gold.on && <th scope="col">Gold answer</th>}
                  <th scope="col">
                    <span className="visually-hidden">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {files.slice(0, shown).map((f, i) => (
                  <tr key={f.name} className={f.problem ? "rq-bad-row" : undefined}>
                    <td className="rq-num">{itemNumber(i)}</td>
                    <td>
                      <span className="rq-name">{f.name}</span>
                      {f.problem && <span className="bad small"> {f.problem}</span>}
                    </td>
                    <td className="small muted">{f.type}</td>
                    <td className="small muted rq-num">{size(f.size)}</td>
                    {gold.on && (
                      <td>
                        <label className="visually-hidden" htmlFor={`${id}-gold-${i}`}>
                          Gold answer for {f.name}
                        </label>
                        {!gold.byClass ? (
                          <span className="small" id={`${id}-gold-${i}`} data-testid={`post-gold-item-${i}`}>
                            {gold.entries[f.name]
                              ? `${String(gold.entries[f.name].label)} (from the gold file)`
                              : "not gold"}
                          </span>
                        ) : (
                          <select
                            id={`${id}-gold-${i}`}
                            data-testid={`post-gold-item-${i}`}
                            value={gold.classes.includes(gold.marks[f.name] ?? "") ? gold.marks[f.name] : ""}
                            disabled={props.disabled}
                            onChange={(e) => gold.onMark(f.name, e.target.value)}
                          >
                            <option value="">not gold</option>
                            {[...new Set(gold.classes)].map((c: string) => (
                              <option key={c} value={c} disabled={gold.disallowed.includes(c)}>
                                {c}
                                {gold.disallowed.includes(c) ? " (not allowed)" : ""}
                              </option>
                            ))}
                          </select>
                        )}
                      </td>
                    )}
                    <td>
                      <button
                        type="button"
                        className="btn ghost small"
                        aria-label={`Remove ${f.name}`}
                        disabled={props.disabled}
                        onClick={() => props.onRemove(f.name)}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {files.length > shown && (
            <button type="button" className="btn small" onClick={() => setShown((s) => s + PAGE)}>
              Show {Math.min(PAGE, files.length - shown)} more of {files.length - shown}
            </button>
          )}
        </>
      )}
    </>
  );
}
