package org.moqrelay.it.qmux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.moqrelay.transport.qmux.wire.QmuxCodec;
import org.moqrelay.transport.qmux.wire.QmuxException;
import org.moqrelay.transport.qmux.wire.QmuxFrame;
import org.moqrelay.transport.qmux.wire.QmuxParams;
import org.moqrelay.transport.qmux.wire.QmuxRecords;
import org.moqrelay.transport.qmux.wire.QmuxVersion;

/**
 * A hand-driven qmux-01 peer for feeding a relay arbitrary (including malformed) input, over a
 * WebSocket ({@link java.net.http.WebSocket}, one binary message per call) or a plain TCP socket
 * ({@link Socket}, one {@code Size | frames} record per call). It runs no session logic of its
 * own beyond remembering stream offsets: the test decides what to send, in which order, and then
 * observes what the relay sent back (its transport parameters, STREAM data per stream, the
 * CONNECTION_CLOSE frame) and how the transport ended (WebSocket close status, EOF, reset).
 * Every wait is bounded.
 */
public final class RawQmuxPeer implements AutoCloseable {
    /** Wire format used to decode what the relay sends and to encode what we send, unless {@link #webSocketLegacy}. */
    public static final QmuxVersion VERSION = QmuxVersion.QMUX_01;
    /** Most STREAM payload {@link #writeStream} puts in one message / record (below 16382 with headers). */
    public static final int CHUNK = 16_000;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * How the session ended.
     *
     * @param close the CONNECTION_CLOSE / APPLICATION_CLOSE frame the relay sent first, or null
     * @param how what the transport did: {@code websocket-close}, {@code websocket-error},
     *     {@code tcp-eof}, {@code tcp-error}, {@code local-abort}
     * @param webSocketStatus the WebSocket Close status the relay sent (1005 = none given), or -1
     * @param detail the Close reason or the exception message
     * @param endedAtNanos {@link System#nanoTime()} when the transport ended
     */
    public record End(QmuxFrame.ConnectionClose close, String how, int webSocketStatus, String detail, long endedAtNanos) {
        /** Milliseconds from {@code sinceNanos} to the end. */
        public long millisSince(long sinceNanos) {
            return TimeUnit.NANOSECONDS.toMillis(endedAtNanos - sinceNanos);
        }
    }

    private final String description;
    /** The framing of everything sent and received: qmux-01, or the legacy {@code webtransport} one. */
    private final QmuxVersion framing;
    private final Transport transport;
    private final CompletableFuture<QmuxParams> relayParams = new CompletableFuture<>();
    private final CompletableFuture<QmuxFrame.ConnectionClose> closeFrame = new CompletableFuture<>();
    private final CompletableFuture<End> end = new CompletableFuture<>();
    private final Map<Long, InStream> inbound = new HashMap<>();
    private final BlockingQueue<Long> relayBidi = new LinkedBlockingQueue<>();
    private final List<String> log = new ArrayList<>();
    private final Map<Long, Long> sendOffsets = new HashMap<>();
    private long nextBidi;
    private long nextUni;
    private String decodeProblem;
    private long pingRequests;
    private long pingResponses;
    private long pongs;
    private volatile boolean answerPings;
    /** Guards {@link #readingPaused}: while set, the socket transports read nothing. */
    private final Object readGate = new Object();
    private boolean readingPaused;

    private RawQmuxPeer(String description, Transport transport) {
        this(description, transport, VERSION);
    }

    private RawQmuxPeer(String description, Transport transport, QmuxVersion framing) {
        this.description = description;
        this.transport = transport;
        this.framing = framing;
    }

    // ---------------------------------------------------------------- connecting

    /** Upgrades {@code uri} (ws://host:port/path) offering exactly {@code subprotocol}; sends nothing yet. */
    public static RawQmuxPeer webSocket(URI uri, String subprotocol) throws Exception {
        return webSocket(HTTP, uri, subprotocol);
    }

    /** As {@link #webSocket(URI, String)} with {@code client}, e.g. one with TLS settings for {@code wss://}. */
    public static RawQmuxPeer webSocket(HttpClient client, URI uri, String subprotocol) throws Exception {
        WsTransport t = new WsTransport();
        RawQmuxPeer p = new RawQmuxPeer("websocket(" + subprotocol + ") " + uri, t);
        t.peer = p;
        t.ws = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).subprotocols(subprotocol)
                .buildAsync(uri, t).get(10, TimeUnit.SECONDS);
        if (!subprotocol.equals(t.ws.getSubprotocol())) {
            t.ws.abort();
            throw new IllegalStateException("relay chose subprotocol '" + t.ws.getSubprotocol() + "', offered " + subprotocol);
        }
        return p;
    }

    /**
     * Upgrades {@code uri} offering no subprotocol, which the relay answers with the legacy
     * {@code webtransport} framing (no parameters, no credits); frames go both ways in that framing.
     */
    public static RawQmuxPeer webSocketLegacy(URI uri) throws Exception {
        WsTransport t = new WsTransport();
        RawQmuxPeer p = new RawQmuxPeer("websocket(no subprotocol) " + uri, t, QmuxVersion.WEBTRANSPORT);
        t.peer = p;
        t.ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, t).get(10, TimeUnit.SECONDS);
        return p;
    }

    /**
     * Upgrades {@code path} on {@code address} with a minimal hand-written WebSocket client on a
     * plain socket, offering exactly {@code subprotocol}; sends nothing yet. Unlike
     * {@link #webSocket}, it can put arbitrary bytes on the wire ({@link #sendRawBytes}), e.g. the
     * header of a frame whose payload never comes.
     */
    public static RawQmuxPeer webSocketOverSocket(InetSocketAddress address, String path, String subprotocol) throws Exception {
        return webSocketOverSocket(address, path, subprotocol, 0);
    }

    /**
     * As {@link #webSocketOverSocket(InetSocketAddress, String, String)}, with a socket receive
     * buffer of {@code receiveBuffer} bytes (0: the system's): a small one keeps what the relay
     * can have in flight to us small while we read nothing ({@link #pauseReading}).
     */
    public static RawQmuxPeer webSocketOverSocket(InetSocketAddress address, String path, String subprotocol,
                                                  int receiveBuffer) throws Exception {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
        s.connect(address, 5_000);
        s.setSoTimeout(10_000);
        String key = java.util.Base64.getEncoder().encodeToString(new java.security.SecureRandom().generateSeed(16));
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Protocol: " + subprotocol + "\r\n\r\n";
        s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        // The response head, byte by byte so that nothing after it is consumed.
        StringBuilder head = new StringBuilder();
        InputStream in = s.getInputStream();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed during the upgrade: " + head);
            head.append((char) c);
        }
        String response = head.toString();
        if (!response.startsWith("HTTP/1.1 101") || !response.toLowerCase(java.util.Locale.ROOT)
                .contains("sec-websocket-protocol: " + subprotocol.toLowerCase(java.util.Locale.ROOT) + "\r\n")) {
            s.close();
            throw new IllegalStateException("upgrade refused: " + response);
        }
        s.setSoTimeout(0);
        SocketWsTransport t = new SocketWsTransport(s);
        RawQmuxPeer p = new RawQmuxPeer("websocket-over-socket(" + subprotocol + ") " + s.getLocalSocketAddress() + " -> " + address, t);
        t.peer = p;
        t.start();
        return p;
    }

    /** Connects a plain TCP socket to the relay's qmux listener; sends nothing yet. */
    public static RawQmuxPeer tcp(InetSocketAddress address) throws Exception {
        return tcp(address, 0);
    }

    /** As {@link #tcp(InetSocketAddress)}, with a socket receive buffer of {@code receiveBuffer} bytes (0: the system's). */
    public static RawQmuxPeer tcp(InetSocketAddress address, int receiveBuffer) throws Exception {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
        s.connect(address, 5_000);
        TcpTransport t = new TcpTransport(s);
        RawQmuxPeer p = new RawQmuxPeer("tcp " + s.getLocalSocketAddress() + " -> " + address, t);
        t.peer = p;
        t.start();
        return p;
    }

    /** Our local TCP port (as the relay logs it). */
    public int localPort() {
        return transport.localPort();
    }

    // ---------------------------------------------------------------- sending

    /** Sends {@code body} as one WebSocket binary message or one TCP record, whatever it holds. */
    public void sendMessage(byte[] body) throws Exception {
        note(">>> message of " + body.length + " bytes" + (body.length <= 32 ? ": " + ByteBufUtil.hexDump(body) : ""));
        transport.sendMessage(body);
    }

    /** WebSocket only: one binary message sent as several WebSocket frames (a first frame and continuations). */
    public void sendMessageInParts(byte[]... parts) throws Exception {
        WebSocket ws = ((WsTransport) transport).ws;
        long total = 0;
        for (byte[] p : parts) total += p.length;
        note(">>> message of " + total + " bytes in " + parts.length + " WebSocket frames");
        for (int i = 0; i < parts.length; i++) {
            ws.sendBinary(ByteBuffer.wrap(parts[i]), i == parts.length - 1).get(10, TimeUnit.SECONDS);
        }
    }

    /** Encodes {@code frames} (qmux-01) into one message / record and sends it; releases their payloads. */
    public void sendFrames(QmuxFrame... frames) throws Exception {
        ByteBuf out = Unpooled.buffer();
        try {
            for (QmuxFrame f : frames) {
                QmuxCodec.encode(out, f, framing);
            }
            sendMessage(ByteBufUtil.getBytes(out));
        } finally {
            out.release();
            for (QmuxFrame f : frames) f.release();
        }
    }

    /** Sends QX_TRANSPORT_PARAMETERS. */
    public void sendParams(QmuxParams params) throws Exception {
        sendFrames(new QmuxFrame.TransportParameters(params));
    }

    /** WebSocket only: a text message. */
    public void sendText(String text) throws Exception {
        note(">>> text message '" + text + "'");
        ((WsTransport) transport).ws.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    /** Plain sockets only (TCP, {@link #webSocketOverSocket}): bytes straight onto the socket, no framing. */
    public void sendRawBytes(byte[] bytes) throws Exception {
        note(">>> " + bytes.length + " raw bytes");
        ((SocketTransport) transport).write(bytes);
    }

    /** The id of the next client-initiated bidi stream (0, 4, 8, ...); nothing is sent. */
    public synchronized long openBidi() {
        return (nextBidi++) << 2;
    }

    /** The id of the next client-initiated uni stream (2, 6, 10, ...); nothing is sent. */
    public synchronized long openUni() {
        return ((nextUni++) << 2) | 2;
    }

    /**
     * Writes {@code data} on stream {@code id} at its running offset, in STREAM frames of at most
     * {@link #CHUNK} bytes, one per message / record; {@code fin} on the last one.
     */
    public void writeStream(long id, byte[] data, boolean fin) throws Exception {
        int pos = 0;
        do {
            int n = Math.min(CHUNK, data.length - pos);
            long offset;
            synchronized (this) {
                offset = sendOffsets.getOrDefault(id, 0L);
                sendOffsets.put(id, offset + n);
            }
            boolean last = pos + n == data.length;
            sendFrames(new QmuxFrame.Stream(id, offset, Unpooled.wrappedBuffer(data, pos, n), fin && last));
            pos += n;
        } while (pos < data.length);
    }

    /**
     * Ends the transport abruptly, with no CONNECTION_CLOSE: the WebSocket is aborted (TCP closed
     * without a Close frame), the TCP socket is reset (SO_LINGER 0).
     */
    public void abort() {
        note("--- abort");
        resumeReading();
        transport.abort();
        ended("local-abort", -1, "aborted by the test");
    }

    // ---------------------------------------------------------------- what the relay sent

    /** The relay's QX_TRANSPORT_PARAMETERS. */
    public QmuxParams awaitRelayParams(Duration timeout) throws Exception {
        try {
            return relayParams.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no QX_TRANSPORT_PARAMETERS from the relay within " + timeout + diagnostics());
        }
    }

    /** Completes with the relay's CONNECTION_CLOSE / APPLICATION_CLOSE frame. */
    public CompletableFuture<QmuxFrame.ConnectionClose> closeFrame() {
        return closeFrame;
    }

    /** Completes when the transport is gone. */
    public CompletableFuture<End> end() {
        return end;
    }

    /** Waits (bounded) for the transport to end; fails with the peer's log otherwise. */
    public End awaitEnd(Duration timeout) throws Exception {
        try {
            return end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("session still open after " + timeout.toMillis() + " ms" + diagnostics());
        }
    }

    /** Plain sockets only (TCP, {@link #webSocketOverSocket}): stops reading the socket, as a peer that never reads. */
    public void pauseReading() {
        note("--- reading paused");
        synchronized (readGate) {
            readingPaused = true;
        }
    }

    /** Reads the socket again. */
    public void resumeReading() {
        note("--- reading resumed");
        synchronized (readGate) {
            readingPaused = false;
            readGate.notifyAll();
        }
    }

    /** Blocks the reading thread while reading is paused. */
    void awaitReading() throws InterruptedException {
        synchronized (readGate) {
            while (readingPaused) readGate.wait();
        }
    }

    synchronized void onPong() {
        if (pongs++ < 10) note("<<< WebSocket Pong");
    }

    /** How many QX_PING responses the relay sent. */
    public synchronized long pingResponses() {
        return pingResponses;
    }

    /** How many WebSocket Pong frames the relay sent ({@link #webSocketOverSocket} only). */
    public synchronized long pongs() {
        return pongs;
    }

    /** From now on, every QX_PING request of the relay gets its response (off by default). */
    public void answerPings(boolean on) {
        answerPings = on;
    }

    /** How many QX_PING requests the relay sent. */
    public synchronized long pingRequests() {
        return pingRequests;
    }

    /** Waits (bounded) until the relay has sent {@code n} QX_PING requests; fails with the peer's log otherwise. */
    public synchronized void awaitPingRequests(long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pingRequests < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || end.isDone()) {
                throw new AssertionError(pingRequests + " of " + n + " QX_PING requests within " + timeout + diagnostics());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** The next bidi stream the relay opened (server ids 1, 5, 9, ...), in order. */
    public long acceptBidi(Duration timeout) throws Exception {
        Long id = relayBidi.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (id == null) throw new AssertionError("the relay opened no bidi stream within " + timeout + diagnostics());
        return id;
    }

    /** What the relay sent (and will send) on stream {@code id}. */
    public synchronized InStream stream(long id) {
        return inbound.computeIfAbsent(id, InStream::new);
    }

    /** A problem decoding what the relay sent (null when all was well). */
    public synchronized String decodeProblem() {
        return decodeProblem;
    }

    /** The last lines of this peer's log, for assertion messages. */
    public synchronized String diagnostics() {
        StringBuilder sb = new StringBuilder("\n--- raw qmux peer ").append(description).append('\n');
        for (String l : log.subList(Math.max(0, log.size() - 30), log.size())) sb.append("  ").append(l).append('\n');
        return sb.toString();
    }

    @Override
    public String toString() {
        return description;
    }

    @Override
    public void close() {
        resumeReading();
        transport.abort();
        ended("local-abort", -1, "closed by the test");
    }

    // ---------------------------------------------------------------- inbound plumbing

    private synchronized void note(String line) {
        log.add(line);
    }

    /** One WebSocket message or TCP record body from the relay. */
    void onMessage(byte[] body) {
        ByteBuf buf = Unpooled.wrappedBuffer(body);
        List<QmuxFrame> frames;
        try {
            frames = QmuxCodec.decodeMessage(buf, framing);
        } catch (QmuxException e) {
            synchronized (this) {
                decodeProblem = e.toString() + " in " + ByteBufUtil.hexDump(body, 0, Math.min(64, body.length));
            }
            note("<<< undecodable: " + decodeProblem);
            return;
        }
        for (QmuxFrame f : frames) {
            try {
                onFrame(f);
            } finally {
                f.release();
            }
        }
    }

    private void onFrame(QmuxFrame f) {
        switch (f) {
            case QmuxFrame.Stream s -> {
                note("<<< STREAM " + s.streamId() + " off " + s.offset() + " len " + s.data().readableBytes() + (s.fin() ? " FIN" : ""));
                boolean fresh;
                InStream in;
                synchronized (this) {
                    fresh = !inbound.containsKey(s.streamId());
                    in = stream(s.streamId());
                }
                in.onData(ByteBufUtil.getBytes(s.data()), s.fin());
                if ((s.streamId() & 3) == 1 && fresh) relayBidi.add(s.streamId());
            }
            case QmuxFrame.ResetStream r -> {
                note("<<< " + r);
                stream(r.streamId()).onReset(r.code());
            }
            case QmuxFrame.TransportParameters t -> {
                note("<<< " + t);
                relayParams.complete(t.params());
            }
            case QmuxFrame.ConnectionClose c -> {
                note("<<< " + c);
                closeFrame.complete(c);
            }
            case QmuxFrame.Ping p when !p.response() -> {
                synchronized (this) {
                    if (pingRequests++ < 10) note("<<< " + p);
                    notifyAll();
                }
                if (answerPings) answer(p);
            }
            case QmuxFrame.Ping p -> {
                synchronized (this) {
                    if (pingResponses++ < 10) note("<<< " + p);
                }
            }
            default -> note("<<< " + f);
        }
    }

    private void answer(QmuxFrame.Ping request) {
        try {
            sendFrames(new QmuxFrame.Ping(true, request.sequence()));
        } catch (Exception e) {
            note("--- could not answer " + request + ": " + e);
        }
    }

    void ended(String how, int status, String detail) {
        long at = System.nanoTime();
        if (end.isDone()) return;
        note("--- transport ended: " + how + " " + status + " " + detail);
        end.complete(new End(closeFrame.getNow(null), how, status, detail, at));
        synchronized (this) {
            notifyAll(); // a wait for pings ends with the transport
        }
    }

    /** The relay's bytes on one stream, accumulated; RESET_STREAM and FIN as futures. */
    public static final class InStream {
        private final long id;
        private final ByteBuf received = Unpooled.buffer();
        private final CompletableFuture<Long> reset = new CompletableFuture<>();
        private final CompletableFuture<Void> fin = new CompletableFuture<>();

        InStream(long id) {
            this.id = id;
        }

        public long id() {
            return id;
        }

        synchronized void onData(byte[] data, boolean finished) {
            received.writeBytes(data);
            if (finished) fin.complete(null);
            notifyAll();
        }

        synchronized void onReset(long code) {
            reset.complete(code);
            notifyAll();
        }

        /** Completes with the relay's RESET_STREAM code. */
        public CompletableFuture<Long> resetCode() {
            return reset;
        }

        /**
         * Applies {@code decoder} to the bytes not yet consumed until it returns non-null (it must
         * consume nothing when it returns null); fails after {@code timeout}, or when the stream
         * ended first.
         */
        public synchronized <T> T await(Duration timeout, String what, Function<ByteBuf, T> decoder) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                int mark = received.readerIndex();
                T v = decoder.apply(received);
                if (v != null) {
                    received.discardReadBytes();
                    return v;
                }
                received.readerIndex(mark);
                if (reset.isDone()) throw new IllegalStateException(what + ": stream " + id + " reset with code " + reset.getNow(null));
                if (fin.isDone()) throw new IllegalStateException(what + ": stream " + id + " finished first");
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no " + what + " on stream " + id + " within " + timeout + " (have "
                            + ByteBufUtil.hexDump(received) + ")");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    // ---------------------------------------------------------------- transports

    private interface Transport {
        void sendMessage(byte[] body) throws Exception;

        void abort();

        int localPort();
    }

    /** java.net.http WebSocket: binary messages are reassembled from their parts. */
    private static final class WsTransport implements Transport, WebSocket.Listener {
        RawQmuxPeer peer;
        WebSocket ws;
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

        @Override
        public void sendMessage(byte[] body) throws Exception {
            ws.sendBinary(ByteBuffer.wrap(body), true).get(10, TimeUnit.SECONDS);
        }

        @Override
        public void abort() {
            if (ws != null) ws.abort();
        }

        @Override
        public int localPort() {
            return -1; // java.net.http does not expose it
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            byte[] whole = null;
            synchronized (partial) {
                partial.writeBytes(b);
                if (last) {
                    whole = partial.toByteArray();
                    partial.reset();
                }
            }
            if (whole != null) peer.onMessage(whole);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            peer.note("<<< text message '" + data + "'");
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            peer.ended("websocket-close", statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            peer.ended("websocket-error", -1, String.valueOf(error));
        }
    }

    /** A transport on a plain socket. */
    private interface SocketTransport extends Transport {
        void write(byte[] bytes) throws IOException;
    }

    /**
     * RFC 6455 by hand on a plain socket: masked binary frames out; binary (and continuation)
     * frames in, reassembled into messages; a Close frame ends the session (status 1005 when it
     * carries none).
     */
    private static final class SocketWsTransport implements SocketTransport {
        RawQmuxPeer peer;
        private final Socket socket;
        private final OutputStream out;
        private final java.security.SecureRandom random = new java.security.SecureRandom();

        SocketWsTransport(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void start() {
            Thread.ofPlatform().daemon().name("raw-qmux-ws-" + socket.getLocalPort()).start(this::readLoop);
        }

        private void readLoop() {
            java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
            try {
                java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
                while (true) {
                    peer.awaitReading();
                    int b0 = in.read();
                    if (b0 < 0) break;
                    int b1 = in.readUnsignedByte();
                    long len = b1 & 0x7f;
                    if (len == 126) len = in.readUnsignedShort();
                    else if (len == 127) len = in.readLong();
                    byte[] mask = null;
                    if ((b1 & 0x80) != 0) {
                        mask = new byte[4];
                        in.readFully(mask);
                    }
                    byte[] payload = new byte[(int) len];
                    in.readFully(payload);
                    if (mask != null) for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
                    int opcode = b0 & 0x0f;
                    boolean fin = (b0 & 0x80) != 0;
                    switch (opcode) {
                        case 0x0, 0x2 -> {
                            message.writeBytes(payload);
                            if (fin) {
                                peer.onMessage(message.toByteArray());
                                message.reset();
                            }
                        }
                        case 0x1 -> peer.note("<<< text frame");
                        case 0x8 -> {
                            int status = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                            String reason = payload.length > 2
                                    ? new String(payload, 2, payload.length - 2, java.nio.charset.StandardCharsets.UTF_8) : "";
                            peer.ended("websocket-close", status, reason);
                        }
                        case 0xa -> peer.onPong();
                        default -> peer.note("<<< control frame 0x" + Integer.toHexString(opcode));
                    }
                }
                peer.ended("tcp-eof", -1, "no WebSocket Close frame");
            } catch (IOException e) {
                peer.ended("websocket-error", -1, e.toString());
            } catch (InterruptedException e) {
                peer.ended("websocket-error", -1, e.toString());
            }
        }

        @Override
        public synchronized void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        @Override
        public void sendMessage(byte[] body) throws IOException {
            java.io.ByteArrayOutputStream f = new java.io.ByteArrayOutputStream(body.length + 14);
            f.write(0x82); // FIN, binary
            if (body.length < 126) {
                f.write(0x80 | body.length);
            } else if (body.length < 65536) {
                f.write(0x80 | 126);
                f.write(body.length >>> 8);
                f.write(body.length);
            } else {
                f.write(0x80 | 127);
                for (int i = 7; i >= 0; i--) f.write((int) ((long) body.length >>> (8 * i)));
            }
            byte[] mask = new byte[4];
            random.nextBytes(mask);
            f.writeBytes(mask);
            for (int i = 0; i < body.length; i++) f.write(body[i] ^ mask[i & 3]);
            write(f.toByteArray());
        }

        @Override
        public void abort() {
            try {
                if (!socket.isClosed()) {
                    socket.setSoLinger(true, 0);
                    socket.close();
                }
            } catch (IOException e) {
                // already gone
            }
        }

        @Override
        public int localPort() {
            return socket.getLocalPort();
        }
    }

    /** A plain socket carrying {@code Size (i) | frames} records both ways. */
    private static final class TcpTransport implements SocketTransport {
        RawQmuxPeer peer;
        private final Socket socket;
        private final OutputStream out;

        TcpTransport(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void start() {
            Thread.ofPlatform().daemon().name("raw-qmux-tcp-" + socket.getLocalPort()).start(this::readLoop);
        }

        private void readLoop() {
            ByteBuf cum = Unpooled.buffer();
            byte[] chunk = new byte[64 * 1024];
            try {
                InputStream in = socket.getInputStream();
                while (true) {
                    peer.awaitReading();
                    int n = in.read(chunk);
                    if (n < 0) break;
                    cum.writeBytes(chunk, 0, n);
                    ByteBuf record;
                    while ((record = QmuxRecords.tryReadRecord(cum, Integer.MAX_VALUE)) != null) {
                        try {
                            peer.onMessage(ByteBufUtil.getBytes(record));
                        } finally {
                            record.release();
                        }
                    }
                    cum.discardReadBytes();
                }
                peer.ended("tcp-eof", -1, cum.readableBytes() + " bytes of an unfinished record left");
            } catch (IOException | InterruptedException e) {
                peer.ended("tcp-error", -1, e.toString());
            } finally {
                cum.release();
            }
        }

        @Override
        public synchronized void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        @Override
        public void sendMessage(byte[] body) throws IOException {
            ByteBuf rec = Unpooled.buffer(body.length + 8);
            try {
                QmuxRecords.writeRecord(rec, Unpooled.wrappedBuffer(body));
                write(ByteBufUtil.getBytes(rec));
            } finally {
                rec.release();
            }
        }

        @Override
        public void abort() {
            try {
                if (!socket.isClosed()) {
                    socket.setSoLinger(true, 0); // close() sends RST
                    socket.close();
                }
            } catch (IOException e) {
                // already gone
            }
        }

        @Override
        public int localPort() {
            return socket.getLocalPort();
        }
    }
}
