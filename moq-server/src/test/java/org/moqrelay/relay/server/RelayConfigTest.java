package org.moqrelay.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.moqrelay.transport.quic.QuicTransportConfig;

/** The builder, {@code toBuilder()} and the {@code withX} copies carry every component and validate as the constructor does. */
class RelayConfigTest {
    private static InetSocketAddress local(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    private static RelayConfig everythingSet() {
        return new RelayConfig(local(1), Path.of("cert.pem"), Path.of("key.pem"), List.of("a.example"), local(2),
                AuthConfig.publicOnly(List.of("anon")), 7, 42, local(3), Path.of("root.pem"), local(4),
                new CacheConfig(1_000, 2_000), new WebHttpsConfig(local(5), null, null),
                new QuicTransportConfig(Duration.ofSeconds(3), 5, 6, 7, false, QuicTransportConfig.DEFAULT.congestionControl(), true),
                "edge", new UnixSocketConfig(Path.of("relay.sock"), null), 3,
                new TimeoutConfig(Duration.ofSeconds(4), Duration.ofSeconds(5)));
    }

    @Test
    void toBuilderRebuildsAnEqualConfig() {
        RelayConfig c = everythingSet();
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void withCopiesChangeOnlyTheirComponent() {
        RelayConfig c = everythingSet();
        RelayConfig changed = c.withTcpBind(null).withQuicThreads(0).withClusterTier(null);
        assertThat(changed.tcpBind()).isNull();
        assertThat(changed.quicThreads()).isZero();
        assertThat(changed.clusterTier()).isNull();
        assertThat(changed.withTcpBind(c.tcpBind()).withQuicThreads(c.quicThreads()).withClusterTier(c.clusterTier()))
                .isEqualTo(c);
    }

    @Test
    void developmentMatchesTheShortConstructor() {
        RelayConfig dev = RelayConfig.development(local(1), local(2));
        assertThat(dev).isEqualTo(new RelayConfig(local(1), null, null, List.of("localhost", "127.0.0.1", "::1"), local(2),
                AuthConfig.publicOnly(List.of("")), RelayConfig.DEFAULT_LINGER_MILLIS, 0, null, null));
    }

    @Test
    void builderDefaultsAndValidatesInBuild() {
        RelayConfig c = RelayConfig.builder(local(1)).tlsGenerate(List.of("localhost")).build();
        assertThat(c.lingerMillis()).isEqualTo(RelayConfig.DEFAULT_LINGER_MILLIS);
        assertThat(c.auth()).isEqualTo(AuthConfig.NONE);
        assertThat(c.cache()).isEqualTo(CacheConfig.UNLIMITED);
        assertThat(c.quic()).isEqualTo(QuicTransportConfig.DEFAULT);

        assertThatThrownBy(() -> RelayConfig.builder(local(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no TLS certificate");
        assertThatThrownBy(() -> c.withQuicThreads(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quic threads: -1");
        assertThatThrownBy(() -> RelayConfig.builder(null).tlsGenerate(List.of("localhost")).build())
                .isInstanceOf(NullPointerException.class).hasMessage("serverBind");
    }
}
