package dev.mt5augment.client.cli;

import dev.mt5augment.client.run.RunCommand;
import dev.mt5augment.client.validate.ValidateCommand;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code bin/augment VERB ...}: the producer's command line. Exit statuses: {@link ExitStatus}. */
public final class AugmentCommand {

    private static final Map<String, Supplier<Verb>> VERBS = new LinkedHashMap<>();

    static {
        // Each verb registers here, one line each.
        VERBS.put("validate", ValidateCommand::new);
        VERBS.put("run", RunCommand::new);
    }

    private AugmentCommand() {
    }

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv), Console.system()));
    }

    /** Runs one command line; returns the exit status instead of exiting, for tests. */
    public static int run(List<String> argv, Console console) {
        if (argv.isEmpty()) {
            console.err().print(usage());
            return ExitStatus.USAGE;
        }
        String name = argv.get(0);
        if (name.equals("help") || name.equals("--help") || name.equals("-h")) {
            console.err().print(usage());
            return ExitStatus.OK;
        }
        Supplier<Verb> factory = VERBS.get(name);
        if (factory == null) {
            console.err().println("augment: unknown verb '" + name + "'");
            console.err().print(usage());
            return ExitStatus.USAGE;
        }
        Verb verb = factory.get();
        try {
            return verb.run(Arguments.parse(argv.subList(1, argv.size()), verb.flags()), console);
        } catch (UsageException e) {
            console.err().println("augment " + name + ": " + e.getMessage());
            console.err().println("usage: augment " + verb.synopsis());
            return ExitStatus.USAGE;
        } catch (IOException e) {
            console.err().println("augment " + name + ": " + e.getMessage());
            return ExitStatus.USAGE;
        }
    }

    static String usage() {
        StringBuilder sb = new StringBuilder("usage: augment VERB [OPTIONS]\n\nverbs:\n");
        VERBS.values().forEach(v -> sb.append("  ").append(v.get().synopsis()).append('\n'));
        sb.append("\nexit status: 0 all valid / answered, 1 some input invalid or failed, 2 usage error\n");
        return sb.toString();
    }
}
