package org.moqrelay.transport.quic;

/** Maps moq-lite error codes to the codes a binding puts on the wire, and back. */
public interface StreamCodes {
    /** Raw QUIC carries moq-lite codes as they are. */
    StreamCodes IDENTITY = new StreamCodes() {
        @Override
        public long toWire(long code) {
            return code;
        }

        @Override
        public long fromWire(long wire) {
            return wire;
        }
    };

    long toWire(long code);

    /** The moq-lite code for a wire code; 0 (Cancel) when the wire code is outside the binding's range. */
    long fromWire(long wire);
}
