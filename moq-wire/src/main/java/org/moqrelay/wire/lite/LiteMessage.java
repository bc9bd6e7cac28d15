package org.moqrelay.wire.lite;

/**
 * Every moq-lite control message (spec/moq-lite.md §4-§7). Records carry no payload bytes:
 * frame payloads stay with the group stream readers and writers.
 */
public sealed interface LiteMessage
        permits Setup, AnnounceRequest, AnnounceOk, Announce, TrackRequest, TrackInfo, Subscribe,
                SubscribeUpdate, SubscribeOk, SubscribeStart, SubscribeEnd, SubscribeDrop, Fetch, Probe,
                Goaway, GroupHeader, AnnounceInit, SessionInfo {
}
