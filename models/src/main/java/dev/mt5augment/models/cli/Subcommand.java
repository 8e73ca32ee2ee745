package dev.mt5augment.models.cli;

import java.io.PrintStream;

/** One verb of {@code bin/mt5}. */
public interface Subcommand {

    /** One line for the usage text. */
    String summary();

    /**
     * Runs the verb. Results go to {@code out} (JSON lines where the verb says so), progress and
     * diagnostics to {@code err}.
     *
     * @return the process exit status: 0 success, 2 bad arguments, 1 any other failure
     */
    int run(CommandLineArgs args, PrintStream out, PrintStream err) throws Exception;
}
