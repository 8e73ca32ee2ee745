package dev.mt5augment.client.cli;

/** Exit statuses of {@code bin/augment}, the same for every verb. */
public final class ExitStatus {

    /** Everything was valid / done. */
    public static final int OK = 0;
    /** The command ran, and some input was invalid or failed. */
    public static final int INVALID = 1;
    /** Bad arguments, or an input that cannot be read at all. */
    public static final int USAGE = 2;

    private ExitStatus() {
    }
}
