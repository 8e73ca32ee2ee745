package dev.mt5augment.worker.preflight;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * The GPUs this process can use, as two witnesses see them: {@code nvidia-smi} (names and memory)
 * and the engine (DJL's CUDA runtime probe, which decides what the worker actually gets). Either may
 * be missing; when they disagree the worker is about to run somewhere else than intended.
 *
 * @param smiGpus     what {@code nvidia-smi} lists, filtered and renumbered by
 *                    {@code CUDA_VISIBLE_DEVICES} as the engine would see them; empty when it is absent
 * @param smiStatus   how the {@code nvidia-smi} call went, for the report
 * @param engineCount CUDA devices the engine sees
 */
public record GpuInventory(List<Gpu> smiGpus, String smiStatus, int engineCount) {

    /**
     * One GPU.
     *
     * @param index     the engine's index ({@code cuda:N}) once {@code CUDA_VISIBLE_DEVICES} is applied
     * @param uuid      the driver's id ({@code GPU-...})
     * @param name      the product name
     * @param memoryMib total memory in MiB
     */
    public record Gpu(int index, String uuid, String name, long memoryMib) {
        @Override
        public String toString() {
            return index + " " + name + " " + memoryMib + " MiB";
        }
    }

    public static final String QUERY = "--query-gpu=index,uuid,name,memory.total";

    /** GPUs the worker will use: the engine's count decides, nvidia-smi only describes them. */
    public int count() {
        return engineCount;
    }

    public Optional<Gpu> describe(int engineIndex) {
        return smiGpus.stream().filter(g -> g.index() == engineIndex).findFirst();
    }

    /** {@code 0 NVIDIA H200 143771 MiB, 1 ...} */
    public String listing() {
        return smiGpus.stream().map(Gpu::toString).collect(Collectors.joining(", "));
    }

    /**
     * Asks {@code nvidia-smi} (when it is on the PATH) and the engine.
     *
     * @param env         the process environment ({@code PATH}, {@code CUDA_VISIBLE_DEVICES})
     * @param engineCount the engine's GPU count (DJL's, in production)
     */
    public static GpuInventory probe(Map<String, String> env, IntSupplier engineCount) {
        List<Gpu> gpus = List.of();
        String status;
        Optional<String> smi = Executables.find("nvidia-smi", env.get("PATH"));
        if (smi.isEmpty()) {
            status = "nvidia-smi not found";
        } else {
            try {
                String out = run(List.of(smi.get(), QUERY, "--format=csv,noheader,nounits"));
                gpus = visible(parse(out), env.get("CUDA_VISIBLE_DEVICES"));
                status = "nvidia-smi";
            } catch (IOException e) {
                status = "nvidia-smi failed: " + e.getMessage();
            }
        }
        return new GpuInventory(gpus, status, engineCount.getAsInt());
    }

    /** Parses {@code index, uuid, name, memory.total} lines (csv, noheader, nounits). */
    public static List<Gpu> parse(String csv) throws IOException {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            if (line.isBlank()) continue;
            String[] f = line.split(",");
            if (f.length < 4) throw new IOException("unexpected line '" + line.strip() + "'");
            try {
                int index = Integer.parseInt(f[0].strip());
                String uuid = f[1].strip();
                // A name could hold a comma: it is everything between the uuid and the memory.
                StringBuilder name = new StringBuilder(f[2].strip());
                for (int i = 3; i < f.length - 1; i++) name.append(',').append(f[i]);
                String mem = f[f.length - 1].strip();
                long mib = mem.matches("\\d+") ? Long.parseLong(mem) : -1;
                gpus.add(new Gpu(index, uuid, name.toString().strip(), mib));
            } catch (NumberFormatException e) {
                throw new IOException("unexpected line '" + line.strip() + "'");
            }
        }
        return gpus;
    }

    /**
     * The GPUs a CUDA process sees with {@code CUDA_VISIBLE_DEVICES} (indexes or UUIDs), renumbered
     * from 0 in the listed order. nvidia-smi itself ignores the variable; CUDA applies it.
     */
    public static List<Gpu> visible(List<Gpu> all, String cudaVisibleDevices) {
        if (cudaVisibleDevices == null) return all;
        List<Gpu> seen = new ArrayList<>();
        for (String id : cudaVisibleDevices.split(",")) {
            String s = id.strip();
            if (s.isEmpty()) break;
            Optional<Gpu> g = all.stream()
                    .filter(x -> s.matches("\\d+") ? x.index() == Integer.parseInt(s) : x.uuid().startsWith(s))
                    .findFirst();
            // CUDA stops at the first id it cannot match.
            if (g.isEmpty()) break;
            seen.add(new Gpu(seen.size(), g.get().uuid(), g.get().name(), g.get().memoryMib()));
        }
        return seen;
    }

    /** Output goes to a file, so that a hung nvidia-smi cannot block a read past the timeout. */
    private static String run(List<String> command) throws IOException {
        Path out = Files.createTempFile("mt5-nvidia-smi", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("no answer within 10 s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("exit " + p.exitValue() + ": " + text.strip().lines().findFirst().orElse(""));
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
