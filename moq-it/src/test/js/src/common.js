// What both test drivers share (runner.js for @moq/net, lite-runner.js for @moq/lite): payloads,
// option parsing, error text, bounded waits, and the frame that turns one mode's outcome into
// exactly one "result" message. No MoQ library is imported here.

export const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** The payload text frame `frame` of group `group` must carry. */
export function expectedPayload(group, frame, size = 0) {
	const base = `g${group}-f${frame}`;
	return size > base.length ? base + ".".repeat(size - base.length) : base;
}

/** Typed readers over the query parameters (a URLSearchParams or plain object): {get, num, bool}. */
export function optionReaders(params) {
	const get = (k, d) => {
		const v = params instanceof URLSearchParams ? params.get(k) : params[k];
		return v === null || v === undefined || v === "" ? d : String(v);
	};
	const num = (k, d) => {
		const v = get(k, undefined);
		if (v === undefined) return d;
		const n = Number(v);
		if (!Number.isFinite(n)) throw new Error(`parameter ${k} is not a number: ${v}`);
		return n;
	};
	const bool = (k, d) => {
		const v = get(k, undefined);
		return v === undefined ? d : v === "1" || v === "true" || v === "yes";
	};
	return { get, num, bool };
}

/** A one-line description of an error, including AggregateError members, codes and causes. */
export function errorString(e) {
	if (e === undefined || e === null) return String(e);
	if (typeof e === "object" && "message" in e) {
		let out = `${e.name ?? "Error"}: ${e.message}`;
		if (e.code !== undefined) out += ` (code ${e.code})`;
		if (e.source !== undefined) out += ` (source ${e.source})`;
		if (e.streamErrorCode !== undefined && e.streamErrorCode !== null) out += ` (streamErrorCode ${e.streamErrorCode})`;
		if (Array.isArray(e.errors) && e.errors.length) out += ` [${e.errors.map(errorString).join("; ")}]`;
		if (e.cause !== undefined) out += ` cause: ${errorString(e.cause)}`;
		return out;
	}
	return String(e);
}

/** Resolves with false after `ms`, or with true as soon as `stop` (a Promise) resolves. */
export function sleep(ms, stop) {
	return new Promise((resolve) => {
		const t = setTimeout(() => resolve(false), ms);
		if (stop) stop.then(() => { clearTimeout(t); resolve(true); });
	});
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs one mode, `body(event, mark)`, and posts exactly one "result" message: `base`, what the
 * mode returned (or ok=false with the error and its `partial` fields) and the `mark`ed timings.
 * @param post async (message) => void
 */
export async function runAndReport(post, base, body) {
	const t0 = now();
	const timings = {};
	const mark = (name) => { timings[name] = Math.round(now() - t0); };
	const event = (name, extra = {}) => post({ type: "event", name, t: Math.round(now() - t0), ...extra });
	let result;
	try {
		result = await body(event, mark);
	} catch (e) {
		console.error("test failed:", e);
		result = { ok: false, error: errorString(e), ...(e && e.partial ? e.partial : {}) };
	}
	mark("done");
	const message = { type: "result", ...base, ...result, timings };
	await post(message);
	return message;
}
