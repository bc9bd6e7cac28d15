package org.moqrelay.transport.webtransport.h3;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The HPACK/QPACK Huffman code (RFC 7541 Appendix B, reused unchanged by RFC 9204 §4.1.2).
 *
 * <p>The RFC's code is canonical (codes of one length are consecutive and ordered by symbol,
 * shorter codes first), so the table is stored as its 257 code lengths only and the codes are
 * derived from them; that keeps the data small enough to check by eye against the RFC.
 */
final class QpackHuffman {
    static final int EOS = 256;
    static final int MAX_CODE_LENGTH = 30;

    /** Code length in bits of each symbol 0..255 and EOS (256), RFC 7541 Appendix B. */
    private static final byte[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, // 0x00
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, // 0x10
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, //         ' ' .. '/'
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, //              '0' .. '?'
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, //                '@' .. 'O'
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, //             'P' .. '_'
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, //                '`' .. 'o'
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, //            'p' .. 0x7f
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, // 0x80
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, // 0x90
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, // 0xa0
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, // 0xb0
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, // 0xc0
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, // 0xd0
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, // 0xe0
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, // 0xf0
        30, //                                                             EOS
    };

    /** Code of each symbol, right-aligned in {@code LENGTHS[s]} bits. */
    private static final int[] CODES = new int[257];
    /** Symbols ordered by (length, symbol): the canonical order. */
    private static final int[] SORTED = new int[257];
    /** Per code length: first code, how many codes, and where they start in SORTED. */
    private static final int[] FIRST = new int[MAX_CODE_LENGTH + 1];
    private static final int[] COUNT = new int[MAX_CODE_LENGTH + 1];
    private static final int[] OFFSET = new int[MAX_CODE_LENGTH + 1];

    static {
        Integer[] order = new Integer[257];
        for (int s = 0; s < 257; s++) order[s] = s;
        Arrays.sort(order, (a, b) -> LENGTHS[a] != LENGTHS[b] ? LENGTHS[a] - LENGTHS[b] : a - b);
        int code = 0;
        int prevLen = LENGTHS[order[0]];
        for (int i = 0; i < 257; i++) {
            int s = order[i];
            int len = LENGTHS[s];
            if (i > 0) code = (code + 1) << (len - prevLen);
            prevLen = len;
            CODES[s] = code;
            SORTED[i] = s;
            if (COUNT[len]++ == 0) {
                FIRST[len] = code;
                OFFSET[len] = i;
            }
        }
    }

    private QpackHuffman() {}

    /** Code of {@code symbol}, right-aligned; package-private for tests. */
    static int code(int symbol) {
        return CODES[symbol];
    }

    /** Code length of {@code symbol} in bits. */
    static int length(int symbol) {
        return LENGTHS[symbol];
    }

    /**
     * Decodes {@code length} Huffman-coded bytes starting at {@code index} (reader index untouched).
     *
     * @param maxDecoded longest output accepted; checked as symbols come out, so a hostile
     *     input cannot make us allocate more than this
     * @throws QpackException on EOS inside the string, bad padding, or output longer than maxDecoded
     */
    static byte[] decode(ByteBuf in, int index, int length, int maxDecoded) {
        // Each symbol is at least 5 bits, which bounds the output before we allocate it.
        byte[] out = new byte[(int) Math.min((long) length * 8 / 5, maxDecoded)];
        int n = 0;
        int code = 0;
        int bits = 0;
        for (int i = 0; i < length; i++) {
            int b = in.getByte(index + i) & 0xff;
            for (int shift = 7; shift >= 0; shift--) {
                code = (code << 1) | ((b >>> shift) & 1);
                bits++;
                int k = code - FIRST[bits];
                if (COUNT[bits] > 0 && k >= 0 && k < COUNT[bits]) {
                    int symbol = SORTED[OFFSET[bits] + k];
                    if (symbol == EOS) {
                        throw new QpackException("Huffman string contains EOS");
                    }
                    if (n == out.length) {
                        throw new QpackException("Huffman string decodes to more than " + maxDecoded + " bytes");
                    }
                    out[n++] = (byte) symbol;
                    code = 0;
                    bits = 0;
                } else if (bits == MAX_CODE_LENGTH) {
                    // Unreachable with a complete code, kept so a table mistake fails loudly.
                    throw new QpackException("invalid Huffman code");
                }
            }
        }
        // RFC 7541 §5.2: padding is under 8 bits and is a prefix of EOS, i.e. all ones.
        if (bits > 7) {
            throw new QpackException("Huffman padding longer than 7 bits");
        }
        if (code != (1 << bits) - 1) {
            throw new QpackException("Huffman padding is not a prefix of EOS");
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** Huffman-encodes {@code data}, padding the last byte with ones; used by tests only for now. */
    static byte[] encode(byte[] data) {
        long bitCount = 0;
        for (byte b : data) bitCount += LENGTHS[b & 0xff];
        byte[] out = new byte[(int) ((bitCount + 7) / 8)];
        long acc = 0;
        int accBits = 0;
        int n = 0;
        for (byte b : data) {
            int s = b & 0xff;
            acc = (acc << LENGTHS[s]) | CODES[s];
            accBits += LENGTHS[s];
            while (accBits >= 8) {
                accBits -= 8;
                out[n++] = (byte) (acc >>> accBits);
            }
            acc &= (1L << accBits) - 1;
        }
        if (accBits > 0) {
            out[n] = (byte) ((acc << (8 - accBits)) | (0xff >>> accBits));
        }
        return out;
    }
}
