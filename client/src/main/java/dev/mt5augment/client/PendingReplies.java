package dev.mt5augment.client;

import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.result.AugmentResult;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The correlation table: requests awaiting replies, by request id, and the slots that bound how
 * many there are.
 *
 * <p>Every way a request ends (its reply, its timeout, a send failure, close, the caller cancelling
 * the future) goes through {@link #settle}: the first to remove the entry owns the ending, frees the
 * slot and cancels the timeout, and only then completes the future. So a callback that submits
 * again finds the slot already free, and a second ending (a duplicate reply, a timeout racing a
 * reply) is a no-op.
 *
 * <p>Thread-safe: called from callers' threads, the reply listener, the timeout scheduler and the
 * producer's network thread.
 */
final class PendingReplies {

    /** One request in flight. */
    static final class Pending {
        final String id;
        final String correlationId;
        final CompletableFuture<AugmentResult> future = new CompletableFuture<>();
        private volatile Future<?> timeout;
        private volatile boolean settled;

        Pending(String id, String correlationId) {
            this.id = id;
            this.correlationId = correlationId;
        }

        /** Attaches the timeout task; cancels it at once if the request already ended (a very fast reply). */
        void timeout(Future<?> task) {
            timeout = task;
            if (settled) task.cancel(false);
        }
    }

    private final ConcurrentHashMap<String, Pending> byId = new ConcurrentHashMap<>();
    private final Semaphore slots;
    private final int maxInFlight;
    private final Counters counters;

    PendingReplies(int maxInFlight, Counters counters) {
        this.maxInFlight = maxInFlight;
        this.slots = new Semaphore(maxInFlight);
        this.counters = counters;
    }

    int maxInFlight() {
        return maxInFlight;
    }

    int size() {
        return byId.size();
    }

    /** Takes a slot at once; false when all are taken. */
    boolean tryAcquireSlot() {
        return slots.tryAcquire();
    }

    /** Takes a slot, waiting at most {@code wait}; false on timeout. */
    boolean acquireSlot(Duration wait) throws InterruptedException {
        return slots.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    void releaseSlot() {
        slots.release();
    }

    /** Wakes every thread waiting for a slot (on close: they then see the client closed). */
    void releaseAllWaiters() {
        slots.release(Integer.MAX_VALUE / 2);
    }

    /**
     * Registers a request that holds a slot.
     *
     * @throws DuplicateRequestIdException when a request with this id is in flight (the slot is still held)
     */
    Pending register(String id, String correlationId) {
        Pending p = new Pending(id, correlationId);
        if (byId.putIfAbsent(id, p) != null) throw new DuplicateRequestIdException(id);
        // A caller cancelling (or completing) the future ends the request too.
        p.future.whenComplete((r, e) -> settle(p));
        return p;
    }

    /** Ends a request: true for the one caller that removed it (and must complete the future). */
    boolean settle(Pending p) {
        if (!byId.remove(p.id, p)) return false;
        p.settled = true;
        Future<?> t = p.timeout;
        if (t != null) t.cancel(false);
        slots.release();
        return true;
    }

    /**
     * A decoded reply from the reply topic. It completes the request with this id when one is in
     * flight and the reply's correlation id (when it has one) is the request's; otherwise it is
     * someone else's reply, a duplicate or a late one, and is ignored.
     */
    void onReply(AugmentResult result, String correlationIdOrNull) {
        Pending p = match(result.id(), correlationIdOrNull);
        if (p == null || !settle(p)) {
            counters.ignoredReplies.increment();
            return;
        }
        (result.isOk() ? counters.okReplies : counters.errorReplies).increment();
        p.future.complete(result);
    }

    /** A record on the reply topic that is not a valid result. */
    void onUnreadableReply(String idIfReadable, String correlationIdOrNull, ContractError error) {
        counters.unreadableReplies.increment();
        Pending p = idIfReadable == null ? null : match(idIfReadable, correlationIdOrNull);
        if (p != null && settle(p)) p.future.completeExceptionally(new UnreadableReplyException(p.id, error));
    }

    void expire(Pending p, Duration timeout, String replyTopic) {
        if (settle(p)) {
            counters.timedOut.increment();
            p.future.completeExceptionally(new AugmentTimeoutException(p.id, timeout, replyTopic));
        }
    }

    void fail(Pending p, AugmentClientException e) {
        if (settle(p)) p.future.completeExceptionally(e);
    }

    /** Fails every request in flight (close, listener failure). */
    void failAll(Function<String, AugmentClientException> why) {
        for (Pending p : List.copyOf(byId.values())) fail(p, why.apply(p.id));
    }

    private Pending match(String id, String correlationIdOrNull) {
        Pending p = byId.get(id);
        if (p == null) return null;
        // A worker copies the header unchanged; a reply without it (another producer's tool) is matched by id alone.
        if (correlationIdOrNull != null && !Objects.equals(correlationIdOrNull, p.correlationId)) return null;
        return p;
    }
}
