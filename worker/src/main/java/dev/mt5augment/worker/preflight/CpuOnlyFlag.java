package dev.mt5augment.worker.preflight;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --cpu-only}: the operator's word that this worker serves on the CPU, whatever GPUs the
 * machine has. It is {@code --devices cpu}, spelled so that a deployment file says what it means.
 */
public final class CpuOnlyFlag {
    public static final String FLAG = "--cpu-only";

    private CpuOnlyFlag() {
    }

    /**
     * The arguments with {@code --cpu-only} replaced by {@code --devices=cpu}.
     *
     * @throws IllegalArgumentException when {@code --devices} is given too
     */
    public static String[] expand(String[] args) {
        List<String> out = new ArrayList<>(args.length);
        boolean cpuOnly = false;
        boolean devices = false;
        for (String a : args) {
            if (a.equals(FLAG) || a.equals(FLAG + "=true")) {
                cpuOnly = true;
                out.add("--devices=cpu");
            } else if (a.equals(FLAG + "=false")) {
                continue;
            } else {
                if (a.equals("--devices") || a.startsWith("--devices=")) devices = true;
                out.add(a);
            }
        }
        if (cpuOnly && devices) {
            throw new IllegalArgumentException("give either --cpu-only or --devices, not both");
        }
        return out.toArray(String[]::new);
    }
}
