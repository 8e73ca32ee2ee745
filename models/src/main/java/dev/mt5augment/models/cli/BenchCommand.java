package dev.mt5augment.models.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.models.Mt5Model;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.models.generation.DecodingStrategy;
import dev.mt5augment.models.generation.GenerationConfig;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationStats;
import dev.mt5augment.models.generation.Mt5Generator;
import dev.mt5augment.models.nn.MatrixProductClock;
import dev.mt5augment.models.runtime.ModelOptions;
import dev.mt5augment.models.runtime.TorchRuntime;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code bin/mt5 bench DIR --batch B --returns R --new-tokens N --threads T [--input-tokens MIN-MAX]
 * [--strategy sample|greedy|beam] [--seed S] [--weights copy|map] [--no-profile]}: one timed generation of B random inputs
 * (seeded, MIN–MAX tokens, default 10–60) × R returns × exactly N new tokens (min = max, so every
 * engine does the same work; sampling uses temperature 0.9, top-p 0.95, top-k 50 like the issue's
 * baseline). Prints one JSON object: tokens/s, sequences/s, encoder and decoder time, load time,
 * peak RSS, the fp32 GEMM rate of a {@code [B·R, d_model] × [d_model, 4·d_model]} product measured in
 * the same process on the same threads, and the achieved matrix-FLOP rate as a fraction of it. Time
 * inside matrix products is clocked during the timed run ({@link MatrixProductClock}); unless
 * {@code --no-profile}, two short runs under PyTorch's profiler (2 and 6 new tokens) give the engine
 * operators per decoder step by difference.
 *
 * <p>A warm-up generation of two tokens runs first and is not timed.
 */
public final class BenchCommand implements Subcommand {

    @Override
    public String summary() {
        return "DIR --batch B --returns R --new-tokens N --threads T  JSON throughput, GEMM ratio, RSS";
    }

    @Override
    public int run(CommandLineArgs args, PrintStream out, PrintStream err) throws Exception {
        Path dir = Path.of(args.positional(0, "DIR"));
        int batch = args.integer("batch", 16);
        int returns = args.integer("returns", 3);
        int newTokens = args.integer("new-tokens", 32);
        String range = args.string("input-tokens", "10-60");
        long seed = args.longValue("seed", 1234L);
        boolean profile = !args.flag("no-profile");
        DecodingStrategy strategy = GenerationOptions.strategy(args, "sample");
        ModelOptions options = GenerationOptions.model(args);
        args.rejectUnused();
        if (batch < 1 || returns < 1 || newTokens < 1) throw new CommandLineArgs.UsageException("--batch, --returns and --new-tokens must be >= 1");
        int[] minMax = parseRange(range);

        long rssBefore = ResidentMemory.currentBytes().orElse(-1);
        try (Mt5Model model = Mt5Model.load(dir, options)) {
            long rssLoaded = ResidentMemory.currentBytes().orElse(-1);
            Mt5Config c = model.config();
            Mt5Generator generator = model.generator();
            List<int[]> inputs = randomInputs(batch, minMax[0], minMax[1], c.vocabSize(), c.eosTokenId(), seed);
            err.println("bench: " + model.name() + ", " + batch + " inputs x " + returns + " returns x " + newTokens
                    + " new tokens, " + TorchRuntime.threads() + " threads, " + strategy);

            generator.generate(batchOf(inputs.subList(0, 1), config(strategy, returns, 2, seed)));
            List<GenerationInput> work = batchOf(inputs, config(strategy, returns, newTokens, seed));
            boolean clock = !options.onGpu();
            if (clock) MatrixProductClock.start();
            generator.generate(work);
            MatrixProductClock.stop();
            GenerationStats stats = generator.lastStats();
            long matrixNanos = MatrixProductClock.nanos();
            double seconds = stats.totalNanos() / 1e9;

            double gemm = gemmRate(model, batch * returns);
            double flops = matrixFlops(c, inputs, returns, newTokens, strategy);

            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode o = json.createObjectNode();
            o.put("model", model.name());
            o.put("strategy", strategy.name().toLowerCase(java.util.Locale.ROOT));
            o.put("batch", batch);
            o.put("returns", returns);
            o.put("new_tokens", newTokens);
            o.put("threads", TorchRuntime.threads());
            o.put("weights", options.weights().name().toLowerCase(java.util.Locale.ROOT));
            o.put("input_tokens_mean", inputs.stream().mapToInt(a -> a.length).average().orElse(0));
            o.put("generated_tokens", stats.generatedTokens());
            o.put("sequences", (long) batch * returns);
            o.put("seconds", round(seconds));
            o.put("tokens_per_second", round(stats.generatedTokens() / seconds));
            o.put("sequences_per_second", round(batch * returns / seconds));
            o.put("encoder_seconds", round(stats.encoderNanos() / 1e9));
            o.put("decoder_seconds", round(stats.decoderNanos() / 1e9));
            o.put("decoder_steps", stats.decoderSteps());
            o.put("decoder_ms_per_step", round(stats.decoderNanos() / 1e6 / Math.max(1, stats.decoderSteps())));
            o.put("load_seconds", round(model.loadTime().toNanos() / 1e9));
            o.put("rss_before_load_bytes", rssBefore);
            o.put("rss_after_load_bytes", rssLoaded);
            o.put("gemm_gflops", round(gemm / 1e9));
            o.put("achieved_matrix_gflops", round(flops / seconds / 1e9));
            o.put("gemm_ratio", round(flops / seconds / gemm));
            if (clock) {
                o.put("matrix_product_seconds", round(matrixNanos / 1e9));
                o.put("outside_matrix_product_seconds", round(seconds - matrixNanos / 1e9));
            }
            if (profile) {
                EngineProfile.Counts shortRun = EngineProfile.profile(() -> generator.generate(batchOf(inputs, config(strategy, returns, 2, seed))));
                EngineProfile.Counts longRun = EngineProfile.profile(() -> generator.generate(batchOf(inputs, config(strategy, returns, 6, seed))));
                ObjectNode step = o.putObject("per_decoder_step");
                step.put("engine_ops", Math.round(longRun.minus(shortRun).topLevelOps() / 4.0));
                step.put("wall_ms", round(stats.decoderNanos() / 1e6 / Math.max(1, stats.decoderSteps())));
                if (clock) {
                    // An upper bound: the product clock covers the encoder too, so the encoder's few
                    // non-product milliseconds are charged to the steps.
                    step.put("outside_matrix_product_ms", round((seconds - matrixNanos / 1e9) * 1e3 / Math.max(1, stats.decoderSteps())));
                }
            }
            o.put("peak_rss_bytes", ResidentMemory.peakBytes().orElse(-1));
            out.println(json.writeValueAsString(o));
        }
        return 0;
    }

    private static GenerationConfig config(DecodingStrategy strategy, int returns, int newTokens, long seed) {
        GenerationConfig.Builder b = GenerationConfig.builder().strategy(strategy).maxNewTokens(newTokens).minNewTokens(newTokens).seed(seed);
        return switch (strategy) {
            case SAMPLE -> b.numReturnSequences(returns).temperature(0.9f).topP(0.95f).topK(50).build();
            case BEAM -> b.numBeams(Math.max(returns, 2)).numReturnSequences(returns).build();
            case GREEDY -> b.build();
        };
    }

    private static List<GenerationInput> batchOf(List<int[]> inputs, GenerationConfig config) {
        List<GenerationInput> out = new ArrayList<>();
        for (int[] ids : inputs) out.add(new GenerationInput(ids, config));
        return out;
    }

    static List<int[]> randomInputs(int count, int min, int max, int vocab, int eos, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] ids = new int[min + random.nextInt(max - min + 1)];
            for (int j = 0; j < ids.length - 1; j++) ids[j] = 3 + random.nextInt(vocab - 3);
            ids[ids.length - 1] = eos;
            out.add(ids);
        }
        return out;
    }

    static int[] parseRange(String range) {
        String[] p = range.split("-");
        try {
            int min = Integer.parseInt(p[0].trim());
            int max = p.length > 1 ? Integer.parseInt(p[1].trim()) : min;
            if (p.length > 2 || min < 1 || max < min) throw new NumberFormatException();
            return new int[] {min, max};
        } catch (NumberFormatException e) {
            throw new CommandLineArgs.UsageException("--input-tokens expects MIN-MAX with 1 <= MIN <= MAX, got '" + range + "'");
        }
    }

    /** float32 FLOP/s of a {@code [rows, d] × [d, 4d]} product, as the engine runs it on these threads. */
    private static double gemmRate(Mt5Model model, int rows) {
        int d = model.config().dModel();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomNormal(0, 0.02f, new Shape(4L * d, d), DataType.FLOAT32);
            NDArray x = m.randomNormal(0, 1f, new Shape(rows, d), DataType.FLOAT32);
            for (int i = 0; i < 5; i++) x.getNDArrayInternal().linear(x, w, null).close();
            int n = 0;
            long start = System.nanoTime();
            while (System.nanoTime() - start < 1_500_000_000L || n < 10) {
                x.getNDArrayInternal().linear(x, w, null).close();
                n++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return 2.0 * rows * d * 4.0 * d * n / seconds;
        }
    }

    /**
     * Matrix-product FLOPs of the useful work: every projection, attention product and the LM head,
     * over the real (unpadded) input tokens, with the KV cache (no recomputation).
     */
    static double matrixFlops(Mt5Config c, List<int[]> inputs, int returns, int newTokens, DecodingStrategy strategy) {
        double d = c.dModel();
        double inner = c.innerDim();
        double ff = (c.gatedFeedForward() ? 3 : 2) * d * c.dFf();
        double encoderLayer = 4 * d * inner + ff;
        double decoderLayer = 4 * d * inner + 2 * d * inner + ff;
        int rowsPerInput = strategy == DecodingStrategy.GREEDY ? 1 : strategy == DecodingStrategy.BEAM ? Math.max(returns, 2) : returns;
        double total = 0;
        for (int[] ids : inputs) {
            double len = ids.length;
            total += c.numLayers() * (2 * len * encoderLayer + 4 * len * len * inner);
            total += c.numDecoderLayers() * 2 * len * 2 * d * inner; // cross-attention keys and values, once
            for (int t = 0; t < newTokens; t++) {
                double perRow = c.numDecoderLayers() * (2 * decoderLayer + 4 * (t + 1) * inner + 4 * len * inner)
                        + 2 * d * c.vocabSize();
                total += rowsPerInput * perRow;
            }
        }
        return total;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
