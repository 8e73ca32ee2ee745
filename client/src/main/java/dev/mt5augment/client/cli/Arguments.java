package dev.mt5augment.client.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A verb's arguments: positionals, {@code --key value} and {@code --key=value}; {@code -} is a
 * positional (standard input), {@code --} ends the options. Flags the verb declares take no value
 * ({@code --split}). Options nobody asked for are an error ({@link #rejectUnused()}), so a typo
 * never passes silently.
 */
public final class Arguments {

    private final List<String> positionals = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();

    private Arguments() {
    }

    public static Arguments parse(List<String> argv) {
        return parse(argv, Set.of());
    }

    /** Parses with the given flag names (options without a value; {@code --flag=false} also works). */
    public static Arguments parse(List<String> argv, Set<String> flags) {
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
                } else if (flags.contains(key)) {
                    value = "true";
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

    public long longValue(String key, long fallback) {
        String v = string(key, null);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects an integer, got '" + v + "'");
        }
    }

    /** A number, or {@code null} when absent. */
    public Double decimal(String key) {
        String v = string(key, null);
        if (v == null) return null;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects a number, got '" + v + "'");
        }
    }

    /** An integer, or {@code null} when absent. */
    public Long optionalLong(String key) {
        return string(key, null) == null ? null : longValue(key, 0);
    }

    /** A declared flag: true when given (or {@code --flag=true}). */
    public boolean flag(String key) {
        String v = string(key, "false");
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw new UsageException("--" + key + " takes no value (or =true / =false), got '" + v + "'");
    }

    /** Every option whose name starts with {@code prefix}, the prefix removed ({@code --kafka.acks=all} → {@code acks}). */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                read.add(k);
                m.put(k.substring(prefix.length()), v);
            }
        });
        return m;
    }

    public void rejectUnused() {
        for (String key : options.keySet()) {
            if (!read.contains(key)) throw new UsageException("unknown option --" + key);
        }
    }
}
