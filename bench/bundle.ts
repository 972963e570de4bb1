/**
 * Item 5, the JavaScript the idle provider adds: every module of components/idle/ and lib/client/ (tests
 * left out) and whatever they import from the app, bundled and minified with esbuild (the one tsx ships),
 * with react, react-dom and next left external (the page has them anyway), then gzipped. This counts our
 * code only, as a browser would download it, independent of how Next splits chunks.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { ROOT } from "./config";

export interface BundleFigures {
  files: number;
  minifiedBytes: number;
  gzipBytes: number;
}

export async function measureBundle(): Promise<BundleFigures> {
  const entries = ["components/idle", "lib/client"].flatMap((dir) =>
    readdirSync(path.join(ROOT, dir))
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
      .map((f) => `./${dir}/${f}`),
  );
  const result = await build({
    stdin: {
      contents: entries.map((e) => `export * from ${JSON.stringify(e)};`).join("\n"),
      resolveDir: ROOT,
      loader: "ts",
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    external: ["react", "react-dom", "react/jsx-runtime", "next", "next/*"],
    define: { "process.env.NODE_ENV": '"production"' },
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  return { files: entries.length, minifiedBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}
