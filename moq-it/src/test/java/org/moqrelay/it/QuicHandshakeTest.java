package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;

/**
 * The relay answers a client's first Initial with its handshake, not with a Retry: no extra round
 * trip, and no forgeable address token (quiche's anti-amplification limit guards the unproven
 * address instead), as the reference's quinn server does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QuicHandshakeTest {
    /** QUIC v1 long-header packet types (RFC 9000 §17.2): the first byte's bits 4-5. */
    private static final int INITIAL = 0x0;
    private static final int RETRY = 0x3;

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(() -> Relays.startQuicOnly(c -> c)).withClients(1, "it-handshake");

    @Test
    void aClientsFirstInitialIsAnsweredWithTheHandshakeNotARetry() throws Exception {
        try (UdpForwarder nat = UdpForwarder.open(relay.clients().next(), relay.server().quicAddress())) {
            URI url = URI.create("moqt://127.0.0.1:" + nat.address().getPort() + "/anon");
            try (MoqClient client = MoqClient.connect(relay.clients(), url, ClientOptions.pinned(relay.server().certificateSha256()))
                    .get(10, TimeUnit.SECONDS)) {
                assertThat(client.session().isOpen()).isTrue();
            }
            List<Integer> first = nat.firstBytesFromTarget();
            assertThat(first).as("datagrams from the relay").isNotEmpty();
            assertThat(first.get(0) & 0x80).as("first datagram: a long header").isEqualTo(0x80);
            assertThat((first.get(0) >> 4) & 0x3).as("first datagram: an Initial").isEqualTo(INITIAL);
            assertThat(first).as("no Retry among the relay's first datagrams")
                    .noneMatch(b -> (b & 0x80) != 0 && ((b >> 4) & 0x3) == RETRY);
        }
    }
}
