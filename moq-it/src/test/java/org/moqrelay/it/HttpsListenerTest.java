package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.moqrelay.relay.server.WebHttpsConfig;

/** The HTTPS / WSS listener serves the same routes and WebSocket upgrade behind TLS. */
class HttpsListenerTest {
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(() -> Relays.startQuicOnly(
            c -> c.withWebHttps(new WebHttpsConfig(new InetSocketAddress("127.0.0.1", 0), null, null))));
    static HttpClient https;

    @BeforeAll
    static void start() throws Exception {
        // The development certificate is self-signed: trust exactly the one the relay serves.
        String pinned = relay.server().certificateSha256();
        X509TrustManager pin = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
                try {
                    byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
                    if (!java.util.HexFormat.of().formatHex(d).equals(pinned)) throw new java.security.cert.CertificateException("not pinned");
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new java.security.cert.CertificateException(e);
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {pin}, null);
        SSLParameters params = new SSLParameters();
        params.setEndpointIdentificationAlgorithm(null);
        https = HttpClient.newBuilder().sslContext(ctx).sslParameters(params).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + relay.server().webHttpsAddress().getPort() + path);
    }

    @Test
    void theHttpRoutesAnswerOverTls() throws Exception {
        HttpResponse<String> health = https.send(HttpRequest.newBuilder(uri("https", "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(https.send(HttpRequest.newBuilder(uri("https", "/certificate.sha256")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo(relay.server().certificateSha256());
    }

    @Test
    void aWebSocketUpgradesOverTlsWithTheRelaysSubprotocol() throws Exception {
        WebSocket ws = https.newWebSocketBuilder().subprotocols("qmux-01.moq-lite-05")
                .buildAsync(uri("wss", "/anon"), new WebSocket.Listener() {}).get(10, TimeUnit.SECONDS);
        assertThat(ws.getSubprotocol()).isEqualTo("qmux-01.moq-lite-05");
        ws.abort();
    }
}
