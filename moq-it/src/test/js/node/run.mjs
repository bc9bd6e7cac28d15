// Runs one runner.js test in Node (WebSocket path only) and prints every message as a JSON line.
//   node node/run.mjs mode=subscribe relay=http://127.0.0.1:PORT/anon broadcast=x groups=3 ...
// `client=lite` runs src/lite-runner.js (the older field client npm @moq/lite) instead of
// src/runner.js (@moq/net); same parameters and messages, modes connect/publish/subscribe.
// Exit code 0 when the result has ok=true, 1 otherwise.
import "./shims.mjs";

const params = new URLSearchParams(process.argv.slice(2).join("&"));
const { run, parseOptions } = params.get("client") === "lite"
	? await import("../src/lite-runner.js")
	: await import("../src/runner.js");
const opts = parseOptions(params);
let stop;
const stopped = new Promise((r) => { stop = r; });
process.on("SIGTERM", () => stop());
process.stdin.on("data", (d) => { if (String(d).includes("stop")) stop(); });
process.stdin.on("error", () => {});
const result = await run(opts, async (m) => {
	console.log(JSON.stringify({ run: opts.run, ...m }));
}, stopped);
process.exit(result.ok ? 0 : 1);
