package org.moqrelay.wire;

/**
 * The moq-lite drafts and what differs between them (spec/moq-lite.md §2). Older versions are
 * listed explicitly in each predicate so a newer draft falls forward to the newest behaviour.
 */
public enum LiteVersion {
    LITE_01(0xff0dad01L, "moql"),
    LITE_02(0xff0dad02L, "moql"),
    LITE_03(0xff0dad03L, "moq-lite-03"),
    LITE_04(0xff0dad04L, "moq-lite-04"),
    LITE_05(0xff0dad05L, "moq-lite-05");

    private final long wireCode;
    private final String alpn;

    LiteVersion(long wireCode, String alpn) {
        this.wireCode = wireCode;
        this.alpn = alpn;
    }

    /** The code carried in the legacy SETUP exchange. */
    public long wireCode() {
        return wireCode;
    }

    /** The draft's name, e.g. {@code moq-lite-02} (for logs; lite-01/02 share the ALPN {@code moql}). */
    public String draftName() {
        return "moq-lite-0" + (ordinal() + 1);
    }

    /** The ALPN / WebTransport subprotocol that selects this version. */
    public String alpn() {
        return alpn;
    }

    /** The version an ALPN or subprotocol selects directly, or null (moql needs a SETUP exchange). */
    public static LiteVersion fromAlpn(String alpn) {
        return switch (alpn) {
            case "moq-lite-05" -> LITE_05;
            case "moq-lite-04" -> LITE_04;
            case "moq-lite-03" -> LITE_03;
            default -> null;
        };
    }

    private boolean before(LiteVersion v) {
        return compareTo(v) < 0;
    }

    /** lite-01/02: the legacy CLIENT_SETUP / SERVER_SETUP exchange and a session stream. */
    public boolean hasLegacySetup() {
        return before(LITE_03);
    }

    /** lite-01/02: the publisher answers ANNOUNCE_REQUEST with ANNOUNCE_INIT. */
    public boolean hasAnnounceInit() {
        return before(LITE_03);
    }

    /** The version a legacy SETUP code selects, or null. */
    public static LiteVersion fromWireCode(long code) {
        for (LiteVersion v : values()) {
            if (v.wireCode == code) return v;
        }
        return null;
    }

    /** lite-05+: a uni SETUP stream carrying capabilities. */
    public boolean hasSetupStream() {
        return !before(LITE_05);
    }

    /** lite-05+: TRACK / TRACK_INFO stream. */
    public boolean hasTrackStream() {
        return !before(LITE_05);
    }

    /** lite-05+: ANNOUNCE_OK with origin and active count. */
    public boolean hasAnnounceOk() {
        return !before(LITE_05);
    }

    /** lite-04+: ANNOUNCE_REQUEST carries an exclude-hop id. */
    public boolean hasExcludeHop() {
        return !before(LITE_04);
    }

    /** lite-05+: frames carry a zigzag timestamp delta. */
    public boolean hasFrameTimestamps() {
        return !before(LITE_05);
    }

    /** lite-03+: SUBSCRIBE carries ordered, max latency, start and end. */
    public boolean hasSubscribeOptions() {
        return !before(LITE_03);
    }

    /** lite-05+: typed SUBSCRIBE_START / END / DROP responses instead of SUBSCRIBE_OK. */
    public boolean hasSubscribeStart() {
        return !before(LITE_05);
    }

    /** lite-05+: QUIC datagrams. */
    public boolean hasDatagrams() {
        return !before(LITE_05);
    }
}
