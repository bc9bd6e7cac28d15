package org.moqrelay.transport.qmux.unix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference's rule: AND across the populated lists, OR within one; empty lists allow anything. */
class PeerAllowlistTest {
    @Test
    void emptyAllowsEveryone() {
        assertThat(PeerAllowlist.ANYONE.isEmpty()).isTrue();
        assertThat(PeerAllowlist.ANYONE.permits(0, 0, 1)).isTrue();
        assertThat(PeerAllowlist.ANYONE.permits(4_294_967_294L, 5, 0)).isTrue();
        assertThat(PeerAllowlist.ANYONE).hasToString("anyone");
    }

    @Test
    void anyValueOfAListMatches() {
        PeerAllowlist a = new PeerAllowlist(List.of(1000L, 1001L), List.of(), List.of());
        assertThat(a.permits(1000, 7, 42)).isTrue();
        assertThat(a.permits(1001, 8, 43)).isTrue();
        assertThat(a.permits(1002, 7, 42)).isFalse();
    }

    @Test
    void everyPopulatedListMustMatch() {
        PeerAllowlist a = new PeerAllowlist(List.of(1000L), List.of(2000L), List.of(42));
        assertThat(a.permits(1000, 2000, 42)).isTrue();
        assertThat(a.permits(1000, 2000, 43)).isFalse();
        assertThat(a.permits(1000, 2001, 42)).isFalse();
        assertThat(a.permits(999, 2000, 42)).isFalse();
        assertThat(a).hasToString("uid 1000 and gid 2000 and pid 42");
    }

    @Test
    void aPidListRefusesPeersWhosePidIsUnknown() {
        assertThat(new PeerAllowlist(List.of(), List.of(), List.of(42)).permits(0, 0, 0)).isFalse();
    }

    @Test
    void idsBeyond32BitsAreRefused() {
        assertThatThrownBy(() -> new PeerAllowlist(List.of(1L << 32), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uid");
        assertThatThrownBy(() -> new PeerAllowlist(List.of(), List.of(-1L), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gid");
    }
}
