package dev.mt5augment.worker.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private static Completion done(PartitionLease lease, long offset) {
        return new Completion(lease, offset, List.of(), null, false);
    }

    @Test
    void aFinishedRecordWaitsForEveryEarlierRecordOfItsPartition() {
        OffsetTracker t = new OffsetTracker();
        PartitionLease lease = t.assign(P0);
        for (long o = 10; o < 14; o++) t.register(lease, o, 2);
        assertEquals(8, t.pendingRows());

        assertTrue(t.complete(done(lease, 12)));
        assertTrue(t.complete(done(lease, 11)));
        assertFalse(t.hasReleasable(), "10 is not finished");
        assertTrue(t.release().isEmpty());

        assertTrue(t.complete(done(lease, 10)));
        OffsetTracker.Release r = t.release();
        assertEquals(List.of(10L, 11L, 12L), r.completions().stream().map(Completion::offset).toList());
        assertEquals(Map.of(P0, new OffsetAndMetadata(13)), r.offsets(), "commit position is after the last released record");
        assertEquals(2, t.pendingRows(), "offset 13 still pending");
        assertEquals(1, t.pendingRecords());
    }

    @Test
    void partitionsReleaseIndependently() {
        OffsetTracker t = new OffsetTracker();
        PartitionLease a = t.assign(P0);
        PartitionLease b = t.assign(P1);
        t.register(a, 0, 1);
        t.register(b, 5, 1);
        t.register(b, 7, 1); // gaps (transaction markers) are fine
        t.complete(done(b, 5));
        t.complete(done(b, 7));
        assertEquals(Map.of(P1, new OffsetAndMetadata(8)), t.release().offsets());
        assertEquals(1, t.pendingRows());
    }

    @Test
    void revokedWorkIsDroppedWhereverItIsAndRestartsFromTheLastCommit() {
        OffsetTracker t = new OffsetTracker();
        PartitionLease lease = t.assign(P0);
        t.register(lease, 100, 1);
        t.register(lease, 101, 1);
        t.complete(done(lease, 100));
        OffsetTracker.Release r = t.release();
        t.committed(r.offsets());
        t.register(lease, 102, 3);

        Map<TopicPartition, Long> restart = t.revoke(List.of(P0));
        assertEquals(Map.of(P0, 101L), restart, "101 was consumed but never committed");
        assertTrue(lease.isRevoked());
        assertEquals(0, t.pendingRows());
        assertFalse(t.complete(done(lease, 101)), "late results of a revoked lease are dropped");

        PartitionLease again = t.assign(P0);
        assertTrue(again != lease, "a new assignment is a new lease");
        assertFalse(again.isRevoked());
    }

    @Test
    void aRollbackRestartsFromTheFirstConsumedOffsetWhenNothingWasCommitted() {
        OffsetTracker t = new OffsetTracker();
        PartitionLease lease = t.assign(P0);
        t.register(lease, 40, 1);
        t.complete(done(lease, 40));
        t.release(); // released, but the commit failed: no committed() call
        assertEquals(Map.of(P0, 40L), t.revoke(List.of(P0)));
    }

    @Test
    void duplicateOrUnknownCompletionsAreIgnored() {
        OffsetTracker t = new OffsetTracker();
        PartitionLease lease = t.assign(P0);
        t.register(lease, 1, 1);
        assertTrue(t.complete(done(lease, 1)));
        assertFalse(t.complete(done(lease, 1)));
        assertFalse(t.complete(done(lease, 2)));
    }
}
