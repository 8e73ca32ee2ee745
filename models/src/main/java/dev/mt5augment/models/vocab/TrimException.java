package dev.mt5augment.models.vocab;

/**
 * Vocabulary trimming refused its input or could not write its output. The message names the file
 * and, where it applies, the line, field or id.
 */
public class TrimException extends RuntimeException {
    public TrimException(String message) {
        super(message);
    }

    public TrimException(String message, Throwable cause) {
        super(message, cause);
    }
}
