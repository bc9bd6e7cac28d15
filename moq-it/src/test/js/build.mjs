// Bundles src/page.js (real npm @moq/net) for the browser into moq-it/target/js/page.bundle.js.
// Run from anywhere: `node moq-it/src/test/js/build.mjs [outdir]`.
import { readFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(process.argv[2] ?? join(here, "..", "..", "..", "target", "js"));
const moqNet = JSON.parse(readFileSync(join(here, "node_modules", "@moq", "net", "package.json"), "utf8"));
mkdirSync(outdir, { recursive: true });

const result = await esbuild.build({
	entryPoints: [join(here, "src", "page.js")],
	outfile: join(outdir, "page.bundle.js"),
	bundle: true,
	platform: "browser",
	format: "iife",
	target: "es2022",
	sourcemap: false,
	define: { __MOQ_NET_VERSION__: JSON.stringify(moqNet.version) },
	logLevel: "warning",
	metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`build.mjs: bundled @moq/net ${moqNet.version} into ${join(outdir, "page.bundle.js")} (${bytes} bytes)`);
