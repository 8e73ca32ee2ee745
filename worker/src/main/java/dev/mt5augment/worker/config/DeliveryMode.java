package dev.mt5augment.worker.config;

import java.util.Locale;

/** How replies and consumed offsets reach Kafka. */
public enum DeliveryMode {
    /** Replies, dead letters and offsets in one Kafka transaction: each request answered exactly once. */
    EXACTLY_ONCE("exactly-once"),
    /** Offsets committed only after the replies are acknowledged: a crash may answer a request twice. */
    AT_LEAST_ONCE("at-least-once");

    private final String flag;

    DeliveryMode(String flag) {
        this.flag = flag;
    }

    public String flag() {
        return flag;
    }

    public static DeliveryMode parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (DeliveryMode m : values()) {
            if (m.flag.equals(v) || m.name().equalsIgnoreCase(v.replace('-', '_'))) return m;
        }
        throw new IllegalArgumentException("delivery must be exactly-once or at-least-once, got '" + value + "'");
    }
}
