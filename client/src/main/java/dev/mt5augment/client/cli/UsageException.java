package dev.mt5augment.client.cli;

/** Bad command-line arguments; reported with exit status {@link ExitStatus#USAGE}. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
