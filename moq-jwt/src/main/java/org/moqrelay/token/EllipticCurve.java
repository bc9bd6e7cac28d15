package org.moqrelay.token;

/** The {@code crv} of an EC or OKP key. P-521 is absent, as in the reference. */
public enum EllipticCurve {
    P256("P-256", 32),
    P384("P-384", 48),
    ED25519("Ed25519", 32);

    private final String wireName;
    private final int size;

    EllipticCurve(String wireName, int size) {
        this.wireName = wireName;
        this.size = size;
    }

    /** The JSON spelling. */
    public String wireName() {
        return wireName;
    }

    /** Bytes in one coordinate (or, for Ed25519, in the public key and the seed). */
    public int size() {
        return size;
    }

    /** The curve with this JSON spelling, or null. */
    static EllipticCurve fromWire(String name) {
        for (EllipticCurve c : values()) {
            if (c.wireName.equals(name)) return c;
        }
        return null;
    }
}
