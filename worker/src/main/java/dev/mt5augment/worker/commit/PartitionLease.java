package dev.mt5augment.worker.commit;

import org.apache.kafka.common.TopicPartition;

/**
 * This worker loop's hold on one assigned partition, from assignment to revocation. Work taken
 * from the partition carries the lease; once the lease is revoked, that work is dropped wherever
 * it is (waiting for a batch, in a batch, finished but uncommitted) and never committed.
 *
 * <p>Threading: revoked by the consumer thread, read by the inference thread (volatile).
 */
public final class PartitionLease {
    private final TopicPartition partition;
    private volatile boolean revoked;

    public PartitionLease(TopicPartition partition) {
        this.partition = partition;
    }

    public TopicPartition partition() {
        return partition;
    }

    public boolean isRevoked() {
        return revoked;
    }

    void revoke() {
        revoked = true;
    }

    @Override
    public String toString() {
        return partition + (revoked ? " (revoked)" : "");
    }
}
