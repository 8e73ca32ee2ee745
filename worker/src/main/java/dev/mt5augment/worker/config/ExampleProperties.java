package dev.mt5augment.worker.config;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/**
 * A {@code worker.properties} with every setting of {@link WorkerConfig#DEFINITION} commented out at
 * its default, grouped and explained as in {@code bin/worker --help}. The offline bundle ships it as
 * {@code config/worker.properties}, generated from the worker it ships, so it cannot drift.
 *
 * <p>{@code java -cp ... dev.mt5augment.worker.config.ExampleProperties [FILE]} writes it to FILE
 * or stdout.
 */
public final class ExampleProperties {
    private ExampleProperties() {
    }

    public static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# mt5-augment worker settings: every setting at its default, commented out.\n")
                .append("# Generated from the worker's settings table (bin/worker --help prints the same).\n")
                .append("#\n")
                .append("# Use:        bin/worker --config config/worker.properties   (or MT5_CONFIG=config/worker.properties)\n")
                .append("# Precedence: --flags, then MT5_* environment variables, then this file.\n")
                .append("# Uncomment and change what you need. Values are Java properties: a backslash is written \\\\.\n");
        String group = null;
        for (ConfigDef.ConfigKey key : WorkerConfig.DEFINITION.configKeys().values()) {
            if (!key.group.equals(group)) {
                group = key.group;
                sb.append("\n# ===== ").append(group).append(" =====\n");
            }
            sb.append("\n# ").append(key.documentation).append('\n')
                    .append("# (").append(key.type.name().toLowerCase(Locale.ROOT)).append("; flag --")
                    .append(key.name.replace('_', '-')).append(", env ").append(ConfigSources.ENV_PREFIX)
                    .append(key.name.toUpperCase(Locale.ROOT)).append(")\n")
                    .append('#').append(key.name).append('=').append(escape(key.defaultValue == null ? "" : String.valueOf(key.defaultValue)))
                    .append('\n');
        }
        sb.append("""

                # ===== Kafka clients =====

                # Any Kafka client setting, prefixed with kafka., goes to every consumer, producer and admin client
                # of the worker (security, timeouts...). For example SASL over TLS:
                #kafka.security.protocol=SASL_SSL
                #kafka.sasl.mechanism=SCRAM-SHA-512
                #kafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="worker" password="...";
                #kafka.ssl.truststore.location=/etc/kafka/truststore.jks

                # ===== Prompts =====

                # prompt.<task> overrides a task's prompt template (see the README's Prompts section).
                """);
        return sb.toString();
    }

    /** A properties value: backslashes doubled, a leading space kept, line breaks escaped. */
    static String escape(String value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case ' ' -> sb.append(i == 0 ? "\\ " : " ");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.out.print(render());
            return;
        }
        try (Writer w = Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8)) {
            w.write(render());
        }
    }
}
