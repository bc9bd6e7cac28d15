/** Sizing the relay's group cache: the memory probe and the headroom governor ({@code [cache]}). */
package org.moqrelay.relay.cache;
