package dev.mt5augment.worker.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The natives check against the real DJL jars of the test classpath (pytorch-native-cpu,
 * pytorch-jni 2.7.1-0.36.0) and libtorch folders laid out in a temp folder. What each failing
 * case would have done instead was verified by hand: no flavor or cu126 fail with "Cannot copy jni
 * files", cpu + 2.7.1 with a real libtorch runs offline.
 */
class TorchNativesCheckTest {
    private static final ClassLoader CLASSES = TorchNativesCheckTest.class.getClassLoader();

    private static List<Finding> check(Map<String, String> env, boolean gpu) {
        return new TorchNativesCheck(env, CLASSES, "linux-x86_64").run(gpu);
    }

    private static Finding only(List<Finding> findings) {
        assertEquals(1, findings.size(), findings.toString());
        return findings.get(0);
    }

    /** A libtorch folder as the archives unpack: {@code libtorch/lib/*.so} and {@code libtorch/build-version}. */
    private static Path libtorch(Path root, String buildVersion, boolean cuda) throws IOException {
        Path lib = Files.createDirectories(root.resolve("libtorch/lib"));
        Files.writeString(lib.resolve("libtorch.so"), "");
        if (cuda) Files.writeString(lib.resolve("libtorch_cuda.so"), "");
        Files.writeString(root.resolve("libtorch/build-version"), buildVersion + "\n");
        return lib;
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void theClasspathCpuNativesServeTheCpu() {
        Finding f = only(check(env(), false));
        assertEquals(Finding.Severity.OK, f.severity(), f.line());
        assertTrue(f.message().contains("(cpu) from the classpath jar"), f.message());
    }

    @Test
    void gpuLoopsWithTheClasspathCpuNativesFail() {
        Finding f = only(check(env(), true));
        assertEquals(Finding.Severity.FAIL, f.severity());
        assertTrue(f.message().contains("PYTORCH_LIBRARY_PATH") && f.message().contains("cu128") && f.message().contains("--cpu-only"), f.message());
    }

    @Test
    void theJniJarCarriesCpuAndCu128Only() {
        TorchNativesCheck c = new TorchNativesCheck(Map.of(), CLASSES, "linux-x86_64");
        assertEquals(List.of("cpu", "cu128"), c.jniFlavors());
    }

    @Test
    void aLibraryPathWithoutLibtorchFails(@TempDir Path tmp) {
        Finding f = only(check(env("PYTORCH_LIBRARY_PATH", tmp.toString(), "PYTORCH_FLAVOR", "cpu"), false));
        assertEquals(Finding.Severity.FAIL, f.severity());
        assertTrue(f.message().contains("holds no libtorch.so"), f.message());
    }

    @Test
    void aLibraryPathWithoutFlavorFails(@TempDir Path tmp) throws IOException {
        Path lib = libtorch(tmp, "2.7.1+cu128", true);
        Finding f = only(check(env("PYTORCH_LIBRARY_PATH", lib.toString()), true));
        assertEquals(Finding.Severity.FAIL, f.severity());
        assertTrue(f.message().contains("PYTORCH_FLAVOR is not set") && f.message().contains("PYTORCH_FLAVOR=cu128"), f.message());
    }

    @Test
    void aFlavorWithoutJniFails(@TempDir Path tmp) throws IOException {
        Path lib = libtorch(tmp, "2.7.1+cu126", true);
        Finding f = only(check(env("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_FLAVOR", "cu126"), true));
        assertEquals(Finding.Severity.FAIL, f.severity());
        assertTrue(f.message().contains("cu126") && f.message().contains("only for cpu, cu128"), f.message());
    }

    @Test
    void aCudaFlavorOnACpuLibtorchFails(@TempDir Path tmp) throws IOException {
        Path lib = libtorch(tmp, "2.7.1+cpu", false);
        List<Finding> f = check(env("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_FLAVOR", "cu128"), true);
        assertTrue(f.stream().allMatch(x -> x.severity() == Finding.Severity.FAIL), f.toString());
        assertTrue(f.get(0).message().contains("no libtorch_cuda.so"), f.toString());
    }

    @Test
    void anotherPytorchVersionFails(@TempDir Path tmp) throws IOException {
        Path lib = libtorch(tmp, "2.6.0+cu124", true);
        List<Finding> f = check(env("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_FLAVOR", "cu128", "PYTORCH_VERSION", "2.6.0"), true);
        assertEquals(2, f.size(), f.toString());
        assertTrue(f.get(0).message().contains("PYTORCH_VERSION=2.6.0") && f.get(0).message().contains("2.7.1"), f.get(0).message());
        assertTrue(f.get(1).message().contains("is 2.6.0+cu124"), f.get(1).message());
    }

    @Test
    void aMatchingCudaLibtorchPasses(@TempDir Path tmp) throws IOException {
        Path lib = libtorch(tmp, "2.7.1+cu128", true);
        Finding f = only(check(env("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_FLAVOR", "cu128", "PYTORCH_VERSION", "2.7.1"), true));
        assertEquals(Finding.Severity.OK, f.severity(), f.line());
        assertTrue(f.message().contains("2.7.1+cu128 (CUDA)"), f.message());
    }

    @Test
    void gpuLoopsOnACpuLibtorchFail(@TempDir Path tmp) throws IOException {
        Path lib = libtorch(tmp, "2.7.1+cpu", false);
        Finding f = only(check(env("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_FLAVOR", "cpu"), true));
        assertEquals(Finding.Severity.FAIL, f.severity());
        assertTrue(f.message().contains("CPU-only"), f.message());
    }
}
