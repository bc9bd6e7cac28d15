/**
 * Pure codecs for qmux, the QUIC-like stream multiplexing the relay speaks over WebSocket and plain
 * TCP (transports.md §3-4): wire versions, frames, transport parameters and TCP records.
 *
 * <p>Starting points: {@link org.moqrelay.transport.qmux.wire.QmuxCodec},
 * {@link org.moqrelay.transport.qmux.wire.QmuxFrame},
 * {@link org.moqrelay.transport.qmux.wire.QmuxRecords}.
 */
package org.moqrelay.transport.qmux.wire;
