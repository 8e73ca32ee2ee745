package dev.mt5augment.models.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** {@code bin/mt5 VERB ...}: the models module's command line. */
public final class Mt5Command {

    /** Options that never take a value. */
    static final Set<String> BOOLEAN_FLAGS = Set.of("no-early-stopping", "no-profile", "keep-ascii", "help", "json", "load");

    private static final Map<String, Supplier<Subcommand>> VERBS = new LinkedHashMap<>();

    static {
        // Each verb registers here, one line each.
        VERBS.put("inspect", InspectCommand::new);
        VERBS.put("tokenize", TokenizeCommand::new);
        VERBS.put("convert", ConvertCommand::new);
        VERBS.put("random", RandomCommand::new);
        VERBS.put("generate", GenerateCommand::new);
        VERBS.put("bench", BenchCommand::new);
        VERBS.put("bench-batching", BatchingBenchCommand::new);
        VERBS.put("trim-vocab", TrimVocabCommand::new);
    }

    private Mt5Command() {
    }

    public static void main(String[] argv) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.exit(run(argv, System.out, System.err));
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("help")) {
            usage(err);
            return argv.length == 0 ? 2 : 0;
        }
        Supplier<Subcommand> verb = VERBS.get(argv[0]);
        if (verb == null) {
            err.println("mt5: unknown command '" + argv[0] + "'");
            usage(err);
            return 2;
        }
        try {
            CommandLineArgs args = CommandLineArgs.parse(Arrays.copyOfRange(argv, 1, argv.length), BOOLEAN_FLAGS);
            return verb.get().run(args, out, err);
        } catch (CommandLineArgs.UsageException e) {
            err.println("mt5 " + argv[0] + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("mt5 " + argv[0] + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    private static void usage(PrintStream err) {
        err.println("usage: bin/mt5 VERB [ARGS]");
        VERBS.forEach((name, verb) -> err.printf("  %-10s %s%n", name, verb.get().summary()));
    }
}
