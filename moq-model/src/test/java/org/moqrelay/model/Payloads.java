package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes heap payloads {@code g<group>-f<frame>} and remembers every one it made, so a test can
 * check at the end that the model released them all (a reference count of 0), which is stricter
 * than waiting for the leak detector to notice a collected buffer.
 */
final class Payloads {
    private final List<ByteBuf> made = new ArrayList<>();

    static String text(long group, int frame) {
        return "g" + group + "-f" + frame;
    }

    /** A fresh payload; ownership passes to whoever it is appended to. */
    synchronized ByteBuf payload(long group, int frame) {
        ByteBuf b = Unpooled.wrappedBuffer(text(group, frame).getBytes(StandardCharsets.US_ASCII));
        made.add(b);
        return b;
    }

    /** Appends frames {@code 0..count-1} of {@code g}, with timestamp {@code 1000 * group + frame}. */
    void fill(Group g, int count) {
        for (int f = g.frameCount(); f < count; f++) {
            assertThat(g.append(1000 * g.sequence() + f, payload(g.sequence(), f))).isTrue();
        }
    }

    synchronized List<ByteBuf> made() {
        return List.copyOf(made);
    }

    synchronized void assertAllReleased() {
        assertThat(made).isNotEmpty().allSatisfy(b -> assertThat(b.refCnt()).as("refCnt of %s", b).isZero());
    }
}
