package org.moqrelay.session.lite;

/**
 * The {@link SessionMetrics} of each stats tier: a session counts under the tier its grant names
 * ({@link Authorizer.Grant#tier()}), chosen once it is authorized (relay.md §6, the {@code tier} label).
 * Thread-safe; asked once per session, not per frame.
 */
@FunctionalInterface
public interface TieredMetrics {
    /** Counts nothing, in any tier. */
    TieredMetrics NOOP = tier -> SessionMetrics.NOOP;

    /** The hooks counting under {@code tier} ({@code ""} = the default tier). */
    SessionMetrics forTier(String tier);
}
