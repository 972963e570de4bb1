// Lines of at most 120 characters in every tracked text file but Markdown (prose wraps where it reads best) and
// the lockfile. A line that cannot be split (a literal Next reads statically) is allowed when the line above it
// says `line-length: allowed` and why. Run by the lint stage of scripts/test.sh.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const MAX = 120;
const SKIP = /(\.md|package-lock\.json|\.png|\.jpe?g|\.webm|\.ico|\.woff2?)$/;
const files = execFileSync("git", ["ls-files", "-z"], { encoding: "utf8" }).split("\0").filter(Boolean);
const long = [];
for (const file of files.filter((f) => !SKIP.test(f))) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    continue; // deleted in the working tree
  }
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if ([...line].length > MAX && !(lines[i - 1] ?? "").includes("line-length: allowed")) {
      long.push(`${file}:${i + 1}: ${[...line].length} characters`);
    }
  });
}
if (long.length) {
  console.error(`${long.length} line(s) longer than ${MAX} characters:\n${long.join("\n")}`);
  process.exit(1);
}
