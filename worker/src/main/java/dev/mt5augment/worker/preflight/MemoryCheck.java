package dev.mt5augment.worker.preflight;

import dev.mt5augment.models.config.Mt5Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether the replicas fit: each CPU replica's weights plus room for activations and the JVM
 * against the memory still available (cgroup limit included), each GPU replica's weights plus
 * activation room against the GPU's memory (when nvidia-smi told it). Warnings only: the estimate is
 * rough, and an operator may know better.
 */
final class MemoryCheck {
    static final String NAME = "memory";

    /** Activations, tokenizer, KV caches, the JVM: room kept beside a CPU replica's weights. */
    static final long CPU_OVERHEAD = 512L << 20;
    /** CUDA context, workspace and activations of a default batch beside a GPU replica's weights. */
    static final long GPU_OVERHEAD = 1L << 30;

    private MemoryCheck() {
    }

    /**
     * @param devices   the engine devices the worker will start
     * @param inventory the GPUs seen, or {@code null} when none were probed
     * @param available host memory still available, when known
     */
    static List<Finding> run(Mt5Config config, String precision, List<String> devices, GpuInventory inventory,
                             OptionalLong available) {
        List<Finding> out = new ArrayList<>();
        long cpuNeed = 0;
        List<String> parts = new ArrayList<>();
        for (String device : devices) {
            long weights = ReplicaMemory.weightBytes(config, precision, device);
            String kind = ReplicaMemory.halfPrecision(precision, device) ? "fp16" : "fp32";
            if (device.equals("cpu")) {
                cpuNeed += weights + CPU_OVERHEAD;
                parts.add("cpu " + ModelFolderCheck.size(weights) + " " + kind);
                continue;
            }
            int index = Integer.parseInt(device.substring(device.indexOf(':') + 1));
            Optional<GpuInventory.Gpu> gpu = inventory == null ? Optional.empty() : inventory.describe(index);
            parts.add(device + " " + ModelFolderCheck.size(weights) + " " + kind
                    + gpu.map(g -> " of " + g.memoryMib() + " MiB").orElse(""));
            if (gpu.isPresent() && gpu.get().memoryMib() > 0) {
                long have = gpu.get().memoryMib() << 20;
                if (weights + GPU_OVERHEAD > have) {
                    out.add(Finding.warn(NAME, device + " (" + gpu.get().name() + ") has " + ModelFolderCheck.size(have)
                            + " but its replica needs about " + ModelFolderCheck.size(weights + GPU_OVERHEAD) + " ("
                            + kind + " weights " + ModelFolderCheck.size(weights) + " + ~1 GiB for activations):"
                            + " use --precision fp16 or a GPU with more memory"));
                }
            }
        }
        String avail = available.isPresent() ? ModelFolderCheck.size(available.getAsLong()) + " available" : "available memory unknown";
        if (cpuNeed > 0 && available.isPresent() && cpuNeed > available.getAsLong()) {
            out.add(Finding.warn(NAME, "the CPU replica needs about " + ModelFolderCheck.size(cpuNeed)
                    + " (weights + ~512 MiB) but only " + avail + " (MemAvailable, capped by the cgroup limit):"
                    + " expect swapping or the OOM killer; free memory or run fewer workers on this host"));
        }
        if (out.isEmpty()) out.add(Finding.ok(NAME, "replica weights: " + String.join(", ", parts) + "; host: " + avail));
        return out;
    }
}
