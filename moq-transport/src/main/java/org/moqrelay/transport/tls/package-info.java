/**
 * TLS material for the QUIC and HTTPS listeners: self-signed generation, PEM loading and writing.
 *
 * <p>Starting points: {@link org.moqrelay.transport.tls.Certificates},
 * {@link org.moqrelay.transport.tls.CertificateBundle}.
 */
package org.moqrelay.transport.tls;
