"use client";
/** The vault upload's progress: a bar and "n of m items", with whatever the caller puts after it (a stop button). */
import type { ReactNode } from "react";

export interface UploadProgress {
  done: number;
  total: number;
}

export function UploadBar({
  upload,
  suffix,
  children,
}: {
  upload: UploadProgress;
  suffix?: string;
  children?: ReactNode;
}) {
  return (
    <div className="rq-upload">
      <progress
        data-testid="upload-progress"
        data-done={upload.done}
        data-total={upload.total}
        max={upload.total}
        value={upload.done}
        aria-label="Upload progress"
      />
      <p className="small">
        {upload.done} of {upload.total} items{suffix ? ` ${suffix}` : ""}
        {children}
      </p>
    </div>
  );
}
