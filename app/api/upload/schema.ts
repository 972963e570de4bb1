/** POST /api/upload: the largest body accepted (200 MB), and the only content type. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
export const UPLOAD_CONTENT_TYPE = "application/octet-stream";
