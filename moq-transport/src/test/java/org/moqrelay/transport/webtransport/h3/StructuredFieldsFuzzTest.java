package org.moqrelay.transport.webtransport.h3;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Coverage-guided fuzzing of the sf-List parser of wt-available-protocols (run by {@code scripts/fuzz.sh}). */
class StructuredFieldsFuzzTest {

    /**
     * Any field value parses to strings or throws {@link IllegalArgumentException} (which
     * ConnectRequest treats as no list); each member serializes as an sf-String, and the list
     * of those parses back the same.
     */
    @FuzzTest
    void parseAnyList(byte[] input) {
        // Field values reach the parser as QpackDecoder makes them: one char per byte.
        String field = new String(input, StandardCharsets.ISO_8859_1);
        List<String> members;
        try {
            members = StructuredFields.parseList(field);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("malformed sf-List");
            return;
        }
        String again = members.stream().map(StructuredFields::serializeString).collect(Collectors.joining(", "));
        assertThat(StructuredFields.parseList(again)).isEqualTo(members);
    }
}
