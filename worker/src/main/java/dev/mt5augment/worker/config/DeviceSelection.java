package dev.mt5augment.worker.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Which devices get a worker loop: {@code auto} (every visible GPU, else the CPU), {@code cpu}, or
 * a list of GPU indexes such as {@code 0,1}. Devices are named as the engine names them:
 * {@code cpu}, {@code cuda:0}.
 */
public final class DeviceSelection {
    private final String spec;

    private DeviceSelection(String spec) {
        this.spec = spec;
    }

    /** Checks the syntax now; GPUs are counted only in {@link #resolve}. */
    public static DeviceSelection parse(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto") || s.equals("cpu")) return new DeviceSelection(s);
        if (s.isEmpty()) throw new IllegalArgumentException("devices must be auto, cpu or a list like 0,1; got nothing");
        for (String part : s.split(",")) {
            String p = part.trim();
            if (!p.matches("\\d{1,3}")) {
                throw new IllegalArgumentException("devices must be auto, cpu or a list of GPU indexes like 0,1; got '" + spec + "'");
            }
        }
        return new DeviceSelection(s);
    }

    /**
     * The engine device names, one per worker loop.
     *
     * @param gpuCount how many GPUs the engine sees
     * @throws IllegalArgumentException when a listed GPU does not exist
     */
    public List<String> resolve(IntSupplier gpuCount) {
        if (spec.equals("cpu")) return List.of("cpu");
        int gpus = gpuCount.getAsInt();
        if (spec.equals("auto")) {
            if (gpus == 0) return List.of("cpu");
            List<String> all = new ArrayList<>();
            for (int i = 0; i < gpus; i++) all.add("cuda:" + i);
            return all;
        }
        Set<String> devices = new LinkedHashSet<>();
        for (String part : spec.split(",")) {
            int index = Integer.parseInt(part.trim());
            if (index >= gpus) {
                throw new IllegalArgumentException("GPU " + index + " requested but the engine sees " + gpus + " GPU(s)");
            }
            devices.add("cuda:" + index);
        }
        return List.copyOf(devices);
    }

    @Override
    public String toString() {
        return spec;
    }
}
