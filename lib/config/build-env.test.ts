/**
 * `next build` needs no secret (issue 15): importing the env module and the modules that read it holds no
 * check; next.config.js checks everything but the secrets in the build phase and everything when a server
 * starts, naming the missing variable. Each case runs in a child process with the secrets removed from
 * its environment (next.config.js exits the process on a bad environment, as Next needs).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ConfigError, readBuildEnv, readServerEnv } from "./env.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

function withoutSecrets(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.SESSION_SECRET;
  delete env.SESSION_SECRET_PREVIOUS;
  delete env.KRATOS_HOOK_SECRET;
  return env;
}

function run(script: string) {
  const result = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "--input-type=module", "-e", script],
    {
      cwd: ROOT,
      env: withoutSecrets(),
      encoding: "utf8",
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("a build without secrets", () => {
  it("readBuildEnv() checks the rest and needs no secret; readServerEnv() names the missing one", () => {
    const env = readBuildEnv({ APP_URL: "https://app.example.com" });
    assert.equal(env.APP_URL, "https://app.example.com");
    assert.equal("SESSION_SECRET" in env, false);
    assert.equal("KRATOS_HOOK_SECRET" in env, false);
    assert.throws(() => readBuildEnv({ APP_URL: "ftp://x" }), /APP_URL: must be an http\(s\) URL/);
    assert.throws(
      () => readServerEnv({}),
      (e: Error) => e instanceof ConfigError && /SESSION_SECRET: is required/.test(e.message),
    );
  });

  it("importing the modules that read the environment does not throw without secrets", () => {
    const modules = [
      "lib/config/env.js",
      "lib/session/record-keys.ts",
      "lib/kratos/client.ts",
      "lib/db/pool.ts",
      "lib/gate/gate.ts",
    ];
    const { status, stderr, stdout } = run(
      `${modules.map((m, i) => `import * as m${i} from "./${m}";`).join(" ")} console.log("imported");`,
    );
    assert.equal(status, 0, stderr);
    assert.match(stdout, /imported/);
  });

  it("next.config.js: the build phase passes without secrets, a server start stops naming SESSION_SECRET", () => {
    const load = (phase: string) =>
      run(
        `import config from "./next.config.js"; const c = config(${JSON.stringify(phase)}); ` +
          `console.log("config", typeof c.headers);`,
      );
    const build = load("phase-production-build");
    assert.equal(build.status, 0, build.stderr);
    assert.match(build.stdout, /config function/);
    const server = load("phase-production-server");
    assert.equal(server.status, 1);
    assert.match(server.stderr, /SESSION_SECRET: is required/);
    assert.doesNotMatch(server.stdout, /config/);
  });
});
