// Test driver for the older field client npm @moq/lite (0.2.x), in Node (WebSocket path only).
//
// Same message protocol and payloads as runner.js (which drives @moq/net), so the Java side
// (org.moqrelay.it.node.NodeClient / PageResult) reads both alike; node/run.mjs picks this runner
// with `client=lite`. Modes: connect, publish, subscribe. Parameters: relay, broadcast, track,
// groups (publish 0 = until stopped), frames, interval, size, duration, timeout, connectTimeout,
// closeDelay, waitAnnounce, hold.
//
// @moq/lite 0.2.x API (differs from @moq/net): `Connection.connect(url, {websocket})` (no abort
// signal), `new Broadcast()` + `conn.publish(path, broadcast)` and then serving each track the
// relay asks for (`broadcast.requested()` -> {track}) with `track.writeGroup(new Group(seq))`;
// `conn.consume(path).subscribe(name, priority)` -> Track, `recvGroup()` / `readFrame()`;
// `conn.announced(prefix).next()` -> {path (absolute), active}. Its WebSocket offer is always
// `qmux-00, webtransport` (@moq/qmux 0.0.x), so the version is agreed in the legacy SETUP
// (lite-02); `conn.version` reports it as "moq-lite-02".
import * as Moq from "@moq/lite";
import { errorString, expectedPayload, now, optionReaders, runAndReport, sleep, withTimeout } from "./common.js";
import { installWebSocketSpy, socketCount, socketSummary } from "./websocket-spy.js";

export { errorString, expectedPayload };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function parseOptions(params) {
	const { get, num, bool } = optionReaders(params);
	return {
		run: get("run", "run"),
		mode: get("mode", "connect"),
		relay: get("relay", undefined),
		broadcast: get("broadcast", "it/lite"),
		track: get("track", "t"),
		groups: num("groups", 3),
		frames: num("frames", 2),
		interval: num("interval", 100),
		size: num("size", 0),
		duration: num("duration", 60000),
		timeout: num("timeout", 20000),
		connectTimeout: num("connectTimeout", 10000),
		closeDelay: num("closeDelay", 300),
		waitAnnounce: bool("waitAnnounce", false),
		hold: num("hold", 0),
	};
}

async function connect(opts) {
	if (!opts.relay) throw new Error("missing relay parameter");
	installWebSocketSpy();
	const from = socketCount();
	const url = new URL(opts.relay);
	console.info(`@moq/lite connecting to ${url} (WebTransport: ${typeof globalThis.WebTransport})`);
	const started = now();
	try {
		// @moq/lite 0.2.x takes no abort signal: bound the attempt here.
		const conn = await withTimeout(Moq.Connection.connect(url, { websocket: { enabled: true } }),
			opts.connectTimeout, `connect to ${url}`);
		const { subprotocol, offered, localPort } = socketSummary(from);
		const fields = { version: conn.version, transport: "websocket", subprotocol, offered, localPort };
		console.info(`@moq/lite connected: version=${conn.version} subprotocol=${fields.subprotocol}`);
		return { conn, fields };
	} catch (e) {
		const err = e instanceof Error ? e : new Error(String(e));
		err.partial = { connectFailedAfter: Math.round(now() - started), ...socketSummary(from) };
		throw err;
	}
}

/** Serves every track the relay requests with the same live groups, until stopped. */
async function publishMode(opts, event, mark, stopped) {
	const { conn, fields } = await connect(opts);
	mark("connected");
	await event("connected", fields);
	const path = Moq.Path.from(opts.broadcast);
	const broadcast = new Moq.Broadcast();
	const tracks = new Set();
	let requests = 0;
	(async () => {
		for (;;) {
			const req = await broadcast.requested();
			if (!req) return;
			requests++;
			console.info(`track requested: ${req.track.name} (priority ${req.priority})`);
			if (req.track.name !== opts.track) {
				req.track.close(new Error("not found"));
				continue;
			}
			tracks.add(req.track);
			req.track.closed.then(() => tracks.delete(req.track));
		}
	})().catch((e) => console.warn("requested loop:", errorString(e)));
	conn.publish(path, broadcast);
	mark("published");
	await event("publishing", { ...fields, broadcast: path, track: opts.track });

	let isStopped = false;
	stopped.then(() => { isStopped = true; });
	let groups = 0;
	let frames = 0;
	const start = now();
	const endless = opts.groups <= 0;
	try {
		for (let g = 0; endless || g < opts.groups; g++) {
			if (isStopped || (endless && now() - start > opts.duration)) break;
			for (const track of tracks) {
				const group = new Moq.Group(g);
				try {
					track.writeGroup(group);
				} catch (e) {
					tracks.delete(track); // closed meanwhile
					continue;
				}
				for (let f = 0; f < opts.frames; f++) group.writeFrame(encoder.encode(expectedPayload(g, f, opts.size)));
				group.close();
			}
			groups++;
			frames += opts.frames;
			if (endless || g + 1 < opts.groups) {
				if (await sleep(opts.interval, stopped)) break;
			}
		}
		mark("lastGroup");
		await event("written", { groups, frames });
		if (!isStopped && !endless) await sleep(opts.duration, stopped);
		mark("stopped");
		await sleep(opts.closeDelay);
		for (const t of tracks) t.close();
		broadcast.close();
		return { ok: true, ...fields, groupsWritten: groups, framesWritten: frames, trackRequests: requests };
	} finally {
		conn.close();
	}
}

async function subscribeMode(opts, event, mark) {
	const { conn, fields } = await connect(opts);
	mark("connected");
	await event("connected", fields);
	const frames = [];
	const mismatches = [];
	const groups = new Map();
	let frameCount = 0;
	const partial = () => ({ frames, frameCount, groupsComplete: groups.size, groupSequences: [...groups.keys()], mismatches });
	try {
		const path = Moq.Path.from(opts.broadcast);
		if (opts.waitAnnounce) {
			const parts = path.split("/");
			const prefix = Moq.Path.from(...parts.slice(0, -1));
			const announced = conn.announced(prefix);
			await withTimeout((async () => {
				for (;;) {
					const ev = await announced.next();
					if (ev === undefined) throw new Error(`announcements under '${prefix}' ended before '${path}' was seen`);
					console.info(`announced: prefix='${prefix}' path='${ev.path}' active=${ev.active}`);
					// 0.2.x reports the full path (prefix joined); accept a relative one too.
					if (ev.active && (ev.path === path || Moq.Path.join(prefix, ev.path) === path)) return;
				}
			})(), opts.timeout, `announcement of ${path}`);
			announced.close();
			mark("announced");
			await event("announced", { broadcast: path });
		}
		const consumer = conn.consume(path);
		const track = consumer.subscribe(opts.track, 0);
		mark("subscribed");
		await event("subscribed", { ...fields, broadcast: path, track: opts.track });
		const readGroup = async (group) => {
			let n = 0;
			for (;;) {
				const data = await group.readFrame();
				if (data === undefined) break;
				if (frameCount === 0) mark("firstFrame");
				const text = decoder.decode(data);
				const want = expectedPayload(group.sequence, n, opts.size);
				const ok = text === want;
				frames.push({ group: group.sequence, frame: n, length: data.byteLength, ok,
					payload: text.length <= 64 ? text : text.slice(0, 64) + "…" });
				if (!ok) mismatches.push(`group ${group.sequence} frame ${n}: got '${text.slice(0, 64)}' want '${want.slice(0, 64)}'`);
				frameCount++;
				n++;
			}
			groups.set(group.sequence, n);
			if (n !== opts.frames) mismatches.push(`group ${group.sequence}: ${n} frames, want ${opts.frames}`);
		};
		const pending = [];
		await withTimeout((async () => {
			for (let i = 0; i < opts.groups; i++) {
				const group = await track.recvGroup();
				if (group === undefined) throw new Error(`track ended after ${i} groups (${frameCount} frames)`);
				if (i === 0) mark("firstGroup");
				pending.push(readGroup(group));
			}
			await Promise.all(pending);
		})(), opts.timeout, `${opts.groups} groups of ${opts.broadcast}/${opts.track}`);
		mark("received");
		await event("received", { ...fields, frameCount }); // still connected
		track.close();
		consumer.close();
		frames.sort((a, b) => a.group - b.group || a.frame - b.frame);
		return { ...fields, ok: mismatches.length === 0, error: mismatches.length ? mismatches.join("; ") : undefined, ...partial() };
	} catch (e) {
		e.partial = { ...fields, ...partial() };
		throw e;
	} finally {
		if (opts.hold > 0) await sleep(opts.hold);
		conn.close();
	}
}

async function connectMode(opts, event, mark) {
	const { conn, fields } = await connect(opts);
	mark("connected");
	const out = { ok: true, ...fields };
	await event("connected", out);
	if (opts.hold > 0) await sleep(opts.hold);
	conn.close();
	return out;
}

/** Runs one test; every mode ends with exactly one "result" message (as runner.js). */
export async function run(opts, post, stopped = new Promise(() => {})) {
	const base = { mode: opts.mode, client: "@moq/lite", moqLiteVersion: await libraryVersion(),
		webTransport: typeof globalThis.WebTransport, userAgent: `node ${process.version}` };
	return runAndReport(post, base, async (event, mark) => {
		switch (opts.mode) {
			case "connect":
				return connectMode(opts, event, mark);
			case "publish":
				return publishMode(opts, event, mark, stopped);
			case "subscribe":
				return subscribeMode(opts, event, mark);
			default:
				throw new Error(`unknown mode for @moq/lite: ${opts.mode}`);
		}
	});
}

/** The installed @moq/lite version, read from its package.json (Node only). */
async function libraryVersion() {
	try {
		const { readFile } = await import("node:fs/promises");
		const { createRequire } = await import("node:module");
		const require = createRequire(import.meta.url);
		const dir = require.resolve("@moq/lite").replace(/[\\/]index\.js$/, "");
		return JSON.parse(await readFile(`${dir}/package.json`, "utf8")).version;
	} catch {
		return "unknown";
	}
}
