package dev.mt5augment.worker.preflight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Folders the worker writes: the log folder, DJL's native cache (the PyTorch natives are extracted
 * there on first use, about 450 MB) and the embedded broker's data folder. Each must be writable,
 * or be creatable under a writable parent.
 */
final class DiskCheck {
    static final String NAME = "disk";

    /** Free space below which the first extraction of the natives may fail. */
    static final long NATIVES_SPACE = 1L << 30;
    static final long LOG_SPACE = 100L << 20;

    private DiskCheck() {
    }

    /**
     * @param logDir      the {@code log_dir} setting
     * @param djlCache    DJL's engine cache folder
     * @param kafkaDir    the embedded broker's data folder, or {@code null}
     */
    static List<Finding> run(Path logDir, Path djlCache, Path kafkaDir) {
        List<Finding> out = new ArrayList<>();
        Path logs = logDir.toAbsolutePath().normalize();
        if (!writable(logs)) {
            out.add(Finding.fail(NAME, "log folder " + logs + " is not writable (log_dir): pick another with --log-dir DIR"));
        } else if (free(logs) < LOG_SPACE) {
            out.add(Finding.warn(NAME, "log folder " + logs + " has only " + ModelFolderCheck.size(free(logs)) + " free"));
        }
        Path cache = djlCache.toAbsolutePath().normalize();
        boolean extracted = Files.isDirectory(cache.resolve("pytorch"));
        if (!writable(cache) && !extracted) {
            out.add(Finding.fail(NAME, "DJL cache " + cache + " is not writable and holds no extracted natives:"
                    + " set DJL_CACHE_DIR to a writable folder"));
        } else if (!extracted && free(cache) < NATIVES_SPACE) {
            out.add(Finding.warn(NAME, "DJL cache " + cache + " has " + ModelFolderCheck.size(free(cache))
                    + " free; the first start extracts about 450 MB of PyTorch natives there"));
        }
        if (kafkaDir != null) {
            Path data = kafkaDir.toAbsolutePath().normalize();
            if (!writable(data)) {
                out.add(Finding.fail(NAME, "embedded broker folder " + data + " is not writable (embedded_kafka_dir)"));
            }
        }
        if (out.isEmpty()) {
            out.add(Finding.ok(NAME, "logs " + logs + " (" + ModelFolderCheck.size(free(logs)) + " free); DJL cache "
                    + cache + (extracted ? " (natives extracted)" : " (" + ModelFolderCheck.size(free(cache)) + " free)")));
        }
        return out;
    }

    /** An existing writable folder, or a missing one whose nearest existing parent is a writable folder. */
    static boolean writable(Path dir) {
        if (Files.exists(dir)) return Files.isDirectory(dir) && Files.isWritable(dir);
        Path p = dir.getParent();
        while (p != null && !Files.exists(p)) p = p.getParent();
        return p != null && Files.isDirectory(p) && Files.isWritable(p);
    }

    private static long free(Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p)) p = p.getParent();
        try {
            return p == null ? 0 : Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }
}
