package dev.mt5augment.worker.preflight;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds a program on a {@code PATH}, as a shell would. */
final class Executables {
    private Executables() {
    }

    static Optional<String> find(String name, String path) {
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p.toString());
        }
        return Optional.empty();
    }
}
