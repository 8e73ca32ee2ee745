package dev.mt5augment.client.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A verb's arguments: positionals, {@code --key value} and {@code --key=value}; {@code -} is a
 * positional (standard input), {@code --} ends the options. Options nobody asked for are an error
 * ({@link #rejectUnused()}), so a typo never passes silently.
 */
public final class Arguments {

    private final List<String> positionals = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();

    private Arguments() {
    }

    public static Arguments parse(List<String> argv) {
        Arguments a = new Arguments();
        for (int i = 0; i < argv.size(); i++) {
            String t = argv.get(i);
            if (t.equals("--")) {
                a.positionals.addAll(argv.subList(i + 1, argv.size()));
                break;
            }
            if (t.startsWith("--") && t.length() > 2) {
                String key = t.substring(2);
                int eq = key.indexOf('=');
                String value;
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                } else if (i + 1 < argv.size()) {
                    value = argv.get(++i);
                } else {
                    throw new UsageException("--" + key + " needs a value");
                }
                if (a.options.put(key, value) != null) throw new UsageException("--" + key + " given twice");
            } else {
                a.positionals.add(t);
            }
        }
        return a;
    }

    public List<String> positionals() {
        return positionals;
    }

    /** The only positional, named {@code name} in errors. */
    public String single(String name) {
        if (positionals.isEmpty()) throw new UsageException("missing " + name);
        if (positionals.size() > 1) throw new UsageException("expected one " + name + ", got " + positionals.size() + ": " + positionals);
        return positionals.get(0);
    }

    public String string(String key, String fallback) {
        read.add(key);
        return options.getOrDefault(key, fallback);
    }

    public int integer(String key, int fallback) {
        String v = string(key, null);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects an integer, got '" + v + "'");
        }
    }

    public void rejectUnused() {
        for (String key : options.keySet()) {
            if (!read.contains(key)) throw new UsageException("unknown option --" + key);
        }
    }
}
