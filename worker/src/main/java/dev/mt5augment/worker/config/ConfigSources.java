package dev.mt5augment.worker.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads worker settings from, in increasing precedence: a properties file, environment variables,
 * command-line flags.
 *
 * <ul>
 *   <li>File ({@code --config FILE}, or env {@code MT5_CONFIG}): {@code max_batch_rows=32},
 *       {@code kafka.security.protocol=SASL_SSL}, {@code prompt.augment=...}.</li>
 *   <li>Environment: {@code MT5_MAX_BATCH_ROWS=32}; {@code MT5_KAFKA_SECURITY_PROTOCOL=SASL_SSL}
 *       becomes {@code kafka.security.protocol} (underscores after {@code KAFKA_} turn into dots);
 *       {@code MT5_PROMPT_TRANSLATE_EN} becomes {@code prompt.translate_en}. Other {@code MT5_}
 *       variables are not settings and are ignored.</li>
 *   <li>Flags: {@code --max-batch-rows 32} or {@code --max-batch-rows=32}; a boolean flag alone
 *       means true ({@code --embedded-kafka}); {@code --kafka.security.protocol=SASL_SSL};
 *       {@code --prompt.augment=...}.</li>
 * </ul>
 * Values stay text here; {@link WorkerConfig} types and checks them.
 */
public final class ConfigSources {
    public static final String ENV_PREFIX = "MT5_";

    private ConfigSources() {
    }

    /** What the command line asked for besides settings. */
    public record Parsed(Map<String, String> settings, boolean help, List<String> positional) {
    }

    public static Parsed parse(String[] args, Map<String, String> env) {
        Map<String, String> flags = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        boolean help = false;
        String configFile = env.get(ENV_PREFIX + "CONFIG");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                help = true;
                continue;
            }
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            String body = a.substring(2);
            String name;
            String value;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                name = body.substring(0, eq);
                value = body.substring(eq + 1);
            } else {
                name = body;
                value = null;
            }
            String key = flagToKey(name);
            if (value == null) {
                boolean isBoolean = WorkerConfig.DEFINITION.configKeys().containsKey(key)
                        && WorkerConfig.DEFINITION.configKeys().get(key).type == ConfigDef.Type.BOOLEAN;
                boolean nextIsValue = i + 1 < args.length && !args[i + 1].startsWith("--");
                if (isBoolean && !(nextIsValue && isBooleanText(args[i + 1]))) {
                    value = "true";
                } else if (nextIsValue) {
                    value = args[++i];
                } else {
                    throw new ConfigException("flag --" + name + " needs a value");
                }
            }
            if (key.equals("config")) configFile = value;
            else flags.put(key, value);
        }
        Map<String, String> all = new LinkedHashMap<>();
        if (configFile != null && !configFile.isBlank()) all.putAll(readFile(Path.of(configFile)));
        all.putAll(fromEnv(env));
        all.putAll(flags);
        return new Parsed(all, help, positional);
    }

    private static boolean isBooleanText(String s) {
        return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false");
    }

    /** {@code --max-batch-rows} → {@code max_batch_rows}; {@code kafka.*} and {@code prompt.*} keep their spelling. */
    static String flagToKey(String flag) {
        if (flag.startsWith(WorkerConfig.KAFKA_PREFIX) || flag.startsWith(WorkerConfig.PROMPT_PREFIX)) return flag;
        return flag.replace('-', '_');
    }

    static Map<String, String> fromEnv(Map<String, String> env) {
        Map<String, String> m = new LinkedHashMap<>();
        for (var e : env.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith(ENV_PREFIX)) continue;
            String rest = k.substring(ENV_PREFIX.length());
            String lower = rest.toLowerCase(Locale.ROOT);
            if (lower.startsWith("kafka_")) {
                m.put(WorkerConfig.KAFKA_PREFIX + lower.substring("kafka_".length()).replace('_', '.'), e.getValue());
            } else if (lower.startsWith("prompt_")) {
                m.put(WorkerConfig.PROMPT_PREFIX + lower.substring("prompt_".length()), e.getValue());
            } else if (WorkerConfig.DEFINITION.names().contains(lower)) {
                m.put(lower, e.getValue());
            }
        }
        return m;
    }

    static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) m.put(name, p.getProperty(name));
        return m;
    }
}
