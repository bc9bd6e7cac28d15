package org.moqrelay.transport.webtransport.h3;

import java.util.ArrayList;
import java.util.List;

/**
 * The slice of RFC 8941 Structured Field Values that WebTransport subprotocol negotiation uses:
 * {@code wt-available-protocols} (an sf-List) and {@code wt-protocol} (an sf-String).
 */
public final class StructuredFields {
    private StructuredFields() {}

    /**
     * Parses an sf-List whose members are sf-Strings or sf-Tokens, returning their values in
     * order. Both are accepted because the WebTransport draft treats them alike and older quiche
     * sent Tokens. Parameters are validated and dropped; spaces and tabs around commas and at the
     * ends are tolerated. An empty (or blank) field is the empty list.
     *
     * @throws IllegalArgumentException if the field is not a valid sf-List, or a member is an inner
     *     list or an item of another type
     */
    public static List<String> parseList(String field) {
        return new Parser(field).list();
    }

    /**
     * Serializes {@code value} as an sf-String: quoted, with {@code \} and {@code "} escaped.
     *
     * @throws IllegalArgumentException if a char is outside printable ASCII (0x20..0x7E), which
     *     sf-Strings cannot carry
     */
    public static String serializeString(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("sf-String cannot contain char 0x" + Integer.toHexString(c));
            }
            if (c == '\\' || c == '"') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** Recursive-descent parser following the algorithms of RFC 8941 §4.2. */
    private static final class Parser {
        private final String s;
        private final int end;
        private int pos;

        Parser(String field) {
            s = field;
            int e = field.length();
            while (e > 0 && isOws(field.charAt(e - 1))) e--;
            end = e;
        }

        List<String> list() {
            List<String> members = new ArrayList<>();
            skipOws();
            while (pos < end) {
                if (s.charAt(pos) == '(') {
                    throw fail("inner lists are not supported");
                }
                members.add(member());
                parameters();
                skipOws();
                if (pos == end) {
                    break;
                }
                if (s.charAt(pos) != ',') {
                    throw fail("expected ','");
                }
                pos++;
                skipOws();
                if (pos == end) {
                    throw fail("trailing ','");
                }
            }
            return members;
        }

        private String member() {
            char c = s.charAt(pos);
            if (c == '"') {
                return string();
            }
            if (isAlpha(c) || c == '*') {
                return token();
            }
            throw fail("list member is not a String or Token");
        }

        private String string() {
            pos++; // opening quote
            StringBuilder sb = new StringBuilder();
            while (pos < end) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    if (pos >= end) {
                        break;
                    }
                    c = s.charAt(pos++);
                    if (c != '"' && c != '\\') {
                        throw fail("invalid escape in String");
                    }
                } else if (c < 0x20 || c > 0x7e) {
                    throw fail("invalid char 0x" + Integer.toHexString(c) + " in String");
                }
                sb.append(c);
            }
            throw fail("unterminated String");
        }

        private String token() {
            int start = pos++;
            while (pos < end && isTokenChar(s.charAt(pos))) pos++;
            return s.substring(start, pos);
        }

        /** Parameters are not used by WebTransport, so they are checked for syntax and dropped. */
        private void parameters() {
            while (pos < end && s.charAt(pos) == ';') {
                pos++;
                while (pos < end && s.charAt(pos) == ' ') pos++;
                key();
                if (pos < end && s.charAt(pos) == '=') {
                    pos++;
                    bareItem();
                }
            }
        }

        private void key() {
            if (pos >= end || !(isLcAlpha(s.charAt(pos)) || s.charAt(pos) == '*')) {
                throw fail("invalid parameter key");
            }
            pos++;
            while (pos < end) {
                char c = s.charAt(pos);
                if (!(isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*')) break;
                pos++;
            }
        }

        private void bareItem() {
            if (pos >= end) {
                throw fail("missing parameter value");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                string();
            } else if (isAlpha(c) || c == '*') {
                token();
            } else if (c == '-' || isDigit(c)) {
                number();
            } else if (c == '?') {
                pos++;
                if (pos >= end || (s.charAt(pos) != '0' && s.charAt(pos) != '1')) {
                    throw fail("invalid Boolean");
                }
                pos++;
            } else if (c == ':') {
                byteSequence();
            } else {
                throw fail("invalid parameter value");
            }
        }

        private void number() {
            if (s.charAt(pos) == '-') pos++;
            int intDigits = digits();
            if (intDigits == 0 || intDigits > 15) {
                throw fail("invalid Integer");
            }
            if (pos < end && s.charAt(pos) == '.') {
                pos++;
                int fracDigits = digits();
                if (intDigits > 12 || fracDigits == 0 || fracDigits > 3) {
                    throw fail("invalid Decimal");
                }
            }
        }

        private int digits() {
            int start = pos;
            while (pos < end && isDigit(s.charAt(pos))) pos++;
            return pos - start;
        }

        private void byteSequence() {
            pos++;
            while (pos < end && s.charAt(pos) != ':') {
                char c = s.charAt(pos++);
                if (!(isAlpha(c) || isDigit(c) || c == '+' || c == '/' || c == '=')) {
                    throw fail("invalid Byte Sequence");
                }
            }
            if (pos >= end) {
                throw fail("unterminated Byte Sequence");
            }
            pos++;
        }

        private void skipOws() {
            while (pos < end && isOws(s.charAt(pos))) pos++;
        }

        private IllegalArgumentException fail(String why) {
            return new IllegalArgumentException("malformed sf-List at " + pos + ": " + why + " in [" + s + "]");
        }

        private static boolean isOws(char c) {
            return c == ' ' || c == '\t';
        }

        private static boolean isAlpha(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }

        private static boolean isLcAlpha(char c) {
            return c >= 'a' && c <= 'z';
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        /** tchar (RFC 9110 §5.6.2) plus ':' and '/', as sf-Token allows. */
        private static boolean isTokenChar(char c) {
            return isAlpha(c) || isDigit(c) || "!#$%&'*+-.^_`|~:/".indexOf(c) >= 0;
        }
    }
}
