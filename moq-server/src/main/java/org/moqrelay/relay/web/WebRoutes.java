package org.moqrelay.relay.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** The routes of a {@link WebServer}: exact paths first, then the longest matching prefix. */
public final class WebRoutes {
    private final Map<String, WebHandler> exact;
    private final List<WebRoute> prefixes;
    private final List<WebRoute> routes;
    private final WebHandler websocket;

    private WebRoutes(List<WebRoute> routes, WebHandler websocket) {
        this.routes = List.copyOf(routes);
        this.websocket = websocket;
        Map<String, WebHandler> exactPaths = new HashMap<>();
        List<WebRoute> prefixRoutes = new ArrayList<>();
        for (WebRoute route : routes) {
            if (route.prefix()) {
                prefixRoutes.add(route);
            } else if (exactPaths.putIfAbsent(route.path(), route.handler()) != null) {
                throw new IllegalArgumentException("path: " + route.path() + " (expected: one route per path)");
            }
        }
        prefixRoutes.sort(Comparator.comparingInt((WebRoute r) -> r.path().length()).reversed());
        this.exact = Map.copyOf(exactPaths);
        this.prefixes = List.copyOf(prefixRoutes);
    }

    /** An empty builder: every path answers with the landing page until routes are added. */
    public static Builder builder() {
        return new Builder();
    }

    /** The routes every relay serves: {@code /health} and {@code /certificate.sha256}. */
    public static WebRoutes standard(Supplier<String> certificateSha256) {
        return builder().standard(certificateSha256).build();
    }

    /** The handler for a decoded request path; the landing page (404) when no route matches. */
    public WebHandler find(String path) {
        return find(path, LandingPage.HANDLER);
    }

    /** The handler for {@code path} (an exact route, else the longest matching prefix), else {@code fallback}. */
    public WebHandler find(String path, WebHandler fallback) {
        WebHandler handler = exact.get(path);
        if (handler != null) {
            return handler;
        }
        for (WebRoute route : prefixes) {
            if (route.matches(path)) {
                return route.handler();
            }
        }
        return fallback;
    }

    /** The handler for WebSocket upgrades on any path, or null when WebSocket is off. */
    public WebHandler websocket() {
        return websocket;
    }

    /** Every route, in the order it was added. */
    public List<WebRoute> routes() {
        return routes;
    }

    /** Collects routes; later work adds {@code /announced}, {@code /fetch} and the WebSocket upgrade here. */
    public static final class Builder {
        private final List<WebRoute> routes = new ArrayList<>();
        private WebHandler websocket;

        private Builder() {}

        /** Serves WebSocket upgrades on every path with {@code handler}. */
        public Builder websocket(WebHandler handler) {
            websocket = handler;
            return this;
        }

        /** Adds {@code route}. */
        public Builder route(WebRoute route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /** Adds a route for exactly {@code path}. */
        public Builder exact(String path, WebHandler handler) {
            return route(WebRoute.exact(path, handler));
        }

        /** Adds a route for {@code path} and everything below it. */
        public Builder prefix(String path, WebHandler handler) {
            return route(WebRoute.prefix(path, handler));
        }

        /**
         * Adds {@code GET /health} and {@code GET /certificate.sha256}.
         *
         * @param certificateSha256 the served certificate's hash (see
         *                          {@code CertificateBundle.sha256Hex()}), or null when there is none;
         *                          read on every request, so it must be cheap and must not block
         */
        public Builder standard(Supplier<String> certificateSha256) {
            exact("/health", (ctx, request) -> WebResponses.send(ctx, request,
                    WebResponses.text(HttpResponseStatus.OK, "ok\n")));
            return exact("/certificate.sha256", new CertificateHashHandler(certificateSha256));
        }

        /** Adds {@code /announced[/prefix]} and {@code /fetch/...} over {@code origin}. */
        public Builder relay(org.moqrelay.model.Origin origin, org.moqrelay.session.lite.Authorizer authorizer) {
            exact("/announced", new AnnouncedHandler(origin, authorizer));
            prefix("/announced", new AnnouncedHandler(origin, authorizer));
            return prefix("/fetch", new FetchHandler(origin, authorizer));
        }

        /** The routes added so far. */
        public WebRoutes build() {
            return new WebRoutes(routes, websocket);
        }
    }
}
