package dev.mt5augment.worker.preflight;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where DJL puts the native libraries it extracts from its jars (about 450 MB for PyTorch on
 * linux-x86_64): {@code ENGINE_CACHE_DIR}, else {@code DJL_CACHE_DIR}, else {@code ~/.djl.ai}
 * (system properties of the same names win over the environment, as in DJL).
 */
final class DjlCache {
    private DjlCache() {
    }

    static Path engineDir(Map<String, String> env) {
        String engine = setting("ENGINE_CACHE_DIR", env);
        if (engine != null) return Path.of(engine);
        String cache = setting("DJL_CACHE_DIR", env);
        if (cache != null) return Path.of(cache);
        return Path.of(System.getProperty("user.home"), ".djl.ai");
    }

    private static String setting(String name, Map<String, String> env) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
