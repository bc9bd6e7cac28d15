package org.moqrelay.token;

/** A JWK {@code key_ops} entry (RFC 7517 section 4.3), in the reference's order. */
public enum KeyOperation {
    SIGN("sign"),
    VERIFY("verify"),
    DECRYPT("decrypt"),
    ENCRYPT("encrypt");

    private final String wireName;

    KeyOperation(String wireName) {
        this.wireName = wireName;
    }

    /** The JSON spelling. */
    public String wireName() {
        return wireName;
    }

    /** The operation with this JSON spelling, or null. */
    static KeyOperation fromWire(String name) {
        for (KeyOperation op : values()) {
            if (op.wireName.equals(name)) return op;
        }
        return null;
    }
}
