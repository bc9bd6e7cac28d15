package org.moqrelay.token;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Key IDs ({@code kid}): 1 to 128 ASCII letters, digits, {@code -} or {@code _}, so one is always safe as
 * a file name or URL segment (moq {@code rs/moq-token/src/key_id.rs}).
 */
public final class KeyIds {
    /** Longest accepted key ID. */
    public static final int MAX_LENGTH = 128;

    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyIds() {
    }

    /** True when {@code kid} is a valid key ID. */
    public static boolean isValid(String kid) {
        return kid != null && problem(kid) == null;
    }

    /** Returns {@code kid} when valid; throws {@link TokenException.Reason#INVALID_KEY_ID} otherwise. */
    public static String validate(String kid) {
        String problem = kid == null ? "key ID must not be empty" : problem(kid);
        if (problem != null) throw new TokenException(TokenException.Reason.INVALID_KEY_ID, problem);
        return kid;
    }

    /** 16 random lowercase hex characters, as the reference CLI assigns. */
    public static String random() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String problem(String kid) {
        if (kid.isEmpty()) return "key ID must not be empty";
        if (kid.length() > MAX_LENGTH) return "key ID exceeds maximum length of 128 characters";
        for (int i = 0; i < kid.length(); i++) {
            char c = kid.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) return "key ID contains invalid characters (only alphanumeric, hyphens, underscores allowed)";
        }
        return null;
    }
}
