package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.moqrelay.model.Origin;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;

class LiteSessionAuthorizationTest {
    /** The relay's session, authorized by {@code authorizer}, for a client on URL path /room (WebTransport, WebSocket), and the client's. */
    private static LiteSession[] relayAndClient(Harness h, Authorizer authorizer) {
        return h.on(() -> {
            MemoryTransport t = new MemoryTransport(h.loop, LiteVersion.LITE_05.alpn());
            t.server.requestPath = "/room";
            LiteSession relay = LiteSession.start(t.server, LiteVersion.LITE_05,
                    new SessionConfig(true, Harness.RELAY_ID, h.relayOrigin, h.relayOrigin, true, null, authorizer), "relay");
            LiteSession client = LiteSession.start(t.client, LiteVersion.LITE_05,
                    new SessionConfig(false, 7, new Origin(h.loop, 0), new Origin(h.loop, 0), false, null, null), "client");
            return new LiteSession[] {relay, client};
        });
    }

    @Test
    void aSetupArrivingWhileTheUrlIsStillBeingAuthorizedDoesNotAuthorizeTheSessionAgain() {
        try (Harness h = new Harness()) {
            List<Authorizer.Request> asked = new CopyOnWriteArrayList<>();
            CompletableFuture<Authorizer.Grant> answer = new CompletableFuture<>();
            Authorizer slow = request -> {
                asked.add(request);
                return answer; // e.g. an auth API still answering
            };
            LiteSession[] sessions = relayAndClient(h, slow);
            LiteSession relay = sessions[0];
            h.eventually(() -> assertThat(relay.peerSetup()).as("the client's SETUP reached the relay").isNotNull());

            answer.complete(Authorizer.Grant.all(Path.of("room")));
            assertThat(relay.ready()).succeedsWithin(Duration.ofSeconds(Harness.WAIT_SECONDS));
            assertThat(asked).extracting(Authorizer.Request::pathAndQuery).containsExactly("/room");
            assertThat(relay.isOpen()).isTrue();
            h.run(() -> {
                sessions[1].close(0, "test over");
                relay.close(0, "test over");
            });
        }
    }

    @Test
    void aGrantExpiringBeyondWhatMillisecondsHoldStillMakesTheSessionReady() {
        try (Harness h = new Harness()) {
            // A token's exp of 2^63 ms in seconds and more: a valid Instant, but not in milliseconds.
            Instant far = Instant.ofEpochSecond(31_556_889_864_403_199L);
            Authorizer.Grant everything = Authorizer.Grant.all(Path.of("room"));
            Authorizer farOff = request -> CompletableFuture.completedFuture(new Authorizer.Grant(everything.root(),
                    everything.publish(), everything.subscribe(), far, ""));
            LiteSession[] sessions = relayAndClient(h, farOff);
            assertThat(sessions[0].ready()).succeedsWithin(Duration.ofSeconds(Harness.WAIT_SECONDS));
            assertThat(sessions[0].isOpen()).isTrue();
            h.run(() -> {
                sessions[1].close(0, "test over");
                sessions[0].close(0, "test over");
            });
        }
    }
}
