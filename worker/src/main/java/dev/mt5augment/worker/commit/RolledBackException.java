package dev.mt5augment.worker.commit;

/**
 * A commit did not happen (the transaction was aborted, or a send or offset commit failed for
 * good): the released work must be consumed and done again. Nothing was lost; in at-least-once
 * mode some replies may have been published already and will be published again.
 */
public class RolledBackException extends Exception {
    public RolledBackException(String message, Throwable cause) {
        super(message, cause);
    }
}
