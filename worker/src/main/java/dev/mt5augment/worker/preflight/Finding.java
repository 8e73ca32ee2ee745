package dev.mt5augment.worker.preflight;

import java.util.Locale;

/**
 * One line of the machine check: which check, how it went, and (for a problem) what to do.
 *
 * @param severity {@link Severity#FAIL} stops the worker before it loads anything
 * @param check    short name of the check: {@code gpu}, {@code natives}, {@code model}, ...
 * @param message  one line, written for the person starting the worker
 */
public record Finding(Severity severity, String check, String message) {

    /** How a check went. */
    public enum Severity {
        /** Fine as it is. */
        OK,
        /** The worker can run, but probably not as intended. */
        WARN,
        /** The worker would fail or misbehave: it does not start. */
        FAIL
    }

    public Finding {
        // One problem, one line: a multi-line message would break that promise and grep.
        message = message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        if (message.length() > MAX_MESSAGE) message = message.substring(0, MAX_MESSAGE - 1) + "…";
    }

    /** A folder listing inside a message (hundreds of file names) is cut here. */
    static final int MAX_MESSAGE = 400;

    public static Finding ok(String check, String message) {
        return new Finding(Severity.OK, check, message);
    }

    public static Finding warn(String check, String message) {
        return new Finding(Severity.WARN, check, message);
    }

    public static Finding fail(String check, String message) {
        return new Finding(Severity.FAIL, check, message);
    }

    /** {@code preflight: FAIL model    /models/x has no config.json} */
    public String line() {
        return String.format(Locale.ROOT, "preflight: %-4s %-8s %s", severity, check, message);
    }
}
