package dev.mt5augment.models.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GNU-style arguments: positionals, {@code --flag}, {@code --key value} and {@code --key=value};
 * a key given several times keeps every value in order ({@code --text a --text b}).
 * Unknown or unread options are an error the caller reports with {@link #rejectUnused()}.
 */
public final class CommandLineArgs {

    private final List<String> positionals = new ArrayList<>();
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final java.util.Set<String> read = new java.util.HashSet<>();

    private CommandLineArgs() {
    }

    /**
     * Parses {@code argv}. An option takes the next token as its value unless it is listed in
     * {@code booleanFlags} or the next token starts with {@code --}.
     */
    public static CommandLineArgs parse(String[] argv, java.util.Set<String> booleanFlags) {
        CommandLineArgs a = new CommandLineArgs();
        for (int i = 0; i < argv.length; i++) {
            String t = argv[i];
            if (t.equals("--")) {
                for (int j = i + 1; j < argv.length; j++) a.positionals.add(argv[j]);
                break;
            }
            if (t.startsWith("--") && t.length() > 2) {
                String key = t.substring(2);
                String value;
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                } else if (booleanFlags.contains(key) || i + 1 >= argv.length || argv[i + 1].startsWith("--")) {
                    value = "true";
                } else {
                    value = argv[++i];
                }
                a.options.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            } else {
                a.positionals.add(t);
            }
        }
        return a;
    }

    public List<String> positionals() {
        return positionals;
    }

    /** The positional at {@code index}, or a {@link UsageException} naming it. */
    public String positional(int index, String name) {
        if (index >= positionals.size()) throw new UsageException("missing argument " + name);
        return positionals.get(index);
    }

    public boolean flag(String key) {
        read.add(key);
        List<String> v = options.get(key);
        return v != null && !v.get(v.size() - 1).equals("false");
    }

    public List<String> all(String key) {
        read.add(key);
        return options.getOrDefault(key, List.of());
    }

    public String string(String key, String fallback) {
        read.add(key);
        List<String> v = options.get(key);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    public int integer(String key, int fallback) {
        String s = string(key, null);
        if (s == null) return fallback;
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects an integer, got '" + s + "'");
        }
    }

    public long longValue(String key, long fallback) {
        String s = string(key, null);
        if (s == null) return fallback;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects an integer, got '" + s + "'");
        }
    }

    public float floatValue(String key, float fallback) {
        String s = string(key, null);
        if (s == null) return fallback;
        try {
            return Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects a number, got '" + s + "'");
        }
    }

    /** Fails on options that no getter asked for, so a typo is never silently ignored. */
    public void rejectUnused() {
        for (String key : options.keySet()) {
            if (!read.contains(key)) throw new UsageException("unknown option --" + key);
        }
    }

    /** Bad command-line arguments; reported with exit status 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
