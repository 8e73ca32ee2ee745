package dev.mt5augment.models.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.models.checkpoint.CheckpointValidator;
import dev.mt5augment.models.checkpoint.Checkpoints;
import dev.mt5augment.models.checkpoint.MappedCheckpoint;
import dev.mt5augment.models.checkpoint.Mt5WeightLayout;
import dev.mt5augment.models.checkpoint.SafetensorsCheckpoint;
import dev.mt5augment.models.checkpoint.SafetensorsConverter;
import dev.mt5augment.models.checkpoint.TensorDType;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.models.tokenizer.Tokenizers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/mt5 convert DIR OUT [--dtype fp32|fp16]}: rewrites a model folder's weights (any format
 * this engine reads) as one {@code OUT/model.safetensors} holding exactly the tensors the engine reads,
 * names sorted, streamed without loading the model; copies the config, generation defaults and
 * tokenizer files. A folder with only {@code spiece.model} gets an equivalent {@code tokenizer.json}.
 */
public final class ConvertCommand implements Subcommand {

    /** Copied to OUT when present. */
    static final List<String> COPIED = List.of("config.json", "generation_config.json", "tokenizer.json", "spiece.model",
            "tokenizer_config.json", "special_tokens_map.json");

    @Override
    public String summary() {
        return "DIR OUT [--dtype fp32|fp16]: weights to one model.safetensors, plus config and tokenizer files";
    }

    @Override
    public int run(CommandLineArgs args, PrintStream out, PrintStream err) throws IOException {
        Path dir = Path.of(args.positional(0, "DIR"));
        Path outDir = Path.of(args.positional(1, "OUT"));
        String dtypeName = args.string("dtype", "fp32");
        args.rejectUnused();
        TensorDType dtype = switch (dtypeName) {
            case "fp32" -> TensorDType.F32;
            case "fp16" -> TensorDType.F16;
            default -> throw new CommandLineArgs.UsageException("--dtype must be fp32 or fp16, got '" + dtypeName + "'");
        };
        if (args.positionals().size() > 2) throw new CommandLineArgs.UsageException("unexpected argument " + args.positionals().get(2));
        if (!Files.isDirectory(dir)) throw new CommandLineArgs.UsageException(dir + " is not a directory");
        Files.createDirectories(outDir);
        if (Files.isSameFile(dir, outDir)) {
            throw new CommandLineArgs.UsageException("OUT must differ from DIR: converting in place would overwrite the weights being read");
        }

        Mt5Config config = Mt5Config.load(dir);
        long start = System.nanoTime();
        ObjectNode report = new ObjectMapper().createObjectNode();
        try (MappedCheckpoint checkpoint = Checkpoints.open(dir)) {
            CheckpointValidator.validate(checkpoint, config);
            List<String> names = new ArrayList<>();
            for (Mt5WeightLayout.TensorSpec s : new Mt5WeightLayout(config).tensors()) names.add(s.name());
            Path target = outDir.resolve(SafetensorsCheckpoint.FILE_NAME);
            err.println("converting " + checkpoint.source() + " (" + names.size() + " tensors) to " + dtype + " " + target);
            long bytes = SafetensorsConverter.convert(checkpoint, names, dtype, target, Map.of("format", "pt"));
            report.put("out", target.toString());
            report.put("dtype", dtype.name());
            report.put("tensors", names.size());
            report.put("data_bytes", bytes);
            report.put("file_bytes", Files.size(target));
        }
        ArrayNode copied = report.putArray("copied");
        for (String name : COPIED) {
            Path from = dir.resolve(name);
            if (Files.isRegularFile(from)) {
                Files.copy(from, outDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                copied.add(name);
            }
        }
        report.put("tokenizer_json", tokenizerJson(dir, outDir, err));
        report.put("seconds", Math.round((System.nanoTime() - start) / 1e6) / 1000.0);
        out.println(report);
        return 0;
    }

    private String tokenizerJson(Path dir, Path outDir, PrintStream err) throws IOException {
        if (Files.isRegularFile(dir.resolve(Tokenizers.TOKENIZER_JSON))) return "copied";
        if (!Files.isRegularFile(dir.resolve(Tokenizers.SENTENCEPIECE_MODEL))) {
            err.println("note: no tokenizer.json or spiece.model in " + dir + "; OUT runs on token ids only");
            return "none: no tokenizer in the source";
        }
        Tokenizers.writeTokenizerJson(dir, outDir.resolve(Tokenizers.TOKENIZER_JSON));
        return "converted from spiece.model";
    }
}
