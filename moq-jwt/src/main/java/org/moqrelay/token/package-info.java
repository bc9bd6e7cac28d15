/**
 * Tokens for the relay: JWT claims, JWK keys, signing, verification, key lookup and the mapping of claims
 * onto a connection path, compatible with the reference's {@code moq-token} crate and {@code @moq/token}.
 *
 * <p>Starting points: {@link org.moqrelay.token.Key} (load, generate, write keys),
 * {@link org.moqrelay.token.TokenSigner} and {@link org.moqrelay.token.TokenVerifier},
 * {@link org.moqrelay.token.KeyResolver} ({@code --auth-key}, {@code --auth-key-dir}),
 * {@link org.moqrelay.token.AuthApi} ({@code --auth-api}),
 * {@link org.moqrelay.token.Authorization} (claims or public prefixes to {@link org.moqrelay.token.Permissions}).
 */
package org.moqrelay.token;
