// Environment-neutral test driver for the real npm @moq/net client.
//
// Used by page.js (headless Chromium) and usable from Node (with globalThis.WebSocket set).
// Every mode ends with exactly one message of type "result"; progress is reported as "event"
// messages and console output as "log" messages, all through the `post` callback.
//
// Payloads are deterministic: frame f of group g is the UTF-8 text `g<g>-f<f>`, right-padded
// with '.' to `size` bytes when `size` is larger (see expectedPayload).
import * as Moq from "@moq/net";
import { errorString, expectedPayload, now, optionReaders, runAndReport, sleep, withTimeout } from "./common.js";
import { installWebSocketSpy, pinOffer, pinnedOffer, socketCount, socketSummary } from "./websocket-spy.js";

/* global __MOQ_NET_VERSION__ */
/** The @moq/net version, injected by build.mjs (esbuild define); "unknown" when not bundled. */
export const MOQ_NET_VERSION = typeof __MOQ_NET_VERSION__ !== "undefined" ? __MOQ_NET_VERSION__ : "unknown";

export { Moq, errorString, expectedPayload };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Parses the query parameters (a URLSearchParams or plain object) into typed options. */
export function parseOptions(params) {
	const { get, num, bool } = optionReaders(params);
	return {
		run: get("run", "run"),
		mode: get("mode", "probe"),
		relay: get("relay", undefined),
		broadcast: get("broadcast", "it/browser"),
		track: get("track", "t"),
		groups: num("groups", 3), // publish: groups to write (0 = until stopped); subscribe: groups to read
		frames: num("frames", 2), // frames per group (publish writes, subscribe expects)
		interval: num("interval", 100), // ms between groups
		size: num("size", 0), // pad payloads to this many bytes
		duration: num("duration", 60000), // publish: max ms to stay alive after the last group, or until stopped
		timeout: num("timeout", 20000), // subscribe: ms to wait for all groups
		connectTimeout: num("connectTimeout", 10000),
		closeDelay: num("closeDelay", 300), // publish: ms between the last frame and closing the track
		startGroup: num("startGroup", undefined),
		waitAnnounce: bool("waitAnnounce", false), // subscribe: wait for the broadcast's announcement first
		hideWebTransport: bool("hideWebTransport", false),
		websocket: bool("websocket", true), // allow the WebSocket fallback
		wsDelay: num("wsDelay", undefined), // WebSocket head start delay (ms)
		hold: num("hold", 0), // subscribe: ms to keep the connection open after the result
		// WebSocket: offer exactly these Sec-WebSocket-Protocol values (comma-separated; "-" = offer none)
		// instead of @moq/net's own list. Unset = the library's full offer.
		subprotocols: get("subprotocols", undefined),
		prefix: get("prefix", undefined), // announced: the prefix to watch (default: the broadcast's parent)
	};
}

/**
 * Runs one test according to `opts`.
 * @param opts from parseOptions
 * @param post async (message) => void, message = {type: "event"|"result"|"log", ...}
 * @param stopped a Promise that resolves when the test asks the page to stop (publish mode)
 */
export async function run(opts, post, stopped = new Promise(() => {})) {
	const base = {
		mode: opts.mode,
		moqNetVersion: MOQ_NET_VERSION,
		webTransport: typeof globalThis.WebTransport,
		webSocket: typeof globalThis.WebSocket,
		userAgent: typeof navigator !== "undefined" ? navigator.userAgent : `node ${typeof process !== "undefined" ? process.version : "?"}`,
	};
	return runAndReport(post, base, async (event, mark) => {
		switch (opts.mode) {
			case "probe":
				return { ok: true };
			case "publish":
				return publishMode(opts, event, mark, stopped);
			case "subscribe":
				return subscribeMode(opts, event, mark);
			case "pubsub":
				return pubsubMode(opts, event, mark);
			case "connect":
				return connectMode(opts, event, mark);
			case "announced":
				return announcedMode(opts, event, mark);
			default:
				throw new Error(`unknown mode: ${opts.mode}`);
		}
	});
}

const connInfo = new WeakMap(); // conn -> socketSummary at connect time

/** The WebSocket facts of `conn` (empty over WebTransport). */
export function wsFields(conn, prefix = "") {
	const info = conn ? connInfo.get(conn) : undefined;
	if (!info || conn.transport !== "websocket") return {};
	const key = (k) => (prefix ? prefix + k[0].toUpperCase() + k.slice(1) : k);
	return { [key("subprotocol")]: info.subprotocol, [key("offered")]: info.offered, [key("localPort")]: info.localPort };
}

/** Connects to `opts.relay` with @moq/net's connect(), bounded by connectTimeout. */
export async function connect(opts, label = "") {
	if (!opts.relay) throw new Error("missing relay parameter");
	const url = new URL(opts.relay);
	const websocket = { enabled: opts.websocket };
	if (opts.wsDelay !== undefined) websocket.delay = opts.wsDelay;
	if (opts.subprotocols !== undefined) {
		pinOffer(opts.subprotocols === "-" ? [] : opts.subprotocols.split(",").map((x) => x.trim()).filter((x) => x));
	}
	installWebSocketSpy();
	const from = socketCount();
	console.info(`${label}connecting to ${url} (WebTransport: ${typeof globalThis.WebTransport}, WebSocket fallback: ${opts.websocket}`
		+ `${pinnedOffer() !== undefined ? `, WebSocket offer pinned to [${pinnedOffer().join(", ")}]` : ""})`);
	const started = now();
	let conn;
	try {
		conn = await Moq.Connection.connect(url, {
			websocket,
			signal: AbortSignal.timeout(opts.connectTimeout),
		});
	} catch (e) {
		const err = e instanceof Error ? e : new Error(String(e));
		err.partial = { ...(err.partial || {}), connectFailedAfter: Math.round(now() - started), ...socketSummary(from) };
		throw err;
	}
	const info = socketSummary(from);
	connInfo.set(conn, info);
	console.info(`${label}connected: version=${conn.version} transport=${conn.transport}`
		+ (conn.transport === "websocket" ? ` subprotocol=${info.subprotocol}` : ""));
	return conn;
}

/** Publishes `broadcast`/`track` on `conn`; resolves with a summary when stopped (or after duration). */
async function publishOn(conn, opts, event, mark, stopped) {
	const path = Moq.Path.from(opts.broadcast);
	const broadcast = new Moq.Broadcast.Producer();
	const track = broadcast.createTrack(opts.track);
	conn.publish(path, broadcast);
	mark("published");
	await event("publishing", { version: conn.version, transport: conn.transport, ...wsFields(conn), broadcast: path, track: opts.track });

	let isStopped = false;
	stopped.then(() => { isStopped = true; });
	let groups = 0;
	let frames = 0;
	const start = now();
	const endless = opts.groups <= 0; // publish until stopped, at most `duration` ms
	for (let g = 0; endless || g < opts.groups; g++) {
		if (isStopped || (endless && now() - start > opts.duration)) break;
		const group = track.appendGroup();
		for (let f = 0; f < opts.frames; f++) {
			group.writeFrame({ payload: encoder.encode(expectedPayload(group.sequence, f, opts.size)), timestamp: Moq.Time.Timestamp.now() });
			frames++;
		}
		group.close();
		groups++;
		if (opts.groups <= 0 || g + 1 < opts.groups) {
			if (await sleep(opts.interval, stopped)) break;
		}
	}
	mark("lastGroup");
	await event("written", { groups, frames });
	if (!isStopped && !endless) await sleep(opts.duration, stopped);
	mark("stopped");
	await sleep(opts.closeDelay);
	track.close();
	broadcast.close();
	return { groupsWritten: groups, framesWritten: frames };
}

/** Subscribes to `broadcast`/`track` on `conn` and reads `opts.groups` complete groups. */
async function subscribeOn(conn, opts, event, mark) {
	const path = Moq.Path.from(opts.broadcast);
	if (opts.waitAnnounce) {
		const parts = Moq.Path.parts(path);
		const prefix = Moq.Path.from(...parts.slice(0, -1));
		const name = parts[parts.length - 1];
		const announced = conn.announced(prefix);
		await withTimeout((async () => {
			for (;;) {
				const ev = await announced.next();
				if (ev === undefined) throw new Error(`announcements under '${prefix}' ended before '${name}' was seen`);
				console.info(`announced: prefix='${prefix}' path='${ev.path}' active=${ev.active}`);
				if (ev.active && ev.path === name) return;
			}
		})(), opts.timeout, `announcement of ${path}`);
		announced.close();
		mark("announced");
		await event("announced", { broadcast: path });
	}
	const consumer = conn.consume(path);
	const options = {};
	if (opts.startGroup !== undefined) options.startGroup = opts.startGroup;
	const sub = consumer.track(opts.track).subscribe(options);
	mark("subscribed");
	await event("subscribed", { version: conn.version, transport: conn.transport, broadcast: path, track: opts.track });

	const frames = []; // {group, frame, payload(?), length, ok}
	const mismatches = [];
	const groups = new Map(); // sequence -> frame count
	let frameCount = 0;
	const readGroup = async (group) => {
		let n = 0;
		for (;;) {
			const fr = await group.readFrameSequence();
			if (fr === undefined) break;
			if (frameCount === 0) mark("firstFrame");
			const text = decoder.decode(fr.payload);
			const want = expectedPayload(group.sequence, fr.sequence, opts.size);
			const ok = text === want;
			frames.push({ group: group.sequence, frame: fr.sequence, length: fr.payload.byteLength, ok, payload: text.length <= 64 ? text : text.slice(0, 64) + "…" });
			if (!ok) mismatches.push(`group ${group.sequence} frame ${fr.sequence}: got '${text.slice(0, 64)}' want '${want.slice(0, 64)}'`);
			frameCount++;
			n++;
		}
		groups.set(group.sequence, n);
		if (n !== opts.frames) mismatches.push(`group ${group.sequence}: ${n} frames, want ${opts.frames}`);
		return n;
	};

	const pending = [];
	const partial = () => ({ frames, frameCount, groupsComplete: groups.size, groupSequences: [...groups.keys()], mismatches });
	try {
		await withTimeout((async () => {
			for (let i = 0; i < opts.groups; i++) {
				const group = await sub.recvGroup();
				if (group === undefined) throw new Error(`track ended after ${i} groups (${frameCount} frames)`);
				if (i === 0) mark("firstGroup");
				pending.push(readGroup(group));
			}
			await Promise.all(pending);
		})(), opts.timeout, `${opts.groups} groups of ${opts.broadcast}/${opts.track}`);
	} catch (e) {
		e.partial = partial();
		sub.close();
		consumer.close();
		throw e;
	}
	mark("received");
	sub.close();
	consumer.close();
	frames.sort((a, b) => a.group - b.group || a.frame - b.frame);
	return { ok: mismatches.length === 0, error: mismatches.length ? mismatches.join("; ") : undefined, ...partial() };
}

async function publishMode(opts, event, mark, stopped) {
	const conn = await connect(opts);
	mark("connected");
	await event("connected", { version: conn.version, transport: conn.transport, ...wsFields(conn) });
	try {
		const summary = await publishOn(conn, opts, event, mark, stopped);
		return { ok: true, version: conn.version, transport: conn.transport, ...wsFields(conn), ...summary };
	} finally {
		conn.close();
	}
}

async function subscribeMode(opts, event, mark) {
	const conn = await connect(opts);
	mark("connected");
	await event("connected", { version: conn.version, transport: conn.transport, ...wsFields(conn) });
	try {
		const out = await subscribeOn(conn, opts, event, mark);
		return { version: conn.version, transport: conn.transport, ...wsFields(conn), ...out };
	} catch (e) {
		e.partial = { version: conn.version, transport: conn.transport, ...wsFields(conn), ...(e.partial || {}) };
		throw e;
	} finally {
		if (opts.hold > 0) await sleep(opts.hold);
		conn.close();
	}
}

/** Publisher and subscriber on two connections of the same page; publishes until the subscriber is done. */
async function pubsubMode(opts, event, mark) {
	const pubConn = await connect(opts, "pub: ");
	mark("pubConnected");
	let stop;
	const stopped = new Promise((r) => { stop = r; });
	const pubOpts = { ...opts, groups: 0, duration: opts.timeout + 2 * opts.connectTimeout };
	const publishing = publishOn(pubConn, pubOpts, (n, x) => event(`pub.${n}`, x), () => {}, stopped);
	let subConn;
	try {
		subConn = await connect(opts, "sub: ");
		mark("subConnected");
		await event("connected", { version: subConn.version, transport: subConn.transport, pubVersion: pubConn.version });
		const subOpts = { ...opts, waitAnnounce: true };
		const out = await subscribeOn(subConn, subOpts, event, mark);
		stop();
		const pub = await publishing;
		return { version: subConn.version, transport: subConn.transport, ...wsFields(subConn), pubVersion: pubConn.version,
			pubTransport: pubConn.transport, ...wsFields(pubConn, "pub"), ...pub, ...out };
	} finally {
		stop();
		await publishing.catch(() => {});
		if (subConn) subConn.close();
		pubConn.close();
	}
}

/**
 * Watches `conn.announced(prefix)` until the broadcast `opts.broadcast` (relative to the connection
 * root; `prefix` defaults to its parent) has been announced active and then withdrawn, within
 * `timeout`. Every announcement is posted as an "announce" event {path, active}; the result lists them.
 */
async function announcedMode(opts, event, mark) {
	const conn = await connect(opts);
	mark("connected");
	await event("connected", { version: conn.version, transport: conn.transport, ...wsFields(conn) });
	const full = Moq.Path.from(opts.broadcast);
	const parts = Moq.Path.parts(full);
	const prefix = opts.prefix !== undefined ? Moq.Path.from(opts.prefix) : Moq.Path.from(...parts.slice(0, -1));
	const prefixParts = Moq.Path.parts(prefix);
	if (prefixParts.some((p, i) => parts[i] !== p)) throw new Error(`broadcast '${full}' is not under prefix '${prefix}'`);
	const name = Moq.Path.from(...parts.slice(prefixParts.length));
	const announcements = [];
	let sawActive = false;
	let sawInactive = false;
	const announced = conn.announced(prefix);
	mark("watching");
	await event("watching", { prefix, target: name });
	try {
		await withTimeout((async () => {
			for (;;) {
				const ev = await announced.next();
				if (ev === undefined) throw new Error(`announcements under '${prefix}' ended (seen: ${JSON.stringify(announcements)})`);
				console.info(`announced: prefix='${prefix}' path='${ev.path}' active=${ev.active}`);
				const t = Math.round(now());
				announcements.push({ path: String(ev.path), active: ev.active });
				await event("announce", { path: String(ev.path), active: ev.active, t });
				if (String(ev.path) !== String(name)) continue;
				if (ev.active) {
					sawActive = true;
					mark("active");
				} else if (sawActive) {
					sawInactive = true;
					mark("inactive");
					return;
				}
			}
		})(), opts.timeout, `'${name}' announced and withdrawn under '${prefix}'`);
	} catch (e) {
		e.partial = { version: conn.version, transport: conn.transport, ...wsFields(conn), announcements, sawActive, sawInactive };
		throw e;
	} finally {
		announced.close();
		conn.close();
	}
	return { ok: true, version: conn.version, transport: conn.transport, ...wsFields(conn), prefix: String(prefix), name: String(name),
		announcements, sawActive, sawInactive };
}

/** Only connects: reports what was negotiated (version, transport, subprotocol), then closes. */
async function connectMode(opts, event, mark) {
	const conn = await connect(opts);
	mark("connected");
	const out = { ok: true, version: conn.version, transport: conn.transport, ...wsFields(conn) };
	await event("connected", out);
	if (opts.hold > 0) await sleep(opts.hold);
	conn.close();
	return out;
}
