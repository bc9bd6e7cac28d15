package org.moqrelay.wire.lite;

/** GROUP: the header of a group uni stream; frames follow until FIN (moq-lite.md §7). */
public record GroupHeader(long subscribeId, long sequence) implements LiteMessage {
}
