package org.moqrelay.it.browser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The "result" message a test page posted (see runner.js). Typed accessors for the common fields;
 * {@link #raw()} has everything.
 */
public record PageResult(Map<String, Object> raw) {

    /** One frame the subscriber read: group sequence, frame index, payload (text, cut at 64 chars), length, and whether it matched. */
    public record Frame(long group, long frame, String payload, long length, boolean ok) {
    }

    public boolean ok() {
        return Boolean.TRUE.equals(raw.get("ok"));
    }

    /** The error string, or null. */
    public String error() {
        Object e = raw.get("error");
        return e == null ? null : e.toString();
    }

    public String mode() {
        return string("mode");
    }

    /** The negotiated protocol exactly as @moq/net reports it ({@code Established.version}, e.g. "moq-lite-05"). */
    public String version() {
        return string("version");
    }

    /** "webtransport" or "websocket" ({@code Established.transport}). */
    public String transport() {
        return string("transport");
    }

    /** The npm @moq/net version the page was bundled with. */
    public String moqNetVersion() {
        return string("moqNetVersion");
    }

    /** {@code typeof WebTransport} in the page ("function", or "undefined" with hideWebTransport=1). */
    public String webTransport() {
        return string("webTransport");
    }

    public long frameCount() {
        return number("frameCount");
    }

    public long groupsWritten() {
        return number("groupsWritten");
    }

    public long framesWritten() {
        return number("framesWritten");
    }

    /** Frames read by a subscriber, sorted by (group, frame). */
    public List<Frame> frames() {
        List<Frame> out = new ArrayList<>();
        if (raw.get("frames") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    out.add(new Frame(num(m.get("group")), num(m.get("frame")), String.valueOf(m.get("payload")),
                            num(m.get("length")), Boolean.TRUE.equals(m.get("ok"))));
                }
            }
        }
        return out;
    }

    /** Milliseconds since page start for each step (connected, subscribed, firstFrame, ...). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> timings() {
        Object t = raw.get("timings");
        return t instanceof Map ? (Map<String, Object>) t : Map.of();
    }

    public Object get(String key) {
        return raw.get(key);
    }

    private String string(String key) {
        Object v = raw.get(key);
        return v == null ? null : v.toString();
    }

    private long number(String key) {
        return num(raw.get(key));
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : -1;
    }

    @Override
    public String toString() {
        return Json.abbreviate(Json.write(raw), 4000);
    }
}
