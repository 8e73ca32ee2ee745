package dev.mt5augment.worker.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared fixtures, located by surefire's {@code mt5.fixtures} property (never copied). */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path tinyMt5() {
        String root = System.getProperty("mt5.fixtures");
        if (root == null) throw new IllegalStateException("system property mt5.fixtures is not set (run through Maven)");
        Path p = Path.of(root, "tiny-mt5");
        if (!Files.isDirectory(p)) throw new IllegalStateException("fixture folder missing: " + p);
        return p;
    }
}
