package dev.mt5augment.client;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link ClientStats}; updated from any thread. */
final class Counters {
    final LongAdder sent = new LongAdder();
    final LongAdder okReplies = new LongAdder();
    final LongAdder errorReplies = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder ignoredReplies = new LongAdder();
    final LongAdder unreadableReplies = new LongAdder();

    ClientStats snapshot(int inFlight) {
        return new ClientStats(inFlight, sent.sum(), okReplies.sum(), errorReplies.sum(), timedOut.sum(),
                sendFailures.sum(), rejected.sum(), ignoredReplies.sum(), unreadableReplies.sum());
    }
}
