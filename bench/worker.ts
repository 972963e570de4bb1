/**
 * Runs one of the bench's worker scripts (TypeScript, through tsx) in a process of its own and returns the
 * JSON object it prints as its last line of standard output. A non-zero exit or no JSON fails with the
 * worker's own last output.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "./config";

export function runWorker<T>(
  name: string,
  script: string,
  opts: { args?: string[]; env: NodeJS.ProcessEnv; nodeFlags?: string[] },
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(opts.nodeFlags ?? []), "--import", "tsx", path.join(import.meta.dirname, script), ...(opts.args ?? [])],
      {
        cwd: ROOT,
        env: opts.env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${name} failed (exit ${code}):\n${err.slice(-3000)}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "") as T);
      } catch {
        reject(new Error(`${name} printed no figures:\n${out.slice(-1000)}\n${err.slice(-2000)}`));
      }
    });
  });
}
