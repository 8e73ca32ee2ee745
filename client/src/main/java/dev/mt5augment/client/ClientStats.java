package dev.mt5augment.client;

/**
 * Counters of one {@link AugmentClient} since it started; a snapshot, not live.
 *
 * @param inFlight          requests awaiting their reply now
 * @param sent              requests handed to the producer
 * @param okReplies         replies with {@code status: ok} that completed a request
 * @param errorReplies      replies with {@code status: error} that completed a request
 * @param timedOut          requests failed with {@link AugmentTimeoutException}
 * @param sendFailures      requests failed with {@link RequestSendException}
 * @param rejected          requests refused before sending (in-flight limit, duplicate id, closed)
 * @param ignoredReplies    replies for no request of this client: other clients' replies on a shared
 *                          topic, duplicates, replies that came after their request's timeout
 * @param unreadableReplies records on the reply topic that are not valid results
 */
public record ClientStats(int inFlight, long sent, long okReplies, long errorReplies, long timedOut,
                          long sendFailures, long rejected, long ignoredReplies, long unreadableReplies) {
}
