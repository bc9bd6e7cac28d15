package org.moqrelay.relay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebRoutesTest {
    private static final WebHandler A = (ctx, request) -> {};
    private static final WebHandler B = (ctx, request) -> {};
    private static final WebHandler C = (ctx, request) -> {};

    @Test
    void exactPathsWinOverPrefixes() {
        WebRoutes routes = WebRoutes.builder().prefix("/", A).exact("/health", B).build();

        assertThat(routes.find("/health")).isSameAs(B);
        assertThat(routes.find("/health/x")).isSameAs(A);
        assertThat(routes.find("/")).isSameAs(A);
    }

    @Test
    void longestPrefixWinsAndPrefixesStopAtSegmentBoundaries() {
        WebRoutes routes = WebRoutes.builder().prefix("/fetch", A).prefix("/fetch/special", B).prefix("/announced/", C).build();

        assertThat(routes.find("/fetch")).isSameAs(A);
        assertThat(routes.find("/fetch/room/video")).isSameAs(A);
        assertThat(routes.find("/fetch/special/x")).isSameAs(B);
        assertThat(routes.find("/fetchx")).isSameAs(LandingPage.HANDLER);
        assertThat(routes.find("/announced/a")).isSameAs(C);
        assertThat(routes.find("/announced")).isSameAs(LandingPage.HANDLER);
    }

    @Test
    void unknownPathsGetTheLandingPage() {
        assertThat(WebRoutes.standard(() -> null).find("/nope")).isSameAs(LandingPage.HANDLER);
        assertThat(WebRoutes.builder().build().find("/health")).isSameAs(LandingPage.HANDLER);
    }

    @Test
    void duplicateAndRelativePathsAreRejected() {
        assertThatThrownBy(() -> WebRoutes.builder().exact("/a", A).exact("/a", B).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/a");
        assertThatThrownBy(() -> WebRoute.exact("health", A))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("starts with /");
    }
}
