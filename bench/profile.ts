/**
 * `--profile`: where a request's time goes. V8 CPU profiles (`node --cpu-prof`) of `next start` for ours
 * and for the empty middleware, each under the same ping load, summarised as self time per part of the
 * stack (per 1,000 requests, so the two compare) and the top frames. Written to .stack/bench/profiles/.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BENCH_DIR } from "./config";
import { log } from "./log";
import { runLoad, type Browser } from "./load";
import { PING_PATH } from "./gate-overhead";
import { startServer } from "./servers";
import type { Variant } from "./variants";

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the stack a frame belongs to, from its script URL. */
function part(url: string, fn: string): string {
  if (fn === "(idle)") return "idle";
  if (fn === "(garbage collector)") return "GC";
  if (fn === "(program)") return "V8/native (program)";
  if (url.includes("/.next/server/edge/")) return "middleware bundle (Edge chunks)";
  if (url.includes("/.next/server/")) return "app bundle (route, app chunks)";
  if (
    url.includes("next/dist/server/web/") ||
    url.includes("edge-runtime") ||
    url.includes("next/dist/compiled/@edge-runtime")
  )
    return "Next Edge sandbox";
  if (url.includes("next/dist/compiled/")) return "Next compiled deps";
  if (url.includes("next/dist/")) return "Next server";
  if (url.startsWith("node:") || url === "") return "Node internals";
  return "other";
}

export interface ProfileSummary {
  requests: number;
  byPart: Record<string, number>;
  top: { frame: string; ms: number }[];
}

function summarise(file: string, requests: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  const parts = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    if (!frame) return;
    const us = profile.timeDeltas[i] ?? 0;
    const source = path.basename(frame.url || "native");
    const key = `${frame.functionName || "(anonymous)"} ${source}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + us);
    const p = part(frame.url, frame.functionName);
    parts.set(p, (parts.get(p) ?? 0) + us);
  });
  const per1k = (us: number) => us / 1000 / (requests / 1000);
  return {
    requests,
    byPart: Object.fromEntries(
      [...parts]
        .filter(([p]) => p !== "idle")
        .sort((a, b) => b[1] - a[1])
        .map(([p, us]) => [p, per1k(us)]),
    ),
    top: [...self]
      .filter(([k]) => !k.startsWith("(idle)"))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([frame, us]) => ({ frame, ms: per1k(us) })),
  };
}

export async function profileDesigns(opts: {
  env: NodeJS.ProcessEnv;
  basePort: number;
  browsers: Browser[];
  seconds: number;
  connections: number;
}): Promise<Record<string, ProfileSummary>> {
  const dir = path.join(BENCH_DIR, "profiles");
  const out: Record<string, ProfileSummary> = {};
  const designs: [string, Variant][] = [
    ["ours", "ours"],
    ["empty", "empty"],
  ];
  for (const [i, [name, variant]] of designs.entries()) {
    const profDir = path.join(dir, name);
    rmSync(profDir, { recursive: true, force: true });
    mkdirSync(profDir, { recursive: true });
    const server = await startServer({
      name: `profile-${name}`,
      variant,
      port: opts.basePort + i,
      env: { ...opts.env, SWEEPER_ENABLED: "false" },
      cpuProfileDir: profDir,
    });
    let requests = 0;
    try {
      const browsers = opts.browsers.map((b) => ({ kratosCookie: b.kratosCookie }));
      const warm = await runLoad({
        url: `${server.url}${PING_PATH}`,
        seconds: 3,
        connections: opts.connections,
        browsers,
      });
      const r = await runLoad({
        url: `${server.url}${PING_PATH}`,
        seconds: opts.seconds,
        connections: opts.connections,
        browsers,
      });
      // The profile spans the process's life: start-up (module loading, about the same for both) and every request.
      requests = warm.ok + r.ok;
    } finally {
      await server.stop();
    }
    // next start's profile is the biggest (the CLI wrapper's is tiny)
    const files = readdirSync(profDir)
      .filter((f) => f.endsWith(".cpuprofile"))
      .map((f) => path.join(profDir, f));
    if (files.length === 0) throw new Error(`no CPU profile written for ${name} (${profDir})`);
    const biggest = files.sort((a, b) => readFileSync(b).byteLength - readFileSync(a).byteLength)[0]!;
    out[name] = summarise(biggest, requests);
    log(`profile: ${name}: ${biggest}`);
  }
  writeFileSync(path.join(dir, "summary.json"), JSON.stringify(out, null, 2));
  return out;
}

export function printProfiles(summaries: Record<string, ProfileSummary>): string {
  const lines: string[] = [
    "",
    "Where the time goes (CPU self time, ms per 1,000 ping requests; V8 profile of next start):",
    "",
  ];
  const parts = [...new Set(Object.values(summaries).flatMap((s) => Object.keys(s.byPart)))];
  const names = Object.keys(summaries);
  lines.push(`| part | ${names.join(" | ")} |`, `|---|${names.map(() => "---:").join("|")}|`);
  for (const p of parts)
    lines.push(`| ${p} | ${names.map((n) => (summaries[n]!.byPart[p] ?? 0).toFixed(1)).join(" | ")} |`);
  lines.push(
    `| **total** | ${names
      .map((n) =>
        Object.values(summaries[n]!.byPart)
          .reduce((a, b) => a + b, 0)
          .toFixed(1),
      )
      .join(" | ")} |`,
  );
  for (const n of names) {
    lines.push("", `Top frames, ${n}:`);
    for (const t of summaries[n]!.top) lines.push(`  ${t.ms.toFixed(2).padStart(7)} ms  ${t.frame}`);
  }
  return lines.join("\n");
}
