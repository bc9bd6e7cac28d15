package org.moqrelay.it;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.moqrelay.it.node.RelayLog;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.transport.quic.EventLoops;

/**
 * The relay a test class runs against, started before its tests and closed after them, with
 * (optionally) the event loops its Java clients run on and a capture of the relay's log:
 * {@code @RegisterExtension static final RelayExtension relay = RelayExtension.of(Relays::startDev).withClients(2, "it-x");}.
 * A class's own {@code @BeforeAll} runs after the relay started, its {@code @AfterAll} before it closes.
 */
final class RelayExtension implements BeforeAllCallback, AfterAllCallback {
    /** Starts the relay; it may first abort the class with an assumption (no browser, no Node). */
    @FunctionalInterface
    interface Starter {
        RelayServer start() throws Exception;
    }

    private final Starter starter;
    private final int clientThreads;
    private final String clientsName;
    private final boolean captureLog;
    private RelayServer server;
    private EventLoopGroup clients;
    private RelayLog log;

    private RelayExtension(Starter starter, int clientThreads, String clientsName, boolean captureLog) {
        this.starter = starter;
        this.clientThreads = clientThreads;
        this.clientsName = clientsName;
        this.captureLog = captureLog;
    }

    /** A relay from {@code starter}, without client loops or log capture. */
    static RelayExtension of(Starter starter) {
        return new RelayExtension(starter, 0, null, false);
    }

    /** Also a group of {@code threads} event loops (threads named {@code name}) for the Java clients. */
    RelayExtension withClients(int threads, String name) {
        return new RelayExtension(starter, threads, name, captureLog);
    }

    /** Also captures the relay's log ({@link RelayLog}) from before the relay starts. */
    RelayExtension withLog() {
        return new RelayExtension(starter, clientThreads, clientsName, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (captureLog) log = RelayLog.capture();
        server = starter.start();
        if (clientsName != null) clients = EventLoops.newGroup(clientThreads, clientsName);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) server.close();
        if (clients != null) clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        if (log != null) log.close();
    }

    RelayServer server() {
        return started(server, "relay");
    }

    EventLoopGroup clients() {
        return started(clients, "client loops (withClients)");
    }

    RelayLog log() {
        return started(log, "relay log (withLog)");
    }

    private static <T> T started(T part, String what) {
        if (part == null) throw new IllegalStateException(what + " not started");
        return part;
    }
}
