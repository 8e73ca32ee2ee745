package dev.mt5augment.worker.commit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which consumed records are finished, and which offsets may be committed.
 *
 * <p>Batches finish requests out of order, but a committed offset says "everything before me is
 * done". So a finished record waits here until every earlier record of its partition is finished;
 * then its outputs and the offset after it are released together ({@link #release()}). This is
 * what keeps exactly-once honest: a reply is only ever committed in the same transaction as its
 * record's offset, so a crash can never leave a reply whose request will be consumed again.
 *
 * <p>It also counts the decoder rows of records consumed but not yet committed
 * ({@link #pendingRows()}): the consumer pauses while that count is at its limit.
 *
 * <p>Threading: confined to the consumer thread.
 */
public final class OffsetTracker {
    private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
    private int pendingRows;

    /** Starts tracking an assigned partition; returns its lease. */
    public PartitionLease assign(TopicPartition tp) {
        PartitionProgress existing = partitions.get(tp);
        if (existing != null) return existing.lease;
        PartitionProgress p = new PartitionProgress(new PartitionLease(tp));
        partitions.put(tp, p);
        return p.lease;
    }

    public PartitionLease lease(TopicPartition tp) {
        PartitionProgress p = partitions.get(tp);
        return p == null ? null : p.lease;
    }

    /** A record was consumed; it is pending until {@link #complete}. */
    public void register(PartitionLease lease, long offset, int rows) {
        PartitionProgress p = partitions.get(lease.partition());
        if (p == null || p.lease != lease) throw new IllegalStateException("record from an unassigned partition " + lease);
        Slot slot = new Slot(offset, rows);
        p.inOrder.addLast(slot);
        p.byOffset.put(offset, slot);
        if (p.restartOffset < 0) p.restartOffset = offset;
        pendingRows += rows;
    }

    /**
     * A record is finished.
     *
     * @return false when the completion belongs to a revoked lease (or was rolled back) and is dropped
     */
    public boolean complete(Completion c) {
        PartitionProgress p = partitions.get(c.lease().partition());
        if (c.lease().isRevoked() || p == null || p.lease != c.lease()) return false;
        Slot slot = p.byOffset.get(c.offset());
        if (slot == null || slot.completion != null) return false;
        slot.completion = c;
        return true;
    }

    /** Finished records with no unfinished record before them, and the offsets that commit them. */
    public Release release() {
        List<Completion> done = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        int rows = 0;
        for (var e : partitions.entrySet()) {
            PartitionProgress p = e.getValue();
            long next = -1;
            while (!p.inOrder.isEmpty() && p.inOrder.peekFirst().completion != null) {
                Slot s = p.inOrder.pollFirst();
                p.byOffset.remove(s.offset);
                done.add(s.completion);
                rows += s.rows;
                next = s.offset + 1;
            }
            if (next >= 0) offsets.put(e.getKey(), new OffsetAndMetadata(next));
        }
        pendingRows -= rows;
        return new Release(done, offsets);
    }

    /** Records the offsets of a successful commit: a later rollback restarts from there. */
    public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, om) -> {
            PartitionProgress p = partitions.get(tp);
            if (p != null) p.restartOffset = om.offset();
        });
    }

    /**
     * Partitions taken away (or given up after a failed commit): their leases are revoked and their
     * pending work forgotten. Returns, for each partition that had seen records, the offset the
     * consumer must seek to in order to consume the forgotten work again.
     */
    public Map<TopicPartition, Long> revoke(Collection<TopicPartition> tps) {
        Map<TopicPartition, Long> restart = new LinkedHashMap<>();
        for (TopicPartition tp : tps) {
            PartitionProgress p = partitions.remove(tp);
            if (p == null) continue;
            p.lease.revoke();
            for (Slot s : p.inOrder) pendingRows -= s.rows;
            if (p.restartOffset >= 0) restart.put(tp, p.restartOffset);
        }
        return restart;
    }

    public Collection<TopicPartition> assigned() {
        return List.copyOf(partitions.keySet());
    }

    /** Decoder rows of records consumed and not yet committed. */
    public int pendingRows() {
        return pendingRows;
    }

    /** Records consumed and not yet released. */
    public int pendingRecords() {
        int n = 0;
        for (PartitionProgress p : partitions.values()) n += p.inOrder.size();
        return n;
    }

    /** Completions ready to release now (cheap check before building a transaction). */
    public boolean hasReleasable() {
        for (PartitionProgress p : partitions.values()) {
            Slot head = p.inOrder.peekFirst();
            if (head != null && head.completion != null) return true;
        }
        return false;
    }

    /** What {@link #release()} hands to the committer. */
    public record Release(List<Completion> completions, Map<TopicPartition, OffsetAndMetadata> offsets) {
        public boolean isEmpty() {
            return completions.isEmpty();
        }
    }

    private static final class PartitionProgress {
        final PartitionLease lease;
        final ArrayDeque<Slot> inOrder = new ArrayDeque<>();
        final Map<Long, Slot> byOffset = new HashMap<>();
        /** Where to seek to redo uncommitted work: last committed offset, else the first consumed. */
        long restartOffset = -1;

        PartitionProgress(PartitionLease lease) {
            this.lease = lease;
        }
    }

    private static final class Slot {
        final long offset;
        final int rows;
        Completion completion;

        Slot(long offset, int rows) {
            this.offset = offset;
            this.rows = rows;
        }
    }
}
