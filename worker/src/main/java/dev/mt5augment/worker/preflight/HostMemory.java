package dev.mt5augment.worker.preflight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Memory this process may still use: the kernel's {@code MemAvailable}, capped by the container's
 * cgroup limit (in a container {@code /proc/meminfo} shows the host's memory).
 */
final class HostMemory {
    private HostMemory() {
    }

    static OptionalLong availableBytes() {
        OptionalLong host = memAvailable(Path.of("/proc/meminfo"));
        OptionalLong cgroup = cgroupHeadroom();
        if (host.isEmpty()) return cgroup;
        if (cgroup.isEmpty()) return host;
        return OptionalLong.of(Math.min(host.getAsLong(), cgroup.getAsLong()));
    }

    static OptionalLong memAvailable(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    String kb = line.substring("MemAvailable:".length()).replace("kB", "").strip();
                    return OptionalLong.of(Long.parseLong(kb) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format: no figure
        }
        return OptionalLong.empty();
    }

    /** cgroup v2 {@code memory.max - memory.current}, or v1 {@code limit - usage}; empty when unlimited. */
    private static OptionalLong cgroupHeadroom() {
        OptionalLong v2 = headroom(Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory.current"));
        if (v2.isPresent()) return v2;
        return headroom(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"), Path.of("/sys/fs/cgroup/memory/memory.usage_in_bytes"));
    }

    private static OptionalLong headroom(Path limitFile, Path usageFile) {
        try {
            String limit = Files.readString(limitFile).strip();
            if (!limit.matches("\\d+")) return OptionalLong.empty();
            long max = Long.parseLong(limit);
            if (max >= Long.MAX_VALUE / 2) return OptionalLong.empty(); // v1 "unlimited" is a huge number
            long used = Files.isRegularFile(usageFile) ? Long.parseLong(Files.readString(usageFile).strip()) : 0;
            return OptionalLong.of(Math.max(0, max - used));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
