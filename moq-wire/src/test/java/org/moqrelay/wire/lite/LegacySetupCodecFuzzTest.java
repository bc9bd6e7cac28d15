package org.moqrelay.wire.lite;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.moqrelay.wire.AllocationBudget;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.VarInts;

/**
 * Coverage-guided fuzzing of the lite-01/02 CLIENT_SETUP / SERVER_SETUP decoders (run by
 * {@code scripts/fuzz.sh}). Input layout: bit 0 of byte 0 picks SERVER_SETUP, the rest is the stream
 * after the type byte.
 */
class LegacySetupCodecFuzzTest {

    /**
     * Any bytes give a setup, "not yet" (nothing consumed) or a {@link DecodeException}; a decoded
     * setup re-encodes to one with the same version(s).
     */
    @FuzzTest
    void decodeAnySetup(byte[] input) {
        if (input.length < 1) return;
        boolean server = (input[0] & 1) != 0;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        if (server) {
            serverSetup(stream);
        } else {
            clientSetup(stream);
        }
    }

    private static void clientSetup(byte[] stream) {
        ByteBuf in = Unpooled.wrappedBuffer(stream);
        ClientSetup s;
        try {
            s = AllocationBudget.within(16 * 1024 + 64L * stream.length, "decodeClientSetup",
                    () -> LegacySetupCodec.decodeClientSetup(Unpooled.wrappedBuffer(stream)));
            s = LegacySetupCodec.decodeClientSetup(in);
        } catch (DecodeException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        if (s == null) {
            assertThat(in.readerIndex()).isZero();
            return;
        }
        ByteBuf out = Unpooled.buffer();
        LegacySetupCodec.encodeClientSetup(out, s.versions());
        assertThat(VarInts.read(out)).isEqualTo(LegacySetupCodec.CLIENT_SETUP);
        ClientSetup again = LegacySetupCodec.decodeClientSetup(out);
        assertThat(again.versions()).isEqualTo(s.versions());
        assertThat(again.parameters()).isEmpty();
        assertThat(out.isReadable()).isFalse();
    }

    private static void serverSetup(byte[] stream) {
        ByteBuf in = Unpooled.wrappedBuffer(stream);
        long version;
        try {
            version = LegacySetupCodec.decodeServerSetup(in);
        } catch (DecodeException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        if (version < 0) {
            assertThat(version).isEqualTo(-1);
            assertThat(in.readerIndex()).isZero();
            return;
        }
        ByteBuf out = Unpooled.buffer();
        LegacySetupCodec.encodeServerSetup(out, version);
        assertThat(VarInts.read(out)).isEqualTo(LegacySetupCodec.SERVER_SETUP);
        assertThat(LegacySetupCodec.decodeServerSetup(out)).isEqualTo(version);
        assertThat(out.isReadable()).isFalse();
    }
}
