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
import { apiSession } from "@/lib/auth/api-session";
import { AppError } from "@/lib/errors";
import { noStoreJson } from "@/lib/http/json";
import { MAX_UPLOAD_BYTES, UPLOAD_CONTENT_TYPE } from "./schema";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const MB = 1024 * 1024;

const tooLarge = () => new AppError("body_too_large", `${MAX_UPLOAD_BYTES / MB} MB`).toResponse();

export async function POST(request: Request) {
  const result = await apiSession("api");
  if (!result.ok) return result.response;

  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== UPLOAD_CONTENT_TYPE) {
    return new AppError("unsupported_media_type", UPLOAD_CONTENT_TYPE).toResponse();
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
      return new AppError("upload_aborted").toResponse();
    }
  }
  // A body cut short must never be reported as a complete upload.
  if (declared !== null && Number.isFinite(declared) && bytes !== declared) {
    return new AppError("upload_incomplete", `received ${bytes} of ${declared} bytes`).toResponse();
  }
  return noStoreJson(200, { bytes });
}
