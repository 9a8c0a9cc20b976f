"use client";
/** A posted task: where to manage it, and the files the requester should keep (named manifest, gold openings). */
import Link from "next/link";
import { useEffect, useRef } from "react";
import { downloadJson } from "@/lib/download";
import type { Created } from "@/lib/post-run";
import { namedManifestFile } from "../NamedManifest";
import { UploadBar, type UploadProgress } from "./UploadBar";

export function CreatedPanel(props: { created: Created; upload: UploadProgress | null; onAnother(): void }) {
  const { created, upload } = props;
  const id = created.taskId.toString();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card rq-created" data-testid="post-created" data-task-id={id} aria-labelledby="created-h">
      <p className="eyebrow">Posted</p>
      <h1 id="created-h" tabIndex={-1} ref={heading}>
        Task #{id} created
      </h1>
      <p>
        “{created.title}” is funded and open for workers. Transaction{" "}
        <code title={created.hash}>{created.hash.slice(0, 14)}…</code>
      </p>
      {upload && <UploadBar upload={upload} suffix="in the vault" />}
      <p className="rq-actions">
        <Link className="btn primary" href={`/requester/${id}`} data-testid="created-manage">
          Manage task #{id}
        </Link>
        <Link className="btn" href={`/audit/${id}`} data-testid="created-audit">
          Public audit view
        </Link>
        <button
          type="button"
          className="btn"
          data-testid="download-named-manifest"
          onClick={() => downloadJson(namedManifestFile(id), created.manifest)}
        >
          Download the named manifest
        </button>
        {created.gold && (
          <button
            type="button"
            className="btn"
            data-testid="download-gold"
            onClick={() => created.gold && downloadJson(`task-${id}-gold-openings.json`, created.gold)}
          >
            Download gold openings
          </button>
        )}
        <button type="button" className="btn ghost" onClick={props.onAnother}>
          Post another task
        </button>
      </p>
      <p className="small muted">
        The named manifest holds your files&apos; names (the vault knows items only by number): this browser keeps it;
        load the downloaded file on the task&apos;s page in another browser to export labels with their names there.
      </p>
      {created.gold && (
        <p className="small muted">
          The gold openings (answers and salts) are secret: they are kept in this browser and are what rejecting a bad
          batch will need. Keep the downloaded file safe and do not share it.
        </p>
      )}
      {created.warning && (
        <p className="banner" role="alert">
          {created.warning}
        </p>
      )}
    </section>
  );
}
