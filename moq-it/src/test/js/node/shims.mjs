// Shims so npm @moq/net runs on Node 20 (it uses Promise.withResolvers and Set.prototype.difference,
// both Node >= 22) and a global WebSocket (Node >= 22) backed by the `ws` package.
// Import this module before "@moq/net".
import { WebSocket as WsWebSocket } from "ws";

if (typeof Promise.withResolvers !== "function") {
	Promise.withResolvers = function withResolvers() {
		let resolve;
		let reject;
		const promise = new this((res, rej) => {
			resolve = res;
			reject = rej;
		});
		return { promise, resolve, reject };
	};
}
if (typeof Set.prototype.difference !== "function") {
	Object.defineProperty(Set.prototype, "difference", {
		configurable: true,
		writable: true,
		value: function difference(other) {
			const out = new Set();
			for (const v of this) if (!other.has(v)) out.add(v);
			return out;
		},
	});
}
if (typeof globalThis.WebSocket === "undefined") {
	globalThis.WebSocket = WsWebSocket;
}
