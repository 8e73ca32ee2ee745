package dev.mt5augment.worker.preflight;

import dev.mt5augment.worker.config.DeviceSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Which devices the worker will run on, and whether the machine has them: the {@code devices}
 * setting against the GPUs seen. A GPU host about to serve on the CPU (the engine sees no GPU that
 * nvidia-smi lists) is an error, not a quiet fallback; {@code --cpu-only} says the CPU is intended.
 */
final class GpuCheck {
    static final String NAME = "gpu";

    /**
     * @param devices   engine device names the worker would start, one loop each; empty on failure
     * @param inventory what was seen; {@code null} when the CPU was asked for and nothing was probed
     */
    record Result(List<String> devices, GpuInventory inventory, List<Finding> findings) {
        boolean usesGpu() {
            return devices.stream().anyMatch(d -> d.startsWith("cuda"));
        }
    }

    private GpuCheck() {
    }

    static Result run(DeviceSelection selection, Supplier<GpuInventory> probe) {
        if (selection.toString().equals("cpu")) {
            return new Result(List.of("cpu"), null, List.of(Finding.ok(NAME,
                    "CPU only (--cpu-only / devices=cpu): one worker loop on the CPU; GPUs not probed")));
        }
        GpuInventory inv = probe.get();
        int engine = inv.engineCount();
        int smi = inv.smiGpus().size();
        List<Finding> findings = new ArrayList<>();
        List<String> devices;
        try {
            devices = selection.resolve(inv::count);
        } catch (IllegalArgumentException e) {
            findings.add(Finding.fail(NAME, e.getMessage() + " (--devices " + selection + "); " + seen(inv) + "; "
                    + (engine == 0 ? "serve on the CPU with --cpu-only" : "pick GPUs from 0 to " + (engine - 1)
                    + ", or --devices auto, or --cpu-only")));
            return new Result(List.of(), inv, findings);
        }
        if (engine == 0 && smi > 0) {
            findings.add(Finding.fail(NAME, "nvidia-smi lists " + smi + " GPU" + plural(smi) + " (" + inv.listing()
                    + ") but the engine sees none (it cannot load the CUDA runtime, libcudart): the worker would run on"
                    + " the CPU. Install the CUDA runtime (or use the CUDA image), or pass --cpu-only if the CPU is intended"));
            return new Result(List.of(), inv, findings);
        }
        if (engine == 0) {
            findings.add(Finding.warn(NAME, "no GPU seen (" + inv.smiStatus() + "; the engine sees 0 CUDA devices):"
                    + " one worker loop on the CPU; pass --cpu-only to say that is intended"));
            return new Result(devices, inv, findings);
        }
        findings.add(Finding.ok(NAME, seen(inv) + "; worker loops on " + String.join(", ", devices)));
        if (smi > 0 && smi != engine) {
            findings.add(Finding.warn(NAME, "nvidia-smi lists " + smi + " GPU" + plural(smi) + " but the engine sees "
                    + engine + ": the names and memory shown may not match the engine's numbering"));
        }
        return new Result(devices, inv, findings);
    }

    private static String seen(GpuInventory inv) {
        int n = inv.engineCount();
        String head = n + " GPU" + plural(n) + " seen by the engine";
        return inv.smiGpus().isEmpty() ? head + " (" + inv.smiStatus() + ")" : head + ": " + inv.listing() + " (nvidia-smi)";
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
