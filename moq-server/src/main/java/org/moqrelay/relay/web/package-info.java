/**
 * The relay's HTTP/1.1 listener on TCP: health, certificate hash and, later, the other endpoints of
 * the reference relay's {@code web.rs}.
 *
 * <p>Starting points: {@link org.moqrelay.relay.web.WebServer},
 * {@link org.moqrelay.relay.web.WebRoutes}, {@link org.moqrelay.relay.web.WebHandler}.
 */
package org.moqrelay.relay.web;
