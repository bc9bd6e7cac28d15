package org.moqrelay.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.moqrelay.wire.lite.Announce;
import org.moqrelay.wire.lite.AnnounceRequest;
import org.moqrelay.wire.lite.Fetch;
import org.moqrelay.wire.lite.LiteCodec;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.Subscribe;
import org.moqrelay.wire.lite.TrackRequest;

class PathTest {

    // ---------------------------------------------------------------- normalization

    @ParameterizedTest(name = "\"{0}\" normalizes to \"{1}\"")
    @CsvSource({
            "'',          ''",
            "/,           ''",
            "///,         ''",
            "a,           a",
            "/a//b/,      a/b",      // moq-lite.md §10
            "a/b/c,       a/b/c",
            "//a///b//c//, a/b/c",
            "foo/,        foo",
            "/foo,        foo",
            "./..,        ./..",    // no special meaning for dot segments
    })
    void normalizationStripsLeadingTrailingAndDoubledSlashes(String raw, String normalized) {
        assertThat(Path.of(raw).toString()).isEqualTo(normalized);
    }

    @Test
    void anEmptyOrAllSlashPathIsTheRoot() {
        assertThat(Path.of("")).isSameAs(Path.ROOT);
        assertThat(Path.of("//")).isEqualTo(Path.ROOT);
        assertThat(Path.ROOT.isRoot()).isTrue();
        assertThat(Path.ROOT.parts()).isZero();
        assertThat(Path.of("a").isRoot()).isFalse();
    }

    @Test
    void equalPathsAfterNormalizationAreEqualAndHashAlike() {
        assertThat(Path.of("/a//b/")).isEqualTo(Path.of("a/b")).hasSameHashCodeAs(Path.of("a/b"));
        assertThat(Path.of("a/b")).isNotEqualTo(Path.of("a/b/c"));
        assertThat(Path.of("a").compareTo(Path.of("b"))).isNegative();
    }

    @Test
    void partsCountsSegments() {
        assertThat(Path.of("a").parts()).isEqualTo(1);
        assertThat(Path.of("/a//b/").parts()).isEqualTo(2);
        assertThat(Path.of("a/b/c").parts()).isEqualTo(3);
    }

    // ---------------------------------------------------------------- prefixes

    @ParameterizedTest(name = "\"{0}\" has prefix \"{1}\": {2}")
    @CsvSource({
            "foo/bar,     foo,     true",
            "foo,         foo,     true",
            "foobar,      foo,     false",   // segment boundary, not byte-wise (moq-lite.md §13)
            "foo/bar/baz, foo/bar, true",
            "foo/barbaz,  foo/bar, false",
            "foo,         foo/bar, false",
            "fo,          foo,     false",
            "bar/foo,     foo,     false",
            "foo/bar,     '',      true",    // the root covers everything
            "'',          '',      true",
            "'',          foo,     false",
    })
    void hasPrefixMatchesOnWholeSegments(String path, String prefix, boolean expected) {
        assertThat(Path.of(path).hasPrefix(Path.of(prefix))).isEqualTo(expected);
    }

    @Test
    void hasPrefixNormalizesBothSides() {
        assertThat(Path.of("/foo//bar/").hasPrefix(Path.of("foo/"))).isTrue();
        assertThat(Path.of("/foobar/").hasPrefix(Path.of("/foo/"))).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\" without \"{1}\" is \"{2}\"")
    @CsvSource({
            "foo/bar,     foo,     bar",
            "foo/bar/baz, foo,     bar/baz",
            "foo/bar/baz, foo/bar, baz",
            "foo,         foo,     ''",      // equal: the root
            "foo/bar,     '',      foo/bar", // root prefix: unchanged
            "'',          '',      ''",
    })
    void stripPrefixReturnsTheRemainder(String path, String prefix, String rest) {
        assertThat(Path.of(path).stripPrefix(Path.of(prefix))).isEqualTo(Path.of(rest));
    }

    @Test
    void stripPrefixOfAPathThePrefixDoesNotCoverIsNull() {
        assertThat(Path.of("foobar").stripPrefix(Path.of("foo"))).isNull();
        assertThat(Path.of("foo").stripPrefix(Path.of("foo/bar"))).isNull();
        assertThat(Path.ROOT.stripPrefix(Path.of("a"))).isNull();
    }

    @ParameterizedTest(name = "\"{0}\" joined with \"{1}\" is \"{2}\"")
    @CsvSource({
            "a,   b,   a/b",
            "a/b, c/d, a/b/c/d",
            "a,   '',  a",
            "'',  b,   b",
            "'',  '',  ''",
    })
    void joinConcatenatesOnASegmentBoundary(String a, String b, String joined) {
        assertThat(Path.of(a).join(Path.of(b))).isEqualTo(Path.of(joined));
        assertThat(Path.of(a).join(Path.of(b)).toString()).isEqualTo(joined);
    }

    @ParameterizedTest(name = "parent of \"{0}\" is \"{1}\", last segment \"{2}\"")
    @CsvSource({
            "a/b/c, a/b, c",
            "a/b,   a,   b",
            "a,     '',  a",
            "'',    '',  ''",
    })
    void parentDropsTheLastSegment(String path, String parent, String last) {
        assertThat(Path.of(path).parent()).isEqualTo(Path.of(parent));
        assertThat(Path.of(path).lastSegment()).isEqualTo(last);
    }

    // ---------------------------------------------------------------- properties

    @Provide
    Arbitrary<String> segments() {
        return Arbitraries.strings().withChars("abcxyz-_.0123456789é").ofMinLength(1).ofMaxLength(6);
    }

    @Provide
    Arbitrary<Path> paths() {
        return segments().list().ofMaxSize(6).map(l -> Path.of(String.join("/", l)));
    }

    @Provide
    Arbitrary<String> rawPaths() {
        return Arbitraries.strings().withChars("ab/").ofMaxLength(12);
    }

    @Property
    void normalizationIsIdempotentAndLeavesNoEmptySegment(@ForAll("rawPaths") String raw) {
        Path p = Path.of(raw);
        assertThat(Path.of(p.toString())).isEqualTo(p);
        assertThat(p.toString()).doesNotStartWith("/").doesNotEndWith("/").doesNotContain("//");
        assertThat(p.parts()).isEqualTo(p.isRoot() ? 0 : p.toString().split("/").length);
    }

    @Property
    void aJoinedPathHasItsHeadAsPrefixAndStripsBackToItsTail(@ForAll("paths") Path head, @ForAll("paths") Path tail) {
        Path joined = head.join(tail);
        assertThat(joined.hasPrefix(head)).isTrue();
        assertThat(joined.hasPrefix(Path.ROOT)).isTrue();
        assertThat(joined.stripPrefix(head)).isEqualTo(tail);
        assertThat(joined.parts()).isEqualTo(head.parts() + tail.parts());
        assertThat(Path.of(head + "/" + tail)).isEqualTo(joined);
    }

    @Property
    void aPathIsItsParentJoinedWithItsLastSegment(@ForAll("paths") Path p) {
        if (p.isRoot()) return;
        assertThat(p.parent().join(Path.of(p.lastSegment()))).isEqualTo(p);
        assertThat(p.hasPrefix(p.parent())).isTrue();
        assertThat(p.parent().parts()).isEqualTo(p.parts() - 1);
    }

    @Property
    void hasPrefixAgreesWithSegmentListPrefix(@ForAll("paths") Path a, @ForAll("paths") Path b) {
        List<String> as = a.isRoot() ? List.of() : List.of(a.toString().split("/"));
        List<String> bs = b.isRoot() ? List.of() : List.of(b.toString().split("/"));
        boolean segmentPrefix = bs.size() <= as.size() && as.subList(0, bs.size()).equals(bs);
        assertThat(a.hasPrefix(b)).isEqualTo(segmentPrefix);
        assertThat(a.stripPrefix(b) != null).isEqualTo(segmentPrefix);
    }

    // ---------------------------------------------------------------- the 32-part limit on decode

    static Stream<Arguments> messagesCarryingAPath() {
        Function<Path, LiteMessage> announceRequest = p -> new AnnounceRequest(p, 0);
        Function<Path, LiteMessage> announce = p -> new Announce(Announce.Status.ACTIVE, p, List.of());
        Function<Path, LiteMessage> track = p -> new TrackRequest(p, "video");
        Function<Path, LiteMessage> subscribe = p -> new Subscribe(1, p, "video", 0, false, 0, null, null);
        Function<Path, LiteMessage> fetch = p -> new Fetch(p, "video", 0, 7);
        return Stream.of(
                Arguments.of(MessageKind.ANNOUNCE_REQUEST, announceRequest),
                Arguments.of(MessageKind.ANNOUNCE, announce),
                Arguments.of(MessageKind.TRACK, track),
                Arguments.of(MessageKind.SUBSCRIBE, subscribe),
                Arguments.of(MessageKind.FETCH, fetch));
    }

    private static Path partsPath(int n) {
        return Path.of(String.join("/", Collections.nCopies(n, "p")));
    }

    private static ByteBuf encoded(LiteMessage m) {
        ByteBuf out = Unpooled.buffer();
        LiteCodec.encode(out, m, LiteVersion.LITE_05);
        return out;
    }

    @ParameterizedTest(name = "{0} with a 32-part path decodes")
    @MethodSource("messagesCarryingAPath")
    void aThirtyTwoPartPathInAMessageDecodes(MessageKind kind, Function<Path, LiteMessage> withPath) {
        assertThat(Path.MAX_PARTS).isEqualTo(32);
        LiteMessage m = withPath.apply(partsPath(32));
        assertThat(LiteCodec.decode(encoded(m), kind, LiteVersion.LITE_05)).isEqualTo(m);
    }

    @ParameterizedTest(name = "{0} with a 33-part path is a DecodeException")
    @MethodSource("messagesCarryingAPath")
    void aThirtyThreePartPathInAMessageIsADecodeException(MessageKind kind, Function<Path, LiteMessage> withPath) {
        ByteBuf wire = encoded(withPath.apply(partsPath(33)));
        assertThatThrownBy(() -> LiteCodec.decode(wire, kind, LiteVersion.LITE_05))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECODE));
    }

    @Test
    void theThirtyThreePartLimitHoldsOnEveryVersion() {
        for (LiteVersion v : LiteVersion.values()) {
            ByteBuf wire = Unpooled.buffer();
            LiteCodec.encode(wire, new AnnounceRequest(partsPath(33), 0), v);
            assertThatThrownBy(() -> LiteCodec.decode(wire, MessageKind.ANNOUNCE_REQUEST, v))
                    .as("%s", v)
                    .isInstanceOf(DecodeException.class);
        }
    }
}
