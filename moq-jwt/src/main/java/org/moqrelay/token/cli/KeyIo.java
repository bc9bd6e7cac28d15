package org.moqrelay.token.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.moqrelay.token.Key;
import org.moqrelay.token.TokenException;

/** Key and token files for the commands; {@code -} is stdin or stdout. */
final class KeyIo {
    private KeyIo() {
    }

    static boolean isDash(Path path) {
        return path != null && path.toString().equals("-");
    }

    static void writeKey(Key key, Path path, PrintWriter out) {
        if (isDash(path)) {
            out.println(key.encode());
            out.flush();
            return;
        }
        try {
            key.write(path);
        } catch (TokenException e) {
            throw new CliFailure("failed to write key to " + path, cause(e));
        }
    }

    static Key readKey(Path path, InputStream stdin) {
        if (isDash(path)) {
            try {
                return Key.parse(readAll(stdin));
            } catch (TokenException e) {
                throw new CliFailure("failed to parse key from stdin", e);
            }
        }
        try {
            return Key.read(path);
        } catch (TokenException e) {
            throw new CliFailure("failed to read key from " + path, cause(e));
        }
    }

    static String readToken(Path path, InputStream stdin) {
        if (isDash(path)) return readAll(stdin).strip();
        try {
            return Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new CliFailure("failed to read token from " + path, new CliFailure(describe(e)));
        }
    }

    /** The underlying I/O problem in plain words, or the token error itself. */
    private static Throwable cause(TokenException e) {
        return e.getCause() instanceof IOException io ? new CliFailure(describe(io)) : e;
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) return "No such file or directory";
        if (e instanceof AccessDeniedException) return "Permission denied";
        if (e instanceof FileSystemException fs && fs.getReason() != null) return fs.getReason();
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliFailure("failed to read stdin", e);
        }
    }
}
