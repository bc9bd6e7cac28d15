/**
 * quinn-fanout's two programs on the relay's own QUIC stack, with no MoQ on top: {@link
 * org.moqrelay.bench.quic.StackFanoutServer} sends every connection the same chunk every 20 ms on
 * one uni stream, {@link org.moqrelay.bench.quic.StackFanoutClient} opens connections and reads.
 * Both speak quinn-fanout's protocol, so either side can face a quinn program: the server's CPU
 * per delivered byte against quinn-fanout's, under the same client, is the floor the relay's QUIC
 * stack sets (run with {@code bench/stack-floor.sh}).
 */
package org.moqrelay.bench.quic;
