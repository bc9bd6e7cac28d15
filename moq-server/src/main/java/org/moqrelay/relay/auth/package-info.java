/**
 * Who may do what on this relay (relay.md §5): tokens, public prefixes, the auth API, client
 * certificates, subdomain routing and the metrics tier of each session.
 *
 * <p>Starting points: {@link org.moqrelay.relay.auth.RelayAuthorizer}, {@link org.moqrelay.relay.auth.AuthDomains}.
 */
package org.moqrelay.relay.auth;
