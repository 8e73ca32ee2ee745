package dev.mt5augment.worker.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mt5augment.worker.config.DeviceSelection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The devices the worker will use against the GPUs seen; nvidia-smi's output as it prints it. */
class GpuCheckTest {

    /** {@code nvidia-smi --query-gpu=index,uuid,name,memory.total --format=csv,noheader,nounits} on a 2-GPU host. */
    static final String TWO_GPUS = """
            0, GPU-6a1f3c0e-95b2-7d44-1c2b-0e9d8a7b6c5d, NVIDIA H100 80GB HBM3, 81559
            1, GPU-0b2c4d6e-8f01-2345-6789-abcdef012345, NVIDIA H100 80GB HBM3, 81559
            """;

    private static GpuInventory inventory(String smi, int engine) throws IOException {
        return new GpuInventory(GpuInventory.parse(smi), "nvidia-smi", engine);
    }

    @Test
    void parsesNvidiaSmiLines() throws IOException {
        List<GpuInventory.Gpu> gpus = GpuInventory.parse(TWO_GPUS);
        assertEquals(2, gpus.size());
        assertEquals(new GpuInventory.Gpu(1, "GPU-0b2c4d6e-8f01-2345-6789-abcdef012345", "NVIDIA H100 80GB HBM3", 81559), gpus.get(1));
        assertEquals(-1, GpuInventory.parse("0, GPU-x, Tesla T4, [N/A]").get(0).memoryMib());
        assertThrows(IOException.class, () -> GpuInventory.parse("NVIDIA-SMI has failed because it couldn't communicate with the driver"));
    }

    @Test
    void cudaVisibleDevicesRenumbersLikeCuda() throws IOException {
        List<GpuInventory.Gpu> all = GpuInventory.parse(TWO_GPUS);
        List<GpuInventory.Gpu> second = GpuInventory.visible(all, "1");
        assertEquals(1, second.size());
        assertEquals(0, second.get(0).index(), "the engine calls it cuda:0");
        assertEquals(all.get(1).uuid(), second.get(0).uuid());
        assertEquals(all.get(1).uuid(), GpuInventory.visible(all, "GPU-0b2c4d6e").get(0).uuid());
        assertEquals(List.of(), GpuInventory.visible(all, ""));
        assertEquals(1, GpuInventory.visible(all, "0,7,1").size(), "CUDA stops at the first unknown id");
    }

    @Test
    void withoutNvidiaSmiTheEngineCountDecides(@TempDir Path emptyPath) {
        GpuInventory inv = GpuInventory.probe(Map.of("PATH", emptyPath.toString()), () -> 0);
        assertEquals("nvidia-smi not found", inv.smiStatus());
        assertEquals(0, inv.count());
    }

    @Test
    void cpuOnlyProbesNothing() {
        GpuCheck.Result r = GpuCheck.run(DeviceSelection.parse("cpu"), () -> {
            throw new AssertionError("no GPU probe for --cpu-only");
        });
        assertEquals(List.of("cpu"), r.devices());
        assertEquals(Finding.Severity.OK, r.findings().get(0).severity());
    }

    @Test
    void autoOnAMachineWithoutGpusWarnsAndUsesTheCpu() {
        GpuCheck.Result r = GpuCheck.run(DeviceSelection.parse("auto"), () -> new GpuInventory(List.of(), "nvidia-smi not found", 0));
        assertEquals(List.of("cpu"), r.devices());
        assertEquals(Finding.Severity.WARN, r.findings().get(0).severity());
        assertTrue(r.findings().get(0).message().contains("--cpu-only"));
    }

    @Test
    void autoListsEveryGpuWithNameAndMemory() throws IOException {
        GpuInventory inv = inventory(TWO_GPUS, 2);
        GpuCheck.Result r = GpuCheck.run(DeviceSelection.parse("auto"), () -> inv);
        assertEquals(List.of("cuda:0", "cuda:1"), r.devices());
        assertTrue(r.usesGpu());
        Finding f = r.findings().get(0);
        assertEquals(Finding.Severity.OK, f.severity());
        assertTrue(f.message().contains("2 GPUs") && f.message().contains("NVIDIA H100 80GB HBM3 81559 MiB"), f.message());
    }

    @Test
    void aGpuHostWhoseEngineSeesNoGpuFails() throws IOException {
        GpuInventory inv = inventory(TWO_GPUS, 0);
        GpuCheck.Result r = GpuCheck.run(DeviceSelection.parse("auto"), () -> inv);
        assertEquals(List.of(), r.devices());
        Finding f = r.findings().get(0);
        assertEquals(Finding.Severity.FAIL, f.severity());
        assertTrue(f.message().contains("nvidia-smi lists 2 GPUs") && f.message().contains("--cpu-only"), f.message());
    }

    @Test
    void aMissingGpuInTheListFails() throws IOException {
        GpuInventory inv = inventory(TWO_GPUS.lines().findFirst().orElseThrow(), 1);
        GpuCheck.Result r = GpuCheck.run(DeviceSelection.parse("0,1"), () -> inv);
        Finding f = r.findings().get(0);
        assertEquals(Finding.Severity.FAIL, f.severity());
        assertTrue(f.message().contains("GPU 1 requested") && f.message().contains("0 to 0"), f.message());
    }

    @Test
    void cpuOnlyIsDevicesCpu() {
        assertEquals(List.of("--devices=cpu", "--embedded-kafka"),
                List.of(CpuOnlyFlag.expand(new String[] {"--cpu-only", "--embedded-kafka"})));
        assertEquals(List.of("--http-port", "9"), List.of(CpuOnlyFlag.expand(new String[] {"--cpu-only=false", "--http-port", "9"})));
        assertThrows(IllegalArgumentException.class, () -> CpuOnlyFlag.expand(new String[] {"--cpu-only", "--devices", "0"}));
    }
}
