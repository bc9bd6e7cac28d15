// Runs @moq/token operations for NpmInteropTest. Reads a JSON array of requests on stdin and writes a JSON
// object {results: [...]} on stdout, one result per request: {ok: true, ...} or {ok: false, error: "..."}.
//   {op: "generate", alg, kid}          -> {key: JWK JSON, public: JWK JSON or null}
//   {op: "sign", key: text, claims}      -> {token}
//   {op: "verify", key: text, token, path} -> {claims}
import { generate, load, loadPublic, sign, toPublicKey, verify } from "@moq/token";

async function run(req) {
	switch (req.op) {
		case "generate": {
			const key = await generate(req.alg, req.kid);
			const pub = key.kty === "oct" ? null : JSON.stringify(toPublicKey(key));
			return { key: JSON.stringify(key), public: pub };
		}
		case "sign":
			return { token: await sign(load(req.key), req.claims) };
		case "verify": {
			const key = isSymmetric(req.key) ? load(req.key) : loadPublic(req.key);
			return { claims: await verify(key, req.token, req.path) };
		}
		default:
			throw new Error(`unknown op ${req.op}`);
	}
}

function isSymmetric(text) {
	const t = text.trim();
	const json = t.startsWith("{") ? t : Buffer.from(t, "base64url").toString("utf8");
	const kty = JSON.parse(json).kty;
	return kty === undefined || kty === "oct";
}

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const req of JSON.parse(input)) {
	try {
		results.push({ ok: true, ...(await run(req)) });
	} catch (e) {
		results.push({ ok: false, error: String(e && e.message ? e.message : e) });
	}
}
process.stdout.write(JSON.stringify({ results }));
