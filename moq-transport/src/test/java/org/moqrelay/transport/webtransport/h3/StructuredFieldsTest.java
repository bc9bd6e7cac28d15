package org.moqrelay.transport.webtransport.h3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StructuredFieldsTest {

    @Test
    void chromiumsProtocolListParsesIntoTenStrings() {
        assertThat(StructuredFields.parseList(ChromiumCaptures.AVAILABLE_PROTOCOLS)).containsExactly(
                "moq-lite-05", "moq-lite-04", "moq-lite-03", "moql",
                "moqt-20", "moqt-19", "moqt-18", "moqt-17", "moqt-16", "moqt-15");
    }

    @Test
    void tokensAreAcceptedLikeStrings() {
        assertThat(StructuredFields.parseList("moqt-draft01, a/b/c, \"x\", *star, tok:en"))
                .containsExactly("moqt-draft01", "a/b/c", "x", "*star", "tok:en");
    }

    @Test
    void parametersOfEveryTypeAreDropped() {
        assertThat(StructuredFields.parseList(
                "\"a\";q=1;x, b; y=\"s;,\";z=tok;n=-1.5;t=?0;bs=:aGk=:, \"c\";*k=*v"))
                .containsExactly("a", "b", "c");
    }

    @Test
    void whitespaceAroundCommasAndAtTheEndsIsTolerated() {
        assertThat(StructuredFields.parseList("  \"a\"\t,\t b ,c  ")).containsExactly("a", "b", "c");
        assertThat(StructuredFields.parseList("a,b")).containsExactly("a", "b");
    }

    @Test
    void anEmptyOrBlankFieldIsTheEmptyList() {
        assertThat(StructuredFields.parseList("")).isEmpty();
        assertThat(StructuredFields.parseList("   ")).isEmpty();
    }

    @Test
    void escapesInsideStringsAreUndone() {
        assertThat(StructuredFields.parseList("\"a\\\"b\\\\c\", \"\"")).containsExactly("a\"b\\c", "");
    }

    @ParameterizedTest(name = "[{0}] is rejected")
    @ValueSource(strings = {
            "\"unterminated",
            "\"bad\\escape\"",
            "a,",
            "a,,b",
            ",a",
            "a b",
            "\"a\" \"b\"",
            "1",
            "-2",
            "?1",
            ":aGk=:",
            "(a b)",
            "a;",
            "a;K=1",
            "a;k=",
            "a;k=@",
            "a;k=1.2345",
            "a;k=:ab",
            "a;k=?2",
            "\"caf\u00e9\"",
            "\"tab\tinside\"",
            "\u00e9",
    })
    void malformedListsAreRejected(String field) {
        assertThatThrownBy(() -> StructuredFields.parseList(field)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stringsSerializeQuotedWithBackslashAndQuoteEscaped() {
        assertThat(StructuredFields.serializeString("moq-lite-05")).isEqualTo("\"moq-lite-05\"");
        assertThat(StructuredFields.serializeString("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(StructuredFields.serializeString("")).isEqualTo("\"\"");
        assertThat(StructuredFields.parseList(StructuredFields.serializeString("a\"b\\c"))).containsExactly("a\"b\\c");
    }

    @Test
    void stringsOutsidePrintableAsciiCannotBeSerialized() {
        assertThatThrownBy(() -> StructuredFields.serializeString("line\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StructuredFields.serializeString("caf\u00e9")).isInstanceOf(IllegalArgumentException.class);
    }
}
