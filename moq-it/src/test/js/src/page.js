// Browser entry point: drives runner.js from the page's query string and reports to the test.
//
// Query parameters (all optional except `relay` for the network modes):
//   mode=probe|publish|subscribe|pubsub   relay=http://127.0.0.1:PORT/anon   run=<id>
//   broadcast=<path> track=<name> groups=N frames=M interval=ms size=bytes duration=ms timeout=ms
//   connectTimeout=ms closeDelay=ms startGroup=N waitAnnounce=1 hideWebTransport=1 websocket=0 wsDelay=ms hold=ms
//   report=<url>  (POST target for JSON messages; default <page origin>/report)
//   control=<url> (polled for {"stop":true}; default <page origin>/control)
//
// Every message is POSTed as JSON text (Content-Type text/plain, so no CORS preflight) and
// carries {run, type, seq}: type "log" {lines:[...]}, "event" {name,...}, "result" {ok, error, version, ...}.
import { run, parseOptions, errorString, MOQ_NET_VERSION } from "./runner.js";

const params = new URLSearchParams(location.search);
if (params.get("hideWebTransport") === "1" || params.get("hideWebTransport") === "true") {
	// page.html also does this before the bundle loads; @moq/net checks at connect time.
	delete globalThis.WebTransport;
}

const runId = params.get("run") || "run";
const reportUrl = params.get("report") || `${location.origin}/report`;
const controlUrl = params.get("control") || `${location.origin}/control`;

let seq = 0;
async function post(message) {
	const body = JSON.stringify({ run: runId, seq: seq++, ...message });
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			await fetch(reportUrl, { method: "POST", body, headers: { "Content-Type": "text/plain" }, keepalive: body.length < 60000 });
			return;
		} catch (e) {
			origConsole.error("report failed", e);
			await new Promise((r) => setTimeout(r, 100));
		}
	}
}

// --- console capture: every console line is kept and flushed to the test as "log" messages.
const origConsole = {};
const pendingLines = [];
const t0 = performance.now();
function fmt(a) {
	if (typeof a === "string") return a;
	if (a instanceof Error || (a && typeof a === "object" && "message" in a && "name" in a)) return errorString(a);
	try {
		return JSON.stringify(a, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
	} catch {
		return String(a);
	}
}
for (const level of ["log", "info", "debug", "warn", "error", "trace"]) {
	origConsole[level] = console[level].bind(console);
	console[level] = (...args) => {
		pendingLines.push(`${(performance.now() - t0).toFixed(0).padStart(6)}ms ${level.toUpperCase()} ${args.map(fmt).join(" ")}`);
		origConsole[level](...args);
	};
}
async function flushLogs() {
	if (pendingLines.length === 0) return;
	const lines = pendingLines.splice(0, pendingLines.length);
	await post({ type: "log", lines });
}
const flusher = setInterval(flushLogs, 250);
addEventListener("error", (e) => console.error("uncaught:", e.message, e.filename ? `${e.filename}:${e.lineno}` : ""));
addEventListener("unhandledrejection", (e) => console.error("unhandled rejection:", e.reason));

// --- stop control: polled while the test runs (publish mode keeps the broadcast until stopped).
let stopResolve;
const stopped = new Promise((r) => { stopResolve = r; });
let polling = true;
(async () => {
	while (polling) {
		try {
			const r = await fetch(`${controlUrl}?run=${encodeURIComponent(runId)}`, { cache: "no-store" });
			if (r.ok) {
				const cmd = await r.json();
				if (cmd && cmd.stop) {
					console.info("stop requested by the test");
					stopResolve();
					return;
				}
			}
		} catch {
			// the control endpoint is optional
		}
		await new Promise((r) => setTimeout(r, 200));
	}
})();

(async () => {
	let opts;
	try {
		opts = parseOptions(params);
	} catch (e) {
		await post({ type: "result", ok: false, error: String(e), moqNetVersion: MOQ_NET_VERSION });
		return;
	}
	console.info(`page start: run=${runId} mode=${opts.mode} @moq/net ${MOQ_NET_VERSION} typeof WebTransport=${typeof globalThis.WebTransport}`);
	await post({ type: "event", name: "loaded", moqNetVersion: MOQ_NET_VERSION, webTransport: typeof globalThis.WebTransport });
	const result = await run(opts, async (m) => {
		if (m.type === "result") await flushLogs();
		await post(m);
	}, stopped);
	polling = false;
	clearInterval(flusher);
	await flushLogs();
	document.title = result.ok ? "OK" : "FAIL";
	await post({ type: "event", name: "finished" });
})();
