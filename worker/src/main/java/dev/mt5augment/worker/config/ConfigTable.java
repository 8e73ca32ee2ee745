package dev.mt5augment.worker.config;

import org.apache.kafka.common.config.ConfigDef;

/** Renders {@link WorkerConfig#DEFINITION} as the Markdown table shown by {@code --help} and in the README. */
public final class ConfigTable {
    private ConfigTable() {
    }

    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        String group = null;
        for (ConfigDef.ConfigKey key : WorkerConfig.DEFINITION.configKeys().values()) {
            if (!key.group.equals(group)) {
                group = key.group;
                sb.append("\n**").append(group).append("**\n\n");
                sb.append("| setting | flag / env | type | default | meaning |\n|---|---|---|---|---|\n");
            }
            sb.append("| `").append(key.name).append("` | `--").append(key.name.replace('_', '-'))
                    .append("` `").append(ConfigSources.ENV_PREFIX).append(key.name.toUpperCase(java.util.Locale.ROOT))
                    .append("` | ").append(key.type.name().toLowerCase(java.util.Locale.ROOT))
                    .append(" | ").append(defaultText(key))
                    .append(" | ").append(key.documentation.replace("|", "\\|")).append(" |\n");
        }
        sb.append("\nAny `kafka.<client setting>` (flag `--kafka.<setting>=..`, env `MT5_KAFKA_<SETTING>` with dots as underscores) ")
                .append("goes straight to every Kafka client; `prompt.<task>` overrides a task's prompt template.\n");
        return sb.toString();
    }

    private static String defaultText(ConfigDef.ConfigKey key) {
        Object v = key.defaultValue;
        if (v == null) return "(required)";
        String s = String.valueOf(v);
        return s.isEmpty() ? "(empty)" : "`" + s.replace("|", "\\|") + "`";
    }
}
