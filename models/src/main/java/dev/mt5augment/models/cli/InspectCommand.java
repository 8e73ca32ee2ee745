package dev.mt5augment.models.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.models.checkpoint.CheckpointException;
import dev.mt5augment.models.checkpoint.CheckpointValidator;
import dev.mt5augment.models.checkpoint.Checkpoints;
import dev.mt5augment.models.checkpoint.MappedCheckpoint;
import dev.mt5augment.models.checkpoint.Mt5WeightLayout;
import dev.mt5augment.models.checkpoint.SafetensorsCheckpoint;
import dev.mt5augment.models.checkpoint.TensorDType;
import dev.mt5augment.models.checkpoint.TensorInfo;
import dev.mt5augment.models.config.ConfigException;
import dev.mt5augment.models.config.Mt5Config;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * {@code bin/mt5 inspect DIR [--json] [--load]}: what a model folder holds — config, parameter
 * count, weight dtypes, whether the weights fit the config, and every file with its role. With
 * {@code --load}, every weight the engine reads is loaded as float32 and summed, and the load time and
 * peak resident memory are reported. Problems are reported, not thrown: the exit status is 1 when
 * the folder cannot be run.
 */
public final class InspectCommand implements Subcommand {

    /** Files a tokenizer is built from. */
    static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "spiece.model", "tokenizer_config.json",
            "special_tokens_map.json", "added_tokens.json");

    @Override
    public String summary() {
        return "config, parameters, dtypes and files of a model folder [--json] [--load: time and peak RSS of loading it]";
    }

    @Override
    public int run(CommandLineArgs args, PrintStream out, PrintStream err) throws IOException {
        Path dir = Path.of(args.positional(0, "DIR"));
        boolean json = args.flag("json");
        boolean load = args.flag("load");
        args.rejectUnused();
        if (!Files.isDirectory(dir)) throw new CommandLineArgs.UsageException(dir + " is not a directory");

        ObjectMapper mapper = new ObjectMapper();
        ObjectNode report = mapper.createObjectNode();
        report.put("dir", dir.toAbsolutePath().normalize().toString());
        boolean ok = true;

        Mt5Config config = null;
        try {
            config = Mt5Config.load(dir);
            report.set("config", configSummary(config));
        } catch (ConfigException e) {
            report.putObject("config").put("error", e.getMessage());
            ok = false;
        }

        ObjectNode weights = report.putObject("weights");
        try (MappedCheckpoint checkpoint = Checkpoints.open(Checkpoints.locate(dir))) {
            Checkpoints.Located located = Checkpoints.locate(dir);
            weights.put("format", located.format().name().toLowerCase());
            ArrayNode files = weights.putArray("files");
            long fileBytes = 0;
            for (Path f : checkpoint.files()) {
                files.add(f.getFileName().toString());
                fileBytes += Files.size(f);
            }
            weights.put("bytes", fileBytes);
            weights.put("tensors", checkpoint.tensorNames().size());
            weights.set("dtypes", dtypeHistogram(checkpoint, mapper));
            long elements = 0;
            for (String name : checkpoint.tensorNames()) elements += checkpoint.info(name).elementCount();
            weights.put("tensor_elements", elements);
            if (config != null) {
                weights.put("parameters", new Mt5WeightLayout(config).parameterCount());
                try {
                    CheckpointValidator.validate(checkpoint, config);
                    weights.put("fits_config", true);
                } catch (CheckpointException e) {
                    weights.put("fits_config", false);
                    weights.put("error", e.getMessage());
                    ok = false;
                }
            }
            if (load && weights.path("error").isMissingNode()) {
                report.set("load", measureLoad(checkpoint, config, fileBytes, mapper));
            }
        } catch (CheckpointException e) {
            weights.put("error", e.getMessage());
            ok = false;
        }

        report.set("tokenizer", tokenizerFiles(dir, mapper));
        List<String> read = new ArrayList<>();
        weights.path("files").forEach(f -> read.add(f.asText()));
        report.set("files", fileList(dir, mapper, report, read));

        if (json) {
            out.println(mapper.writeValueAsString(report));
        } else {
            printText(report, out);
        }
        return ok ? 0 : 1;
    }

    private static ObjectNode configSummary(Mt5Config c) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("model_type", c.modelType());
        o.put("vocab_size", c.vocabSize());
        o.put("d_model", c.dModel());
        o.put("d_kv", c.dKv());
        o.put("num_heads", c.numHeads());
        o.put("d_ff", c.dFf());
        o.put("num_layers", c.numLayers());
        o.put("num_decoder_layers", c.numDecoderLayers());
        o.put("feed_forward", (c.gatedFeedForward() ? "gated-" : "") + c.activation().name().toLowerCase());
        o.put("tie_word_embeddings", c.tieWordEmbeddings());
        o.put("relative_attention_num_buckets", c.relativeAttentionNumBuckets());
        o.put("relative_attention_max_distance", c.relativeAttentionMaxDistance());
        o.put("layer_norm_epsilon", c.layerNormEpsilon());
        o.put("pad_token_id", c.padTokenId());
        o.put("eos_token_id", c.eosTokenId());
        o.put("decoder_start_token_id", c.decoderStartTokenId());
        return o;
    }

    private static ObjectNode dtypeHistogram(MappedCheckpoint checkpoint, ObjectMapper mapper) {
        Map<TensorDType, long[]> counts = new EnumMap<>(TensorDType.class);
        for (String name : checkpoint.tensorNames()) {
            TensorInfo info = checkpoint.info(name);
            long[] c = counts.computeIfAbsent(info.dtype(), d -> new long[2]);
            c[0]++;
            c[1] += info.elementCount();
        }
        ObjectNode o = mapper.createObjectNode();
        counts.forEach((dtype, c) -> o.putObject(dtype.name()).put("tensors", c[0]).put("elements", c[1]));
        return o;
    }

    /** Loads what the engine would load, keeps it all alive, touches every element, and reads the peak RSS. */
    private static ObjectNode measureLoad(MappedCheckpoint checkpoint, Mt5Config config, long fileBytes, ObjectMapper mapper) {
        List<String> names = new ArrayList<>();
        if (config != null) {
            for (Mt5WeightLayout.TensorSpec s : new Mt5WeightLayout(config).tensors()) names.add(s.name());
        } else {
            for (String n : checkpoint.tensorNames()) if (checkpoint.info(n).dtype().isFloatingPoint()) names.add(n);
        }
        ObjectNode o = mapper.createObjectNode();
        long engineStart = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.zeros(new ai.djl.ndarray.types.Shape(1)).close(); // native library loaded before the clock starts
            o.put("engine_start_seconds", seconds(System.nanoTime() - engineStart));
            OptionalLong before = ResidentMemory.currentBytes();
            long start = System.nanoTime();
            List<NDArray> kept = new ArrayList<>(names.size());
            double checksum = 0;
            for (String name : names) {
                NDArray a = checkpoint.loadFloat32(name, manager);
                kept.add(a);
                try (NDArray sum = a.sum()) {
                    checksum += sum.getFloat();
                }
            }
            o.put("seconds", seconds(System.nanoTime() - start));
            o.put("tensors", kept.size());
            o.put("checksum", checksum);
            before.ifPresent(b -> o.put("rss_before_bytes", b));
            ResidentMemory.currentBytes().ifPresent(b -> o.put("rss_after_bytes", b));
            OptionalLong peak = ResidentMemory.peakBytes();
            peak.ifPresent(p -> o.put("peak_rss_bytes", p));
            o.put("weights_bytes", fileBytes);
            peak.ifPresent(p -> o.put("peak_rss_over_weights", Math.round(1000.0 * p / fileBytes) / 1000.0));
        }
        return o;
    }

    private static ObjectNode tokenizerFiles(Path dir, ObjectMapper mapper) {
        ObjectNode o = mapper.createObjectNode();
        ArrayNode present = o.putArray("files");
        for (String name : TOKENIZER_FILES) if (Files.isRegularFile(dir.resolve(name))) present.add(name);
        if (Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            o.put("source", "tokenizer.json");
        } else if (Files.isRegularFile(dir.resolve("spiece.model"))) {
            o.put("source", "spiece.model (to be converted to tokenizer.json)");
        } else {
            o.put("source", "none: token ids only");
        }
        return o;
    }

    private static ArrayNode fileList(Path dir, ObjectMapper mapper, ObjectNode report, List<String> weightsRead)
            throws IOException {
        ArrayNode files = mapper.createArrayNode();
        long total = 0;
        List<Path> paths;
        try (Stream<Path> s = Files.list(dir)) {
            paths = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path p : paths) {
            long size = Files.size(p);
            total += size;
            String name = p.getFileName().toString();
            String role = role(name);
            if (role.equals("weights") || role.equals("shard index")) {
                role += weightsRead.contains(name) || name.equals(SafetensorsCheckpoint.INDEX_FILE_NAME) && !weightsRead.isEmpty()
                        && !weightsRead.contains(SafetensorsCheckpoint.FILE_NAME) ? " (read)" : " (not read)";
            }
            files.addObject().put("name", name).put("bytes", size).put("role", role);
        }
        report.put("total_bytes", total);
        return files;
    }

    private static String role(String name) {
        if (name.equals("config.json")) return "config";
        if (name.equals("generation_config.json")) return "generation defaults";
        if (name.endsWith(".safetensors") || name.equals("pytorch_model.bin") || name.matches("pytorch_model-.*\\.bin")) {
            return "weights";
        }
        if (name.endsWith(".index.json")) return "shard index";
        if (TOKENIZER_FILES.contains(name)) return "tokenizer";
        return "other";
    }

    private static void printText(JsonNode r, PrintStream out) {
        out.println("folder      " + r.get("dir").asText());
        JsonNode c = r.get("config");
        if (c.has("error")) {
            out.println("config      ERROR " + c.get("error").asText());
        } else {
            out.printf("config      %s: vocab %,d, d_model %d, %d heads × d_kv %d, d_ff %d, %d+%d layers, %s, %s, "
                            + "buckets %d / max distance %d, eps %s%n",
                    c.get("model_type").asText(), c.get("vocab_size").asInt(), c.get("d_model").asInt(),
                    c.get("num_heads").asInt(), c.get("d_kv").asInt(), c.get("d_ff").asInt(), c.get("num_layers").asInt(),
                    c.get("num_decoder_layers").asInt(), c.get("feed_forward").asText(),
                    c.get("tie_word_embeddings").asBoolean() ? "tied LM head" : "untied LM head",
                    c.get("relative_attention_num_buckets").asInt(), c.get("relative_attention_max_distance").asInt(),
                    c.get("layer_norm_epsilon").asText());
        }
        JsonNode w = r.get("weights");
        if (w.has("format")) {
            List<String> files = new ArrayList<>();
            w.get("files").forEach(f -> files.add(f.asText()));
            out.printf("weights     %s (%s), %d tensors, %,d bytes%n", String.join(", ", files), w.get("format").asText(),
                    w.get("tensors").asInt(), w.get("bytes").asLong());
            if (w.has("parameters")) out.printf("parameters  %,d (read by the engine)%n", w.get("parameters").asLong());
            StringBuilder dt = new StringBuilder();
            w.get("dtypes").fields().forEachRemaining(e -> dt.append(dt.length() == 0 ? "" : ", ").append(e.getKey())
                    .append(String.format(" %d tensors / %,d elements", e.getValue().get("tensors").asLong(),
                            e.getValue().get("elements").asLong())));
            out.println("dtypes      " + dt);
            if (w.has("fits_config")) out.println("fits config " + (w.get("fits_config").asBoolean() ? "yes" : "NO"));
        }
        if (w.has("error")) out.println("weights     ERROR " + w.get("error").asText());
        JsonNode l = r.get("load");
        if (l != null) {
            out.printf("load        %d tensors in %.2f s (engine start %.2f s), checksum %s%n", l.get("tensors").asInt(),
                    l.get("seconds").asDouble(), l.get("engine_start_seconds").asDouble(), l.get("checksum").asText());
            if (l.has("peak_rss_bytes")) {
                out.printf("memory      peak RSS %,d bytes = %.3f × the weight files (%,d bytes)%n",
                        l.get("peak_rss_bytes").asLong(), l.get("peak_rss_over_weights").asDouble(),
                        l.get("weights_bytes").asLong());
            }
        }
        JsonNode t = r.get("tokenizer");
        out.println("tokenizer   " + t.get("source").asText());
        out.println("files");
        for (JsonNode f : r.get("files")) {
            out.printf("  %-32s %,15d  %s%n", f.get("name").asText(), f.get("bytes").asLong(), f.get("role").asText());
        }
        out.printf("total       %,d bytes%n", r.get("total_bytes").asLong());
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }
}
