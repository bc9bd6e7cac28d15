package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupListenerTest {
    /** A listener that records its name when told, and says whether it only hands work off. */
    private record Named(String name, boolean handsOff, List<String> calls) implements Group.Listener {
        @Override
        public void onGroupChanged(Group group) {
            calls.add(name);
        }
    }

    @Test
    void listenersThatOnlyHandWorkToOtherThreadsAreToldFirst() {
        Group g = new Group(0, 0);
        List<String> calls = new ArrayList<>();
        g.addListener(new Named("works here", false, calls));
        g.addListener(new Named("hands off", true, calls));
        g.append(0, Unpooled.wrappedBuffer(new byte[1]));
        assertThat(calls).containsExactly("hands off", "works here");
        g.evict();
    }

    @Test
    void aSharedListenerIsRegisteredOnceUnderItsKeyAndRemovedOnlyByItself() {
        Group g = new Group(0, 0);
        List<String> calls = new ArrayList<>();
        Named first = g.sharedListener("loop-1", k -> new Named("loop-1", false, calls));
        Named again = g.sharedListener("loop-1", k -> new Named("another", false, calls));
        assertThat(again).isSameAs(first);
        assertThat(g.listenerCount()).isEqualTo(1);
        g.removeSharedListener("loop-1", new Named("a stale one", false, calls));
        assertThat(g.listenerCount()).as("another listener under the key removes nothing").isEqualTo(1);
        g.finish();
        assertThat(calls).containsExactly("loop-1");
        g.removeSharedListener("loop-1", first);
        assertThat(g.listenerCount()).isZero();
    }

    @Test
    void finishedAtReadsStateAndFrameCountTogether() {
        Group g = new Group(0, 0);
        g.append(0, Unpooled.wrappedBuffer(new byte[1]));
        g.append(0, Unpooled.wrappedBuffer(new byte[1]));
        assertThat(g.finishedAt(2)).as("open").isFalse();
        g.finish();
        assertThat(g.finishedAt(1)).as("a frame left to write").isFalse();
        assertThat(g.finishedAt(2)).isTrue();
        g.evict();
        // Evicted with frames unwritten: not "finished, and nothing left" (the count is now 0).
        assertThat(g.finishedAt(1)).isFalse();
        assertThat(g.state()).isEqualTo(Group.State.EVICTED);
    }
}
