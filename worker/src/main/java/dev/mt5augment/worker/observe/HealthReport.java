package dev.mt5augment.worker.observe;

import java.util.List;

/**
 * The worker's health: up when every loop is running (or starting, or stopping cleanly) with its
 * device's circuit breaker closed.
 */
public record HealthReport(List<LoopHealth> loops) {
    public HealthReport {
        loops = List.copyOf(loops);
    }

    /**
     * @param device  engine device
     * @param state   the loop's state
     * @param breaker the device circuit breaker's state
     * @param failure why the loop failed, or null
     */
    public record LoopHealth(String device, String state, String breaker, boolean healthy, String failure) {
    }

    public boolean up() {
        return !loops.isEmpty() && loops.stream().allMatch(LoopHealth::healthy);
    }

    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"status\":\"").append(up() ? "UP" : "DOWN").append("\",\"loops\":[");
        for (int i = 0; i < loops.size(); i++) {
            LoopHealth l = loops.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"device\":").append(quote(l.device()))
                    .append(",\"state\":").append(quote(l.state()))
                    .append(",\"breaker\":").append(quote(l.breaker()))
                    .append(",\"healthy\":").append(l.healthy())
                    .append(",\"failure\":").append(l.failure() == null ? "null" : quote(l.failure()))
                    .append('}');
        }
        return sb.append("]}").toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}
