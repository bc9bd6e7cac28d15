package org.moqrelay.it.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Unpacks an image's layers into a directory, lowest first, as a container runtime stacks them. */
public final class RootFilesystem {
    private RootFilesystem() {}

    /** Unpacks every layer of {@code image} into the empty directory {@code root}. */
    public static void unpack(ImageArchive image, Path root) throws IOException {
        List<Runnable> directoryModes = new ArrayList<>();
        for (ImageArchive.Layer layer : image.layers()) {
            try (TarArchiveInputStream in = layer.open()) {
                for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                    String name = ImageArchive.normalize(e.getName());
                    if (name.contains("/../") || name.endsWith("/..")) throw new IOException("path escapes the root: " + name);
                    if (name.substring(name.lastIndexOf('/') + 1).startsWith(".wh.")) {
                        throw new IOException("whiteout entries are not handled here: " + name + " in " + layer.file());
                    }
                    Path target = root.resolve(name.substring(1));
                    Set<PosixFilePermission> mode = permissions(e.getMode());
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                        directoryModes.add(() -> setPermissions(target, mode)); // last: a read-only one must be filled first
                    } else if (e.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                    } else if (e.isLink()) {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createLink(target, root.resolve(ImageArchive.normalize(e.getLinkName()).substring(1)));
                    } else if (e.isFile()) {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                        setPermissions(target, mode);
                    } else {
                        throw new IOException("unexpected tar entry type in " + layer.file() + ": " + name);
                    }
                }
            }
        }
        directoryModes.forEach(Runnable::run);
    }

    /** The rwx bits of a tar mode (setuid, setgid and sticky have no NIO equivalent). */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, high bit first
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) p.add(bits[i]);
        }
        return p;
    }

    private static void setPermissions(Path p, Set<PosixFilePermission> mode) {
        try {
            if (!Files.isSymbolicLink(p)) Files.setPosixFilePermissions(p, mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
