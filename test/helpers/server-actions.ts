/**
 * The server actions of the production build, read from Next's server-reference manifest
 * ($NEXT_DIST_DIR/server/server-reference-manifest.json), so tests can call them the way a browser's
 * form does: POST with a `Next-Action: <id>` header.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export interface ServerAction {
  id: string;
  /** the exported function's name, e.g. "updateBillingDetails" */
  name: string;
  /** source file, relative to the project root, e.g. "app/(app)/billing/actions.ts" */
  file: string;
}

interface ManifestEntry {
  exportedName?: string;
  filename?: string;
  workers?: Record<string, unknown>;
}

const ROOT = path.resolve(import.meta.dirname, "../..");

export function serverActions(distDir = process.env.NEXT_DIST_DIR ?? ".next-test"): ServerAction[] {
  const file = path.resolve(ROOT, distDir, "server", "server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as {
    node?: Record<string, ManifestEntry>;
    edge?: Record<string, ManifestEntry>;
  };
  const out: ServerAction[] = [];
  for (const [id, entry] of Object.entries({ ...manifest.edge, ...manifest.node })) {
    if (!entry.exportedName || !entry.filename)
      throw new Error(`server action ${id} has no exportedName/filename in ${file}: has the manifest format changed?`);
    out.push({ id, name: entry.exportedName, file: entry.filename.replace(/^\.\//, "") });
  }
  return out;
}
