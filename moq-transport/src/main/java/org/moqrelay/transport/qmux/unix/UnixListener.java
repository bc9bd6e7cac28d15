package org.moqrelay.transport.qmux.unix;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.PeerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.moqrelay.transport.MoqAcceptor;
import org.moqrelay.transport.qmux.tcp.StreamSessions;
import org.moqrelay.transport.qmux.tcp.TcpLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The qmux-01 listener on a Unix domain socket ({@code --server-unix-bind}), for local workers:
 * the same records and in-band ALPN as the plain TCP listener, plus the peer's kernel credentials
 * checked against a {@link PeerAllowlist} before anything is read from it.
 *
 * <p>The socket file follows the reference ({@code rs/moq-native/src/unix.rs}): a socket file left
 * at the path by an earlier run is replaced, any other file is refused; the file is made
 * world-writable (0666) because the allowlist is the gate, and removed when the listener closes.
 */
public final class UnixListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UnixListener.class);
    /** The file type bits of {@code unix:mode}, and those of a socket (S_IFMT, S_IFSOCK). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Channel channel;
    private final Path path;

    private UnixListener(Channel channel, Path path) {
        this.channel = channel;
        this.path = path;
    }

    /**
     * Binds {@code path} on {@code group}, which must be an epoll group.
     *
     * @param serverHandler sees the listening socket's events (e.g. accept failures), or null
     * @param handshakeTimeout how long a client has to send its transport parameters
     * @throws UncheckedIOException when the path is taken by another kind of file or cannot be bound
     */
    public static UnixListener bind(Path path, EventLoopGroup group, List<String> alpns, MoqAcceptor acceptor,
                                    PeerAllowlist allow, ChannelHandler serverHandler, Duration handshakeTimeout) {
        DomainSockets.requireEpoll(group);
        Path file = path.toAbsolutePath();
        removeStaleSocket(file);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(EpollServerDomainSocketChannel.class)
                .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
                    @Override
                    protected void initChannel(EpollDomainSocketChannel ch) {
                        admit(ch, file, alpns, acceptor, allow, handshakeTimeout);
                    }
                });
        if (serverHandler != null) b.handler(serverHandler);
        ChannelFuture bound = b.bind(new DomainSocketAddress(file.toString())).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new UncheckedIOException(new IOException("cannot listen on the Unix socket " + file + ": "
                    + bound.cause().getMessage(), bound.cause()));
        }
        UnixListener listener = new UnixListener(bound.channel(), file);
        try {
            // Anyone may connect; the allowlist decides who stays (the reference's 0666 too).
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            listener.close();
            throw new UncheckedIOException("cannot set the permissions of " + file + ": " + e.getMessage(), e);
        }
        log.info("Unix socket (qmux) listening on {}; peers allowed: {}", file, allow);
        return listener;
    }

    /** A socket file from an earlier run makes bind fail; anything else at the path is not ours to delete. */
    private static void removeStaleSocket(Path file) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect " + file + ": " + e.getMessage(), e);
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            String problem = "refusing to replace " + file + ": it exists and is not a socket";
            throw new UncheckedIOException(problem, new IOException(problem));
        }
        try {
            Files.delete(file);
            log.info("removed the stale socket file {}", file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stale socket file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Starts a session for a peer the allowlist permits; closes the socket of any other. */
    private static void admit(EpollDomainSocketChannel ch, Path file, List<String> alpns, MoqAcceptor acceptor,
                              PeerAllowlist allow, Duration handshakeTimeout) {
        PeerCredentials cred;
        try {
            cred = ch.peerCredentials();
        } catch (IOException e) {
            log.warn("unix socket {}: cannot read the peer's credentials, closing: {}", file, e.getMessage());
            ch.close();
            return;
        }
        long uid = Integer.toUnsignedLong(cred.uid());
        long gid = cred.gids().length > 0 ? Integer.toUnsignedLong(cred.gids()[0]) : -1;
        String peer = "pid " + cred.pid() + " uid " + uid + " gid " + gid;
        if (!allow.permits(uid, gid, cred.pid())) {
            log.warn("unix socket {}: refused peer {}: not on the allowlist ({})", file, peer, allow);
            ch.close();
            return;
        }
        StreamSessions.serve(ch, new TcpLink(ch, "unix", "unix " + file + " (" + peer + ")"), alpns, acceptor,
                handshakeTimeout);
    }

    /** The socket file. */
    public Path path() {
        return path;
    }

    /** Stops listening; Netty removes the socket file. Open sessions stay. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5_000);
    }
}
