/**
 * POST /api/upload: the long-upload demo. Streams the body and discards it, counting bytes; nothing is
 * buffered or stored. The session is checked before a single byte is read (401 then, body untouched).
 *
 *   no session / ended      -> 401 (apiSession)
 *   not application/octet-stream -> 415
 *   Content-Length or count > MAX_UPLOAD_BYTES -> 413, as soon as it is known
 *   fewer bytes than Content-Length (client gone, or a proxy cut the body short) -> 400
 *   otherwise               -> 200 { bytes }
 */
import { NextResponse } from "next/server";
import { apiSession } from "@/lib/auth/api-session";
import { NO_STORE } from "@/lib/gate/responses";
import { MAX_UPLOAD_BYTES, UPLOAD_CONTENT_TYPE } from "./schema";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const MB = 1024 * 1024;

function json(status: number, body: Record<string, unknown>) {
  return NextResponse.json(body, { status, headers: { "cache-control": NO_STORE } });
}

function tooLarge() {
  return json(413, { error: "body_too_large", message: `Uploads must be at most ${MAX_UPLOAD_BYTES / MB} MB.` });
}

export async function POST(request: Request) {
  const result = await apiSession("api");
  if (!result.ok) return result.response;

  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== UPLOAD_CONTENT_TYPE) {
    return json(415, { error: "unsupported_media_type", message: `Send the file as ${UPLOAD_CONTENT_TYPE}.` });
  }
  const header = request.headers.get("content-length");
  const declared = header === null ? null : Number(header);
  if (declared !== null && declared > MAX_UPLOAD_BYTES) return tooLarge();

  let bytes = 0;
  const reader = request.body?.getReader();
  if (reader) {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        if (bytes > MAX_UPLOAD_BYTES) {
          await reader.cancel().catch(() => undefined);
          return tooLarge();
        }
      }
    } catch {
      return json(400, { error: "upload_aborted", message: "The upload was interrupted. Please try again." });
    }
  }
  // A body cut short must never be reported as a complete upload.
  if (declared !== null && Number.isFinite(declared) && bytes !== declared) {
    return json(400, { error: "upload_incomplete", message: `The upload ended early: received ${bytes} of ${declared} bytes.` });
  }
  return json(200, { bytes });
}
