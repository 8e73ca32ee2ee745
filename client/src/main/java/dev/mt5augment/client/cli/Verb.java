package dev.mt5augment.client.cli;

import java.io.IOException;
import java.util.Set;

/**
 * One verb of {@code bin/augment} ({@code validate}, later {@code run}): a class of its own,
 * registered with one line in {@link AugmentCommand}.
 */
public interface Verb {

    /** One line for the usage text, e.g. {@code "validate FILE|-   check JSON-lines requests"}. */
    String synopsis();

    /** Options of this verb that take no value ({@code --split}); see {@link Arguments#parse(java.util.List, Set)}. */
    default Set<String> flags() {
        return Set.of();
    }

    /**
     * Runs the verb.
     *
     * @return the exit status ({@link ExitStatus})
     * @throws UsageException on bad arguments (exit status 2)
     * @throws IOException    when the input cannot be read (exit status 2)
     */
    int run(Arguments args, Console console) throws IOException;
}
