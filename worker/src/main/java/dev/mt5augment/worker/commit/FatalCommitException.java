package dev.mt5augment.worker.commit;

/**
 * The producer cannot continue (fenced by a newer instance with the same transactional id, not
 * authorised, or the cluster lacks a feature): the worker loop stops and reports unhealthy. The
 * uncommitted work is re-delivered to whoever owns the partitions next.
 */
public class FatalCommitException extends RuntimeException {
    public FatalCommitException(String message, Throwable cause) {
        super(message, cause);
    }
}
