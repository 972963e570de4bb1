/**
 * Reads a JSON request body with a hard size limit (413 fast, before parsing) and a zod schema
 * (400 with the reason). Nothing is recorded for a refused body.
 */
import type { z } from "zod";
import { AppError } from "@/lib/errors";

/** A refused body: `error.toResponse()` is the answer. */
export type Refused = { ok: false; error: AppError };

export type BodyResult<T> = { ok: true; value: T } | Refused;

export type TextResult = { ok: true; text: string } | Refused;

const refuse = (error: AppError): Refused => ({ ok: false, error });

/**
 * The body as text, at most `maxBytes`: 413 at once when Content-Length says more, else as soon as the
 * bytes read pass the limit (a missing or false Content-Length must not let a large body through).
 */
export async function readText(request: Request, maxBytes: number): Promise<TextResult> {
  const tooLarge = refuse(new AppError("body_too_large", `${maxBytes} bytes`));
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return tooLarge;
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return tooLarge;
      }
      chunks.push(value);
    }
  }
  return { ok: true, text: new TextDecoder().decode(Buffer.concat(chunks)) };
}

export async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
  maxBytes = 4096,
): Promise<BodyResult<z.infer<S>>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return refuse(new AppError("body_too_large", `${maxBytes} bytes`));
  const type = request.headers.get("content-type") ?? "";
  if (type && !type.toLowerCase().startsWith("application/json")) {
    return refuse(new AppError("unsupported_media_type", "application/json"));
  }
  const body = await readText(request, maxBytes);
  if (!body.ok) return body;
  const text = body.text;
  let data: unknown;
  try {
    data = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return refuse(new AppError("invalid_json"));
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    return refuse(new AppError("invalid_body", detail));
  }
  return { ok: true, value: parsed.data };
}
