package dev.mt5augment.models.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * This process's resident memory as Linux reports it in {@code /proc/self/status}: file-backed pages
 * of mapped weights count, like the heap and the engine's own allocations. Empty elsewhere.
 */
public final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {
    }

    /** {@code VmHWM}: the peak resident set so far, in bytes. */
    public static OptionalLong peakBytes() {
        return field("VmHWM:");
    }

    /** {@code VmRSS}: the resident set now, in bytes. */
    public static OptionalLong currentBytes() {
        return field("VmRSS:");
    }

    private static OptionalLong field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024); // reported in kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc hidden: no figure rather than a wrong one.
        }
        return OptionalLong.empty();
    }
}
