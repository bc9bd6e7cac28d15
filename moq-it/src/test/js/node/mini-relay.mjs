// A tiny stand-in relay on WebSocket (qmux) built from npm @moq/net itself, for proving the test
// harness (page.js, the Java browser harness) without the Java relay. NOT the relay under test.
//
//   node node/mini-relay.mjs [port]      prints "listening ws://127.0.0.1:PORT" once ready
//
// Each client's announced broadcasts are re-published to every other client; each track request
// is served by subscribing upstream and copying groups (keeping their sequence numbers) and frames.
import "./shims.mjs";
import { WebSocketServer } from "ws";
import Session, { selectSubprotocol } from "@moq/qmux";
import * as Moq from "@moq/net";

const port = Number(process.argv[2] ?? 0);
const alpns = ["moq-lite-05", "moq-lite-04", "moq-lite-03"];
const versions = Object.fromEntries(alpns.map((a) => [a, null]));

const conns = new Set(); // {conn, id}
const broadcasts = new Map(); // path -> {producer, owner}
let nextId = 1;

function log(...args) {
	console.log(new Date().toISOString(), ...args);
}

async function serveTrack(path, upstream, request) {
	const name = request.name;
	const up = upstream.track(name).subscribe();
	const track = request.accept();
	log(`serve ${path}/${name}`);
	try {
		for (;;) {
			const group = await up.recvGroup();
			if (group === undefined) break;
			const out = new Moq.Group.Producer(group.sequence);
			track.writeGroup(out);
			void (async () => {
				try {
					for (;;) {
						const frame = await group.readFrame();
						if (frame === undefined) break;
						out.writeFrame(frame);
					}
					out.close();
				} catch (e) {
					out.close(e instanceof Error ? e : new Error(String(e)));
				}
			})();
		}
		track.close();
	} catch (e) {
		log(`track ${path}/${name} ended: ${e}`);
		track.close(e instanceof Error ? e : new Error(String(e)));
	} finally {
		up.close();
	}
}

function addBroadcast(owner, path) {
	const upstream = owner.conn.consume(path);
	const producer = new Moq.Broadcast.Producer();
	const old = broadcasts.get(path);
	if (old) old.producer.close();
	broadcasts.set(path, { producer, owner });
	void (async () => {
		for (;;) {
			const request = await producer.requested();
			if (request === undefined) break;
			void serveTrack(path, upstream, request);
		}
	})();
	for (const c of conns) if (c !== owner) c.conn.publish(path, producer);
	log(`broadcast ${path} from client ${owner.id}`);
}

function removeBroadcast(owner, path) {
	const b = broadcasts.get(path);
	if (!b || b.owner !== owner) return;
	broadcasts.delete(path);
	b.producer.close();
	log(`broadcast ${path} ended`);
}

async function handle(ws, req) {
	const session = Session.accept(ws);
	await session.ready;
	const url = new URL(req.url ?? "/", "http://127.0.0.1");
	const conn = await Moq.Connection.accept(session, url);
	const entry = { conn, id: nextId++ };
	conns.add(entry);
	log(`client ${entry.id} connected: ${url.pathname} version=${conn.version} protocol=${ws.protocol}`);
	for (const [path, b] of broadcasts) if (b.owner !== entry) conn.publish(path, b.producer);
	const announced = conn.announced();
	try {
		for (;;) {
			const ev = await announced.next();
			if (ev === undefined) break;
			if (ev.active) addBroadcast(entry, ev.path);
			else removeBroadcast(entry, ev.path);
		}
	} catch (e) {
		log(`client ${entry.id} announcements: ${e}`);
	}
	await conn.closed.catch(() => {});
	conns.delete(entry);
	for (const [path, b] of [...broadcasts]) if (b.owner === entry) removeBroadcast(entry, path);
	log(`client ${entry.id} closed`);
}

const wss = new WebSocketServer({
	host: "127.0.0.1",
	port,
	handleProtocols: (offered) => selectSubprotocol([...offered], { protocols: alpns, versions, requireProtocol: true }) ?? false,
});
wss.on("connection", (ws, req) => {
	handle(ws, req).catch((e) => log(`client error: ${e?.stack ?? e}`));
});
wss.on("listening", () => {
	console.log(`listening ws://127.0.0.1:${wss.address().port}`);
});
process.on("SIGTERM", () => process.exit(0));
