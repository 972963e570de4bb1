"use client";
/**
 * The long-upload demo: pick a file (or generate 100 MB in the browser), send it to /api/upload with
 * XMLHttpRequest (fetch has no upload progress), and hold a lease on the idle session while it runs:
 * the lease sends server-verified heartbeats, so a long upload never ends in an idle sign-out. Idle time
 * counts again from the end of the upload.
 */
import { useId, useState } from "react";
import { useIdleSession } from "@/components/idle/idle-session-provider";

const MB = 1024 * 1024;
const TEST_FILE_MB = 100;

type Status =
  | { kind: "idle" }
  | { kind: "uploading"; percent: number }
  | { kind: "done"; bytes: number }
  | { kind: "failed"; message: string };

class UploadError extends Error {}

/** POSTs `file` as application/octet-stream; resolves with the byte count the server counted. */
function send(file: Blob, onProgress: (percent: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/upload");
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.floor((event.loaded / event.total) * 100));
    };
    xhr.onload = () => {
      const body = (xhr.response ?? {}) as { bytes?: number; message?: string };
      if (xhr.status === 200 && typeof body.bytes === "number") return resolve(body.bytes);
      reject(new UploadError(body.message ?? `The upload failed (HTTP ${xhr.status}).`));
    };
    xhr.onerror = () => reject(new UploadError("The upload failed: the connection was lost. Please try again."));
    xhr.onabort = () => reject(new UploadError("The upload was cancelled."));
    xhr.send(file);
  });
}

function testFile(): File {
  const chunk = new Uint8Array(MB); // zeros: the content does not matter, the size does
  return new File(
    Array.from({ length: TEST_FILE_MB }, () => chunk),
    `test-${TEST_FILE_MB}MB.bin`,
    { type: "application/octet-stream" },
  );
}

export function UploadForm() {
  const { lease } = useIdleSession();
  const inputId = useId();
  const progressId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const uploading = status.kind === "uploading";

  async function upload() {
    if (!file) return;
    setStatus({ kind: "uploading", percent: 0 });
    try {
      const bytes = await lease(send(file, (percent) => setStatus({ kind: "uploading", percent })));
      setStatus({ kind: "done", bytes });
    } catch (error) {
      setStatus({
        kind: "failed",
        message: error instanceof UploadError ? error.message : "The upload failed. Please try again.",
      });
    }
  }

  const percent = status.kind === "uploading" ? status.percent : status.kind === "done" ? 100 : 0;

  return (
    <section aria-label="Upload a file">
      <p>
        <label htmlFor={inputId}>File </label>
        <input
          id={inputId}
          type="file"
          disabled={uploading}
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
      </p>
      <p>
        <button type="button" className="secondary" disabled={uploading} onClick={() => setFile(testFile())}>
          Generate a {TEST_FILE_MB} MB test file
        </button>
      </p>
      <p className="muted" data-testid="upload-file">
        {file ? `Ready: ${file.name} (${Math.round(file.size / MB)} MB)` : "No file chosen yet."}
      </p>
      <p>
        <button type="button" disabled={!file || uploading} onClick={() => void upload()}>
          Upload
        </button>
      </p>
      <p className="muted">
        You won&apos;t be signed out for inactivity while an upload is running; idle time counts again once it ends.
      </p>
      <p>
        <label htmlFor={progressId}>Upload progress </label>
        <progress id={progressId} max={100} value={percent} data-testid="upload-progress" />{" "}
        <span data-testid="upload-percent">{percent}%</span>
      </p>
      {status.kind === "done" && (
        <p role="status" data-testid="upload-result">
          Uploaded {Math.round(status.bytes / MB)} MB.
        </p>
      )}
      {status.kind === "failed" && (
        <p role="alert" className="error-text" data-testid="upload-error">
          {status.message}
        </p>
      )}
    </section>
  );
}
