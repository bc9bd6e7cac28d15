package org.moqrelay.token;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Writes key files without letting other users read a secret (moq {@code rs/moq-token/src/fs.rs}). */
final class KeyFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private KeyFiles() {
    }

    static void write(Path file, String contents, boolean secret) throws IOException {
        byte[] bytes = contents.getBytes(StandardCharsets.UTF_8);
        if (!secret) {
            Files.write(file, bytes);
            return;
        }
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                && file.getFileSystem().supportedFileAttributeViews().contains("posix");
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        if (!posix) {
            Files.write(file, bytes);
            return;
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
            // The attribute above applies only when the file is created, and under the umask; set the
            // bits explicitly so an existing world-readable file is tightened before the secret lands in it.
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) ch.write(buf);
        }
    }
}
