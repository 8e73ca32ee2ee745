package dev.mt5augment.models.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.models.Mt5Model;
import dev.mt5augment.models.checkpoint.Checkpoint;
import dev.mt5augment.models.checkpoint.Checkpoints;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.models.generation.DecodingStrategy;
import dev.mt5augment.models.generation.GeneratedSequence;
import dev.mt5augment.models.generation.GenerationConfig;
import dev.mt5augment.models.generation.AdmissionPolicy;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.generation.Mt5Generator;
import dev.mt5augment.models.generation.SessionStats;
import dev.mt5augment.models.runtime.ModelOptions;
import dev.mt5augment.models.runtime.TorchRuntime;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bin/mt5 bench-batching DIR [--scheduler static|continuous|both] [--requests N] [--returns R]
 * [--max-new-tokens N] [--batch-rows M] [--admit-free-rows F] [--admit-after-steps K] [--eos-scale S] [--eos-bias B] [--arrival-rate auto|0|R] [--latency-requests N]
 * [--strategy sample|greedy] [--input-tokens MIN-MAX] [--rounds N] [--threads T] [--seed S] [--no-profile]}: static against
 * continuous batching on outputs that stop at their natural {@code </s>}, in one process.
 *
 * <ol>
 *   <li>Throughput: N requests (one random input of MIN–MAX tokens × R returns each, sampled at
 *       temperature 0.9, top-p 0.95, top-k 50, at most N new tokens, no minimum) all waiting at the
 *       start; static batching runs them in batches of M decoder rows, continuous batching keeps up
 *       to M rows live, new requests joining once F rows are free (default M/4) or after K steps
 *       (default 8) of waiting ({@link dev.mt5augment.models.generation.AdmissionPolicy}). With
 *       {@code --rounds N} the schedulers alternate N times and each reports its fastest round (other
 *       work on the machine can only slow a round down). Sequences/s of each, and the ratio.</li>
 *   <li>Latency: the same kind of requests arriving open-loop (Poisson) at the given rate
 *       ({@code auto}: 70 % of what static batching sustained in step 1; 0 skips the step); p50, p95,
 *       p99 of arrival-to-result time of each scheduler.</li>
 * </ol>
 * A random model almost never produces {@code </s>}. Two bench-only knobs make it stop at mixed
 * lengths: {@code --eos-scale S} multiplies the LM head's {@code </s>} row by S at load (as the tiny
 * fixture's {@code eos_row_scale}; per-row lengths then tend to be all or nothing, since a row's
 * hidden state changes little from step to step), and {@code --eos-bias B} adds B to the
 * {@code </s>} logit at every step ({@code --eos-scale 0 --eos-bias B}: {@code </s>} wins when B beats
 * the best other logit, which varies from step to step). Both schedulers must produce the
 * same ids: the JSON says whether they did. A warm-up request runs first, untimed. Unless
 * {@code --no-profile}, the first 2·M/R requests run once more under PyTorch's profiler to count
 * engine calls per decoder step (encoding included) of each scheduler.
 */
public final class BatchingBenchCommand implements Subcommand {

    @Override
    public String summary() {
        return "DIR [--scheduler both] [--eos-scale S] [--arrival-rate R]  static vs continuous batching, JSON";
    }

    @Override
    public int run(CommandLineArgs args, PrintStream out, PrintStream err) throws Exception {
        Path dir = Path.of(args.positional(0, "DIR"));
        String scheduler = args.string("scheduler", "both").toLowerCase(Locale.ROOT);
        int requests = args.integer("requests", 64);
        int returns = args.integer("returns", 3);
        int maxNewTokens = args.integer("max-new-tokens", 64);
        int batchRows = args.integer("batch-rows", 48);
        int admitFreeRows = args.integer("admit-free-rows", AdmissionPolicy.forRows(batchRows).minFreeRows());
        int admitAfterSteps = args.integer("admit-after-steps", 8);
        float eosScale = args.floatValue("eos-scale", 1f);
        float eosBias = args.floatValue("eos-bias", 0f);
        String rate = args.string("arrival-rate", "auto");
        int latencyRequests = args.integer("latency-requests", requests);
        int rounds = args.integer("rounds", 1);
        long seed = args.longValue("seed", 1234L);
        int[] range = BenchCommand.parseRange(args.string("input-tokens", "10-60"));
        boolean profile = !args.flag("no-profile");
        DecodingStrategy strategy = GenerationOptions.strategy(args, "sample");
        ModelOptions options = GenerationOptions.model(args);
        args.rejectUnused();
        if (!List.of("static", "continuous", "both").contains(scheduler)) {
            throw new CommandLineArgs.UsageException("--scheduler must be static, continuous or both, got '" + scheduler + "'");
        }
        if (requests < 1 || returns < 1 || maxNewTokens < 1 || batchRows < 1 || latencyRequests < 1 || rounds < 1) {
            throw new CommandLineArgs.UsageException("--requests, --returns, --max-new-tokens, --batch-rows, --latency-requests and --rounds must be >= 1");
        }
        if (admitFreeRows < 1 || admitFreeRows > batchRows || admitAfterSteps < 0) {
            throw new CommandLineArgs.UsageException("--admit-free-rows must be in [1, --batch-rows] and --admit-after-steps >= 0");
        }
        if (!(eosScale >= 0) || Float.isInfinite(eosScale)) throw new CommandLineArgs.UsageException("--eos-scale must be >= 0");
        if (!Float.isFinite(eosBias)) throw new CommandLineArgs.UsageException("--eos-bias must be a finite number");
        if (strategy == DecodingStrategy.BEAM) throw new CommandLineArgs.UsageException("continuous batching has no beam search; use --strategy sample or greedy");
        if (strategy == DecodingStrategy.GREEDY) returns = 1;
        double arrivalRate = parseRate(rate);

        try (Mt5Model model = load(dir, options, eosScale)) {
            Mt5Config c = model.config();
            if (eosBias != 0f) model.biasLogit(c.eosTokenId(), eosBias);
            Mt5Generator generator = model.generator();
            List<BenchScheduler> schedulers = new ArrayList<>();
            ContinuousBenchScheduler continuous = new ContinuousBenchScheduler(generator, batchRows, admitFreeRows, admitAfterSteps);
            if (!scheduler.equals("continuous")) schedulers.add(new StaticBenchScheduler(generator, batchRows));
            if (!scheduler.equals("static")) schedulers.add(continuous);
            err.println("bench-batching: " + model.name() + ", " + requests + " requests x " + returns + " returns, <= " + maxNewTokens
                    + " new tokens, " + batchRows + " rows, eos scale " + eosScale + ", " + TorchRuntime.threads() + " threads");

            List<GenerationInput> work = requests(requests, range, c, strategy, returns, maxNewTokens, seed);
            for (BenchScheduler s : schedulers) s.serve(work.subList(0, 1), new long[1]); // warm-up

            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode o = json.createObjectNode();
            o.put("model", model.name());
            o.put("strategy", strategy.name().toLowerCase(Locale.ROOT));
            o.put("threads", TorchRuntime.threads());
            o.put("requests", requests);
            o.put("returns", returns);
            o.put("max_new_tokens", maxNewTokens);
            o.put("batch_rows", batchRows);
            o.put("eos_scale", eosScale);
            o.put("eos_bias", eosBias);
            o.put("admit_free_rows", admitFreeRows);
            o.put("admit_after_steps", admitAfterSteps);

            ObjectNode throughput = o.putObject("throughput");
            throughput.put("rounds", rounds);
            List<BenchScheduler.Served> closed = new ArrayList<>();
            for (BenchScheduler s : schedulers) closed.add(null);
            // Rounds alternate the schedulers; each keeps its fastest round (other load on the machine only slows a round down).
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < schedulers.size(); i++) {
                    BenchScheduler s = schedulers.get(i);
                    err.println("throughput, round " + (round + 1) + ": " + s.name() + "...");
                    BenchScheduler.Served served = s.serve(work, new long[work.size()]);
                    String key = "round_seconds_" + s.name();
                    ArrayNode seconds = throughput.has(key) ? (ArrayNode) throughput.get(key) : throughput.putArray(key);
                    seconds.add(round(served.wallNanos() / 1e9));
                    if (closed.get(i) == null || served.wallNanos() < closed.get(i).wallNanos()) {
                        closed.set(i, served);
                        ObjectNode n = throughput.putObject(s.name());
                        putThroughput(n, served, returns);
                        if (s == continuous) putSessionStats(n, continuous.lastStats());
                    }
                }
            }
            putLengths(o.putObject("generated_tokens_per_sequence"), closed.get(0), c.eosTokenId());
            if (profile) {
                // Engine calls per decoder step, on the first requests under PyTorch's profiler (times not used).
                List<GenerationInput> few = work.subList(0, Math.min(work.size(), Math.max(1, batchRows / returns * 2)));
                for (BenchScheduler s : schedulers) {
                    BenchScheduler.Served[] served = new BenchScheduler.Served[1];
                    EngineProfile.Counts counts = EngineProfile.profile(() -> served[0] = s.serve(few, new long[few.size()]));
                    ((ObjectNode) throughput.get(s.name())).put("engine_ops_per_decoder_step",
                            Math.round(counts.topLevelOps() / (double) Math.max(1, served[0].decoderSteps())));
                }
            }
            if (closed.size() == 2) {
                throughput.put("continuous_over_static", round(closed.get(0).wallNanos() / (double) closed.get(1).wallNanos()));
                o.put("outputs_identical", identical(closed.get(0), closed.get(1)));
            }

            if (arrivalRate != 0) {
                double sustained = requests / (closed.get(0).wallNanos() / 1e9);
                double lambda = arrivalRate < 0 ? 0.7 * sustained : arrivalRate;
                List<GenerationInput> stream = requests(latencyRequests, range, c, strategy, returns, maxNewTokens, seed + 1);
                long[] arrivals = poissonArrivals(latencyRequests, lambda, seed + 2);
                ObjectNode latency = o.putObject("latency");
                latency.put("arrival_rate_per_second", round(lambda));
                latency.put("requests", latencyRequests);
                latency.put("arrivals_span_seconds", round(arrivals[arrivals.length - 1] / 1e9));
                for (BenchScheduler s : schedulers) {
                    err.println("latency at " + round(lambda) + " requests/s: " + s.name() + "...");
                    putLatency(latency.putObject(s.name()), s.serve(stream, arrivals), arrivals);
                }
            }
            o.put("peak_rss_bytes", ResidentMemory.peakBytes().orElse(-1));
            out.println(json.writeValueAsString(o));
        }
        return 0;
    }

    private static double parseRate(String rate) {
        if (rate.equalsIgnoreCase("auto")) return -1;
        try {
            double r = Double.parseDouble(rate);
            if (r < 0 || Double.isNaN(r) || Double.isInfinite(r)) throw new NumberFormatException();
            return r;
        } catch (NumberFormatException e) {
            throw new CommandLineArgs.UsageException("--arrival-rate must be auto, 0 (no latency run) or requests per second > 0, got '" + rate + "'");
        }
    }

    private static Mt5Model load(Path dir, ModelOptions options, float eosScale) {
        if (eosScale == 1f) return Mt5Model.load(dir, options);
        Mt5Config config = Mt5Config.load(dir);
        Checkpoint checkpoint = new EosScaledCheckpoint(Checkpoints.open(dir), config.eosTokenId(), eosScale);
        return Mt5Model.load(dir.toAbsolutePath().normalize().getFileName().toString(), config, checkpoint, null, options);
    }

    static List<GenerationInput> requests(int count, int[] range, Mt5Config c, DecodingStrategy strategy, int returns,
                                          int maxNewTokens, long seed) {
        List<int[]> ids = BenchCommand.randomInputs(count, range[0], range[1], c.vocabSize(), c.eosTokenId(), seed);
        List<GenerationInput> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            GenerationConfig.Builder b = GenerationConfig.builder().strategy(strategy).maxNewTokens(maxNewTokens).seed(seed + i);
            if (strategy == DecodingStrategy.SAMPLE) b.numReturnSequences(returns).temperature(0.9f).topP(0.95f).topK(50);
            out.add(new GenerationInput(ids.get(i), b.build()));
        }
        return out;
    }

    /** Arrival times of a Poisson process of rate {@code perSecond}, the first at 0. */
    static long[] poissonArrivals(int count, double perSecond, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] at = new long[count];
        double t = 0;
        for (int i = 1; i < count; i++) {
            t += -Math.log(1 - random.nextDouble()) / perSecond;
            at[i] = Math.round(t * 1e9);
        }
        return at;
    }

    private static void putThroughput(ObjectNode n, BenchScheduler.Served s, int returns) {
        double seconds = s.wallNanos() / 1e9;
        long sequences = 0;
        long tokens = 0;
        for (GenerationOutput out : s.outputs()) {
            for (GeneratedSequence seq : out.sequences()) {
                sequences++;
                tokens += seq.tokenIds().length - 1;
            }
        }
        n.put("seconds", round(seconds));
        n.put("sequences", sequences);
        n.put("sequences_per_second", round(sequences / seconds));
        n.put("generated_tokens_per_second", round(tokens / seconds));
        n.put("decoder_steps", s.decoderSteps());
        n.put("decoder_row_steps", s.decoderRowSteps());
        n.put("generated_tokens", tokens);
        n.put("encoder_seconds", round(s.encoderNanos() / 1e9));
        n.put("row_steps_per_generated_token", round(s.decoderRowSteps() / (double) Math.max(1, tokens)));
    }

    private static void putSessionStats(ObjectNode n, SessionStats s) {
        n.put("cross_attention_slot_steps", s.memorySlotSteps());
        n.put("memory_compactions", s.compactions());
        n.put("cache_slot_moves", s.slotMoves());
        n.put("peak_positions_in_one_step", s.peakPositions());
    }

    private static void putLengths(ObjectNode n, BenchScheduler.Served s, int eos) {
        List<Integer> lengths = new ArrayList<>();
        int stopped = 0;
        for (GenerationOutput out : s.outputs()) {
            for (GeneratedSequence seq : out.sequences()) {
                int[] ids = seq.tokenIds();
                lengths.add(ids.length - 1);
                if (ids[ids.length - 1] == eos && ids.length > 1) stopped++;
            }
        }
        int[] sorted = lengths.stream().mapToInt(Integer::intValue).sorted().toArray();
        n.put("min", sorted[0]);
        n.put("p50", sorted[sorted.length / 2]);
        n.put("mean", round(Arrays.stream(sorted).average().orElse(0)));
        n.put("max", sorted[sorted.length - 1]);
        n.put("stopped_at_eos", round(stopped / (double) sorted.length));
    }

    private static void putLatency(ObjectNode n, BenchScheduler.Served s, long[] arrivals) {
        double[] ms = new double[arrivals.length];
        for (int i = 0; i < ms.length; i++) ms[i] = (s.finishNanos()[i] - arrivals[i]) / 1e6;
        Arrays.sort(ms);
        n.put("p50_ms", round(percentile(ms, 0.50)));
        n.put("p95_ms", round(percentile(ms, 0.95)));
        n.put("p99_ms", round(percentile(ms, 0.99)));
        n.put("mean_ms", round(Arrays.stream(ms).average().orElse(0)));
        n.put("seconds", round(s.wallNanos() / 1e9));
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static boolean identical(BenchScheduler.Served a, BenchScheduler.Served b) {
        for (int i = 0; i < a.outputs().length; i++) {
            List<GeneratedSequence> x = a.outputs()[i].sequences();
            List<GeneratedSequence> y = b.outputs()[i].sequences();
            if (x.size() != y.size()) return false;
            for (int r = 0; r < x.size(); r++) {
                if (!Arrays.equals(x.get(r).tokenIds(), y.get(r).tokenIds()) || x.get(r).score() != y.get(r).score()) return false;
            }
        }
        return true;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
