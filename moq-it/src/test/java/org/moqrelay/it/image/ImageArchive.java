package org.moqrelay.it.image;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.moqrelay.it.browser.Json;

/**
 * An image saved as {@code docker save} writes it and {@code docker load} reads it: a tar with
 * {@code manifest.json}, the config JSON, and one tar (gzipped or not) per layer, lowest first.
 */
public final class ImageArchive {
    private final Map<String, Object> manifest;
    private final Map<String, Object> config;
    private final List<Layer> layers;

    /**
     * One layer: the member's bytes as stored, the SHA-256 of its uncompressed tar (the config's
     * diff_id), its entries, and the content of its files up to 64 KiB by normalized path.
     */
    public record Layer(String file, byte[] blob, String diffId, List<TarArchiveEntry> entries, Map<String, byte[]> smallFiles) {
        /** The layer's tar, uncompressed. */
        public TarArchiveInputStream open() throws IOException {
            InputStream raw = new ByteArrayInputStream(blob);
            return new TarArchiveInputStream(gzipped(blob) ? new GZIPInputStream(raw) : raw);
        }
    }

    private static boolean gzipped(byte[] data) {
        return data.length > 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
    }

    private ImageArchive(Map<String, Object> manifest, Map<String, Object> config, List<Layer> layers) {
        this.manifest = manifest;
        this.config = config;
        this.layers = layers;
    }

    /** Reads the whole archive; files up to 64 KiB inside layers are kept, for reading. */
    @SuppressWarnings("unchecked")
    public static ImageArchive read(Path tar) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tar)))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.isFile()) members.put(e.getName(), in.readAllBytes());
            }
        }
        List<Object> manifests = (List<Object>) Json.parse(text(members, "manifest.json"));
        if (manifests.size() != 1) throw new IOException("expected one image in " + tar + ", found " + manifests.size());
        Map<String, Object> manifest = (Map<String, Object>) manifests.get(0);
        Map<String, Object> config = Json.parseObject(text(members, (String) manifest.get("Config")));
        List<Layer> layers = new ArrayList<>();
        for (Object name : (List<Object>) manifest.get("Layers")) {
            layers.add(layer((String) name, member(members, (String) name)));
        }
        return new ImageArchive(manifest, config, layers);
    }

    private static Layer layer(String name, byte[] data) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<TarArchiveEntry> entries = new ArrayList<>();
        Map<String, byte[]> small = new LinkedHashMap<>();
        InputStream raw = new ByteArrayInputStream(data);
        try (DigestInputStream digest = new DigestInputStream(gzipped(data) ? new GZIPInputStream(raw) : raw, sha);
                TarArchiveInputStream in = new TarArchiveInputStream(digest)) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                entries.add(e);
                if (e.isFile() && e.getSize() <= 64 * 1024) small.put(normalize(e.getName()), in.readAllBytes());
            }
            digest.transferTo(java.io.OutputStream.nullOutputStream()); // the tar's end blocks count too
        }
        return new Layer(name, data, "sha256:" + HexFormat.of().formatHex(sha.digest()), entries, small);
    }

    /** "./etc/passwd", "etc/passwd" and "/etc/passwd" all become "/etc/passwd"; directories lose their "/". */
    public static String normalize(String name) {
        String n = name.startsWith("./") ? name.substring(1) : name;
        if (!n.startsWith("/")) n = "/" + n;
        return n.length() > 1 && n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    private static byte[] member(Map<String, byte[]> members, String name) throws IOException {
        byte[] b = members.get(name);
        if (b == null) throw new IOException("image archive has no member " + name + " (has " + members.keySet() + ")");
        return b;
    }

    private static String text(Map<String, byte[]> members, String name) throws IOException {
        return new String(member(members, name), StandardCharsets.UTF_8);
    }

    /** The entry of manifest.json (Config, RepoTags, Layers). */
    public Map<String, Object> manifest() {
        return manifest;
    }

    /** The image config's "config" object (Entrypoint, Cmd, Env, User, ExposedPorts, Labels). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> runConfig() {
        return (Map<String, Object>) config.get("config");
    }

    /** The whole image config JSON (architecture, os, rootfs, history). */
    public Map<String, Object> config() {
        return config;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** The last entry of a path across the layers (upper layers win), or null. */
    public TarArchiveEntry entry(String path) {
        TarArchiveEntry found = null;
        for (Layer l : layers) {
            for (TarArchiveEntry e : l.entries()) if (normalize(e.getName()).equals(path)) found = e;
        }
        return found;
    }

    /** A small file's content from the uppermost layer that has it, or null. */
    public String read(String path) {
        String found = null;
        for (Layer l : layers) {
            byte[] b = l.smallFiles().get(path);
            if (b != null) found = new String(b, StandardCharsets.UTF_8);
        }
        return found;
    }

    /** Every path in the image. */
    public List<String> paths() {
        List<String> all = new ArrayList<>();
        for (Layer l : layers) for (TarArchiveEntry e : l.entries()) all.add(normalize(e.getName()));
        return all;
    }
}
