package dev.mt5augment.worker.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mt5augment.models.config.ModelShape;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.worker.WorkerMain;
import dev.mt5augment.worker.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole machine check as bin/worker runs it, plus the memory and disk parts. */
class MachineCheckTest {

    /** Runs {@code bin/worker ARGS} in this JVM, capturing stderr; returns the exit status and the text. */
    private record Run(int status, String err) {
    }

    private static Run worker(AtomicInteger loads, String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = WorkerMain.run(args, Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin")), (config, model) -> {
                loads.incrementAndGet();
                throw new AssertionError("the check must stop the start before any model loads");
            });
            return new Run(status, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void checkCommandPassesOnThisMachineForTheFixture(@TempDir Path tmp) {
        Run r = worker(new AtomicInteger(), "check", "--cpu-only", "--model", Fixtures.tinyMt5().toString(),
                "--http-port", "0", "--embedded-kafka", "--embedded-kafka-port", "0", "--log-dir", tmp.resolve("logs").toString());
        assertEquals(0, r.status(), r.err());
        for (String check : List.of("gpu", "natives", "model", "memory", "disk", "ports")) {
            assertTrue(r.err().lines().anyMatch(l -> l.startsWith("preflight: OK") && l.contains(" " + check + " ")), check + " in\n" + r.err());
        }
        assertFalse(Files.exists(tmp.resolve("logs")), "a check creates nothing");
    }

    @Test
    void aBusyPortStopsTheWorkerBeforeAnythingLoads(@TempDir Path tmp) throws IOException {
        AtomicInteger loads = new AtomicInteger();
        try (ServerSocket taken = new ServerSocket(0)) {
            Run r = worker(loads, "--cpu-only", "--model", Fixtures.tinyMt5().toString(), "--http-port",
                    String.valueOf(taken.getLocalPort()), "--embedded-kafka", "--embedded-kafka-port", "0",
                    "--log-dir", tmp.toString());
            assertEquals(PreflightReport.EXIT_NOT_READY, r.status(), r.err());
            assertTrue(r.err().contains("preflight: FAIL ports") && r.err().contains("1 problem above"), r.err());
        }
        assertEquals(0, loads.get());
    }

    @Test
    void anIncompleteModelFolderStopsTheWorker(@TempDir Path tmp) throws IOException {
        Files.copy(Fixtures.tinyMt5().resolve("config.json"), tmp.resolve("config.json"));
        AtomicInteger loads = new AtomicInteger();
        Run r = worker(loads, "--cpu-only", "--model", tmp.toString(), "--http-port", "-1", "--embedded-kafka",
                "--embedded-kafka-port", "0", "--log-dir", tmp.resolve("logs").toString());
        assertEquals(3, r.status(), r.err());
        List<String> fails = r.err().lines().filter(l -> l.startsWith("preflight: FAIL")).toList();
        assertEquals(2, fails.size(), r.err());
        assertTrue(fails.get(0).contains("weights:") && fails.get(1).contains("tokenizer:"), r.err());
        assertEquals(0, loads.get());
    }

    @Test
    void cpuOnlyConflictingWithDevicesIsABadSetting() {
        Run r = worker(new AtomicInteger(), "check", "--cpu-only", "--devices=0");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("either --cpu-only or --devices"), r.err());
    }

    @Test
    void theSwitchTurnsTheCheckOff() {
        assertTrue(MachineCheck.disabled(Map.of("MT5_PREFLIGHT", "off")));
        assertFalse(MachineCheck.disabled(Map.of()));
    }

    @Test
    void mt5BaseSizesAsTheReadmeSays() {
        Mt5Config base = ModelShape.MT5_BASE.config();
        assertEquals(582, ReplicaMemory.parameters(base) / 1_000_000);
        assertEquals(2.33, ReplicaMemory.weightBytes(base, "auto", "cpu") / 1e9, 0.01);
        assertEquals(1.16, ReplicaMemory.weightBytes(base, "auto", "cuda:0") / 1e9, 0.01);
    }

    @Test
    void replicasThatDoNotFitWarn() throws IOException {
        Mt5Config base = ModelShape.MT5_BASE.config();
        List<Finding> cpu = MemoryCheck.run(base, "auto", List.of("cpu"), null, OptionalLong.of(1L << 30));
        assertEquals(Finding.Severity.WARN, cpu.get(0).severity(), cpu.toString());
        assertTrue(cpu.get(0).message().contains("2.7 GiB"), cpu.get(0).message());

        GpuInventory small = new GpuInventory(GpuInventory.parse("0, GPU-a, Tiny GPU, 1024"), "nvidia-smi", 1);
        List<Finding> gpu = MemoryCheck.run(base, "auto", List.of("cuda:0"), small, OptionalLong.of(64L << 30));
        assertEquals(Finding.Severity.WARN, gpu.get(0).severity(), gpu.toString());
        assertTrue(gpu.get(0).message().contains("Tiny GPU"), gpu.get(0).message());

        GpuInventory big = new GpuInventory(GpuInventory.parse(GpuCheckTest.TWO_GPUS), "nvidia-smi", 2);
        List<Finding> ok = MemoryCheck.run(base, "auto", List.of("cuda:0", "cuda:1"), big, OptionalLong.of(64L << 30));
        assertEquals(Finding.Severity.OK, ok.get(0).severity(), ok.toString());
        assertTrue(ok.get(0).message().contains("cuda:1 1.1 GiB fp16 of 81559 MiB"), ok.get(0).message());
    }

    @Test
    void aFileInPlaceOfTheLogFolderFails(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("logs"), "a file, not a folder");
        List<Finding> f = DiskCheck.run(file, tmp.resolve("djl"), null);
        assertEquals(Finding.Severity.FAIL, f.get(0).severity(), f.toString());
        assertTrue(f.get(0).message().contains("--log-dir"), f.get(0).message());
        assertTrue(DiskCheck.writable(tmp.resolve("not/yet/there")), "created under a writable parent");
        assertFalse(DiskCheck.writable(file.resolve("below-a-file")));
    }

    @Test
    void aReportSaysHowManyProblemsStopTheStart() {
        PreflightReport r = new PreflightReport(List.of(Finding.ok("gpu", "fine"), Finding.fail("model", "no\nconfig.json"),
                Finding.warn("kafka", "slow")));
        assertFalse(r.ready());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(List.of("preflight: OK   gpu      fine", "preflight: FAIL model    no config.json",
                "preflight: WARN kafka    slow", "preflight: 1 problem above: the worker does not start (exit 3)"),
                out.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
