package dev.mt5augment.worker.preflight;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Which PyTorch native libraries DJL will load, and whether it can load them offline: the CPU
 * natives of the {@code pytorch-native-cpu} jar, or a local libtorch named by
 * {@code PYTORCH_LIBRARY_PATH} (how a CUDA libtorch gets in: Maven Central has none for PyTorch
 * 2.7.1). Every problem found here would otherwise surface as a download attempt, a JNI error or a
 * worker quietly running on the CPU.
 *
 * <p>What DJL 0.36 does, verified on this stack: with {@code PYTORCH_LIBRARY_PATH} it loads
 * {@code libtorch.so} from that folder and picks its JNI library {@code jnilib/<os>/<PYTORCH_FLAVOR>/}
 * from the {@code pytorch-jni} jar, which carries only the flavors {@code cpu} and {@code cu128}; an
 * unset flavor means {@code cpu-precxx11}, which is not there, and the engine fails to start.
 */
final class TorchNativesCheck {
    static final String NAME = "natives";

    static final String LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";
    static final String FLAVOR = "PYTORCH_FLAVOR";
    static final String VERSION = "PYTORCH_VERSION";

    /** Flavors asked about when listing what the JNI jar carries. */
    private static final List<String> KNOWN_FLAVORS = List.of("cpu", "cu118", "cu121", "cu124", "cu126", "cu128", "cu129", "cu130");

    private final Map<String, String> env;
    private final ClassLoader classes;
    private final String classifier;

    /**
     * @param env     the process environment (DJL reads the same variables)
     * @param classes where the engine's jars are (the worker's own class loader)
     */
    TorchNativesCheck(Map<String, String> env, ClassLoader classes) {
        this(env, classes, classifier());
    }

    TorchNativesCheck(Map<String, String> env, ClassLoader classes, String classifier) {
        this.env = env;
        this.classes = classes;
        this.classifier = classifier;
    }

    /** @param usesGpu whether a worker loop will run on a GPU */
    List<Finding> run(boolean usesGpu) {
        List<Finding> out = new ArrayList<>();
        String engineVersion = engineTorchVersion().orElse("2.7.1");
        String override = env.get(LIBRARY_PATH);
        if (override != null && !override.isBlank()) {
            checkOverride(override, engineVersion, usesGpu, out);
        } else {
            checkClasspathNatives(engineVersion, usesGpu, out);
        }
        String offline = System.getProperty("ai.djl.offline", env.get("DJL_OFFLINE"));
        if (offline != null && offline.equalsIgnoreCase("false")) {
            out.add(Finding.warn(NAME, "DJL offline mode is switched off (ai.djl.offline / DJL_OFFLINE = false):"
                    + " the engine may try the network at start"));
        }
        return out;
    }

    private void checkOverride(String override, String engineVersion, boolean usesGpu, List<Finding> out) {
        Optional<Path> dir = libtorchDir(override);
        if (dir.isEmpty()) {
            out.add(Finding.fail(NAME, LIBRARY_PATH + "=" + override + " holds no libtorch.so: DJL would ignore it and"
                    + " use the CPU natives of the classpath. Point it at the lib/ folder of an unpacked libtorch "
                    + engineVersion));
            return;
        }
        Path lib = dir.get();
        boolean cuda = Files.isRegularFile(lib.resolve("libtorch_cuda.so"));
        String flavor = env.get(FLAVOR);
        int before = out.size();
        if (flavor == null || flavor.isBlank()) {
            out.add(Finding.fail(NAME, FLAVOR + " is not set: with " + LIBRARY_PATH + " DJL needs it to pick its JNI"
                    + " library (unset means cpu-precxx11, which the engine does not carry). Set " + FLAVOR + "="
                    + (cuda ? "cu128" : "cpu") + "; available: " + String.join(", ", jniFlavors())));
        } else if (!hasJni(flavor)) {
            out.add(Finding.fail(NAME, FLAVOR + "=" + flavor + ": the engine's JNI library (pytorch-jni "
                    + engineVersion + ") exists only for " + String.join(", ", jniFlavors()) + " on " + classifier
                    + "; use a libtorch " + engineVersion + " of one of those flavors"));
        } else if (flavor.startsWith("cu") && !cuda) {
            out.add(Finding.fail(NAME, FLAVOR + "=" + flavor + " but " + lib + " has no libtorch_cuda.so: it is a CPU"
                    + " libtorch. Unpack the CUDA build (libtorch-cxx11-abi-shared-with-deps-" + engineVersion + "+" + flavor + ")"));
        } else if (flavor.startsWith("cpu") && cuda) {
            out.add(Finding.warn(NAME, FLAVOR + "=" + flavor + " with a CUDA libtorch at " + lib
                    + ": set " + FLAVOR + "=cu128 to use its GPU support"));
        }
        String version = env.get(VERSION);
        if (version != null && !version.isBlank() && !version.strip().equals(engineVersion)) {
            out.add(Finding.fail(NAME, VERSION + "=" + version + " but the engine is built for PyTorch " + engineVersion
                    + ": DJL would look for (download) another JNI library. Set " + VERSION + "=" + engineVersion));
        }
        Optional<String> built = buildVersion(lib);
        if (built.isPresent() && !built.get().startsWith(engineVersion)) {
            out.add(Finding.fail(NAME, "libtorch at " + lib + " is " + built.get() + " but the engine needs "
                    + engineVersion + " (pytorch-jni " + engineVersion + ")"));
        }
        if (usesGpu && !cuda) {
            out.add(Finding.fail(NAME, "GPU worker loops asked for, but the libtorch at " + lib + " is CPU-only"
                    + " (no libtorch_cuda.so): use a CUDA libtorch " + engineVersion + " with " + FLAVOR
                    + "=cu128, or pass --cpu-only"));
        }
        if (out.size() == before) {
            out.add(Finding.ok(NAME, "libtorch " + built.orElse(engineVersion) + " (" + (cuda ? "CUDA" : "CPU")
                    + ") from " + LIBRARY_PATH + "=" + lib + ", JNI flavor " + flavor));
        }
    }

    private void checkClasspathNatives(String engineVersion, boolean usesGpu, List<Finding> out) {
        Optional<Properties> jar = properties("native/lib/pytorch.properties");
        if (jar.isEmpty()) {
            out.add(Finding.fail(NAME, "no PyTorch natives: the pytorch-native-cpu jar is not on the classpath and "
                    + LIBRARY_PATH + " is unset, so DJL would try to download them. Rebuild, or set "
                    + LIBRARY_PATH + " and " + FLAVOR));
            return;
        }
        String flavor = jar.get().getProperty("flavor", "?");
        String version = jar.get().getProperty("version", "?");
        if (usesGpu && !flavor.startsWith("cu")) {
            out.add(Finding.fail(NAME, "GPU worker loops asked for, but the PyTorch natives are the CPU build from the"
                    + " classpath (pytorch-native-" + flavor + " " + version + "). Maven Central has no CUDA natives"
                    + " for PyTorch " + engineVersion + ": unpack libtorch " + engineVersion + "+cu128 and set "
                    + LIBRARY_PATH + "=<libtorch>/lib " + FLAVOR + "=cu128 " + VERSION + "=" + engineVersion
                    + " (the CUDA image and the offline bundle's --libtorch do this), or pass --cpu-only"));
            return;
        }
        out.add(Finding.ok(NAME, "libtorch " + version + " (" + flavor + ") from the classpath jar; extracted into "
                + DjlCache.engineDir(env) + " on first use"));
    }

    /** The first folder of the path list that holds {@code libtorch.so} (as DJL searches it). */
    static Optional<Path> libtorchDir(String pathList) {
        for (String entry : pathList.split(File.pathSeparator)) {
            if (entry.isBlank()) continue;
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && p.getFileName().toString().equals("libtorch.so")) return Optional.of(p.getParent());
            if (Files.isRegularFile(p.resolve("libtorch.so"))) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** libtorch archives carry {@code build-version} ({@code 2.7.1+cu128}) next to {@code lib/}. */
    static Optional<String> buildVersion(Path lib) {
        for (Path candidate : new Path[] {lib.resolve("build-version"), lib.resolveSibling("build-version")}) {
            try {
                if (Files.isRegularFile(candidate)) return Optional.of(Files.readString(candidate, StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    boolean hasJni(String flavor) {
        return classes.getResource("jnilib/" + classifier + "/" + flavor + "/libdjl_torch.so") != null;
    }

    List<String> jniFlavors() {
        List<String> found = KNOWN_FLAVORS.stream().filter(this::hasJni).toList();
        return found.isEmpty() ? List.of("(none: pytorch-jni is not on the classpath)") : found;
    }

    private Optional<String> engineTorchVersion() {
        return properties("pytorch-engine.properties").map(p -> p.getProperty("pytorch_version"));
    }

    private Optional<Properties> properties(String resource) {
        try (InputStream in = classes.getResourceAsStream(resource)) {
            if (in == null) return Optional.empty();
            Properties p = new Properties();
            p.load(in);
            return Optional.of(p);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String classifier() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        String prefix = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os.startsWith("win") ? "win" : os;
        return prefix + "-" + (arch.equals("amd64") ? "x86_64" : arch);
    }
}
