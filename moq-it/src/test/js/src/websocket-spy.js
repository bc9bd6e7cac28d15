// WebSocket instrumentation for the test drivers (runner.js, lite-runner.js).
//
// @moq/qmux dials through `globalThis.WebSocketStream` when the platform has a native one
// (Chromium) and through `globalThis.WebSocket` otherwise (Node: the `ws` package). Both are
// wrapped by transparent subclasses that record, per socket, the Sec-WebSocket-Protocol values
// offered and the one the server chose, and that can replace the offer (`subprotocols=`), so the
// library's own connect() runs unchanged on a pinned offer.
import { errorString } from "./common.js";

/** One record per socket opened: {api, url, offered[], protocol?, closeCode?, closeReason?, error?}. */
const sockets = [];
let pinned; // string[] replacing every offer, or undefined for the library's own list
let spyInstalled = false;

function offerOf(protocols) {
	if (pinned !== undefined) return [...pinned];
	if (protocols === undefined || protocols === null) return [];
	return Array.isArray(protocols) ? [...protocols] : [String(protocols)];
}

/** Wraps the platform's WebSocket (and WebSocketStream, where native) once; later calls do nothing. */
export function installWebSocketSpy() {
	if (spyInstalled) return;
	spyInstalled = true;
	const Ws = globalThis.WebSocket;
	if (typeof Ws === "function") {
		globalThis.WebSocket = class extends Ws {
			constructor(url, protocols, ...rest) {
				const offered = offerOf(protocols);
				super(url, offered, ...rest);
				const rec = { api: "WebSocket", url: String(url), offered };
				sockets.push(rec);
				this.addEventListener("open", () => {
					rec.protocol = this.protocol;
					// Node's `ws` exposes its TCP socket: the local port identifies this client in the relay's log.
					if (this._socket && typeof this._socket.localPort === "number") rec.localPort = this._socket.localPort;
				});
				this.addEventListener("close", (e) => { rec.closeCode = e.code; rec.closeReason = e.reason; });
				this.addEventListener("error", (e) => { rec.error = e && e.message ? e.message : "error event"; });
			}
		};
	}
	const Wss = globalThis.WebSocketStream;
	if (typeof Wss === "function") {
		globalThis.WebSocketStream = class extends Wss {
			constructor(url, options = {}) {
				const offered = offerOf(options.protocols);
				super(url, { ...options, protocols: offered });
				const rec = { api: "WebSocketStream", url: String(url), offered };
				sockets.push(rec);
				this.opened.then((o) => { rec.protocol = o.protocol; }, (e) => { rec.error = errorString(e); });
				this.closed.then((c) => { rec.closeCode = c.closeCode; rec.closeReason = c.reason; },
					(e) => { rec.error = rec.error ?? errorString(e); });
			}
		};
	}
}

/** What the sockets opened since `from` (a {@link socketCount}) negotiated: {subprotocol, offered, localPort, sockets}. */
export function socketSummary(from) {
	const mine = sockets.slice(from).map((r) => ({ ...r }));
	const open = mine.filter((r) => r.protocol !== undefined);
	const last = open.length ? open[open.length - 1] : mine[mine.length - 1];
	return { subprotocol: open.length ? last.protocol : undefined, offered: last ? last.offered : undefined,
		localPort: last ? last.localPort : undefined, sockets: mine };
}

/** Replaces every later offer with `offer` (string[]); undefined restores the library's own list. */
export function pinOffer(offer) {
	pinned = offer;
}

/** The pinned offer, or undefined. */
export function pinnedOffer() {
	return pinned;
}

/** How many sockets have been opened so far: a mark for {@link socketSummary}. */
export function socketCount() {
	return sockets.length;
}
