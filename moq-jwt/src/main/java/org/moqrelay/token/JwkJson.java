package org.moqrelay.token;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** JSON for {@link Jwk}, following the reference's serde attributes. */
final class JwkJson {
    private JwkJson() {
    }

    static Jwk parse(String text) {
        Map<String, Object> json = Json.parseObject(text);
        if (json == null) throw invalid("not a JSON object");
        try {
            return parse(json);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    static Jwk parse(Map<String, Object> json) {
        String alg = Json.string(json, "alg", "member");
        if (alg == null) throw new IllegalArgumentException("missing `alg`");
        Algorithm algorithm = null;
        for (Algorithm a : Algorithm.values()) {
            if (a.name().equals(alg)) algorithm = a;
        }
        if (algorithm == null) throw new IllegalArgumentException("unsupported algorithm " + Algorithm.printable(alg));

        Set<KeyOperation> ops = EnumSet.of(KeyOperation.SIGN, KeyOperation.VERIFY);
        if (json.containsKey("key_ops")) {
            List<String> names = Json.stringArray(json.get("key_ops"));
            if (names == null) throw new IllegalArgumentException("`key_ops` must be an array of strings");
            ops = EnumSet.noneOf(KeyOperation.class);
            for (String name : names) {
                KeyOperation op = KeyOperation.fromWire(name);
                if (op == null) throw new IllegalArgumentException("unknown key operation " + Algorithm.printable(name));
                ops.add(op);
            }
        }

        String kty = json.containsKey("kty") ? Json.string(json, "kty", "member") : "oct";
        if (kty == null) throw new IllegalArgumentException("`kty` must be a string");
        KeyMaterial material = switch (kty) {
            case "oct" -> new KeyMaterial.Oct(bytes(json, "k"));
            case "EC" -> new KeyMaterial.Ec(curve(json), bytes(json, "x"), bytes(json, "y"), optionalBytes(json, "d"));
            case "RSA" -> new KeyMaterial.Rsa(bytes(json, "n"), bytes(json, "e"), optionalBytes(json, "d"), optionalBytes(json, "p"),
                    optionalBytes(json, "q"), optionalBytes(json, "dp"), optionalBytes(json, "dq"), optionalBytes(json, "qi"));
            case "OKP" -> new KeyMaterial.Okp(curve(json), bytes(json, "x"), optionalBytes(json, "d"));
            default -> throw new IllegalArgumentException("unsupported key type " + Algorithm.printable(kty));
        };

        String kid = Json.string(json, "kid", "member");
        if (kid != null) KeyIds.validate(kid);

        Scope scope = null;
        Object s = json.get("scope");
        if (s != null) {
            if (!(s instanceof Map<?, ?> m)) throw new IllegalArgumentException("`scope` must be an object");
            @SuppressWarnings("unchecked")
            Map<String, Object> sm = (Map<String, Object>) m;
            String root = Json.string(sm, "root", "scope member");
            scope = new Scope(root, scopeList(sm, "put"), scopeList(sm, "get"));
        }
        return new Jwk(algorithm, ops, material, kid, scope);
    }

    static String write(Jwk jwk) {
        Json.Writer w = new Json.Writer();
        w.string("alg", jwk.algorithm().name());
        w.strings("key_ops", jwk.operations().stream().map(KeyOperation::wireName).toList());
        KeyMaterial m = jwk.material();
        w.string("kty", m.kty());
        switch (m) {
            case KeyMaterial.Oct oct -> b64(w, "k", oct.secret());
            case KeyMaterial.Ec ec -> {
                w.string("crv", ec.curve().wireName());
                b64(w, "x", ec.x());
                b64(w, "y", ec.y());
                b64(w, "d", ec.d());
            }
            case KeyMaterial.Rsa rsa -> {
                b64(w, "n", rsa.n());
                b64(w, "e", rsa.e());
                b64(w, "d", rsa.d());
                b64(w, "p", rsa.p());
                b64(w, "q", rsa.q());
                b64(w, "dp", rsa.dp());
                b64(w, "dq", rsa.dq());
                b64(w, "qi", rsa.qi());
            }
            case KeyMaterial.Okp okp -> {
                w.string("crv", okp.curve().wireName());
                b64(w, "x", okp.x());
                b64(w, "d", okp.d());
            }
        }
        if (jwk.kid() != null) w.string("kid", jwk.kid());
        if (jwk.scope() != null) w.raw("scope", jwk.scope().toJson());
        return w.toString();
    }

    private static void b64(Json.Writer w, String name, byte[] value) {
        if (value != null) w.string(name, Base64Url.encode(value));
    }

    private static List<String> scopeList(Map<String, Object> scope, String name) {
        if (!scope.containsKey(name)) return List.of();
        List<String> list = Json.stringArray(scope.get(name));
        if (list == null) throw new IllegalArgumentException("scope `" + name + "` must be an array of strings");
        return list;
    }

    private static EllipticCurve curve(Map<String, Object> json) {
        String crv = Json.string(json, "crv", "member");
        if (crv == null) throw new IllegalArgumentException("missing `crv`");
        EllipticCurve curve = EllipticCurve.fromWire(crv);
        if (curve == null) throw new IllegalArgumentException("unsupported curve " + Algorithm.printable(crv));
        return curve;
    }

    private static byte[] bytes(Map<String, Object> json, String name) {
        byte[] b = optionalBytes(json, name);
        if (b == null) throw new IllegalArgumentException("missing `" + name + "`");
        return b;
    }

    private static byte[] optionalBytes(Map<String, Object> json, String name) {
        String s = Json.string(json, name, "member");
        if (s == null) return null;
        byte[] b = Base64Url.decodeLenient(s);
        // The member name only: the value may be secret.
        if (b == null) throw new IllegalArgumentException("`" + name + "` is not valid base64url");
        return b;
    }

    private static TokenException invalid(String detail) {
        return new TokenException(TokenException.Reason.INVALID_KEY, "invalid JWK: " + detail);
    }
}
