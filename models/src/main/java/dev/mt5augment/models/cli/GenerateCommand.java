package dev.mt5augment.models.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.models.Mt5Model;
import dev.mt5augment.models.generation.DecodingStrategy;
import dev.mt5augment.models.generation.GeneratedSequence;
import dev.mt5augment.models.generation.GenerationConfig;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/mt5 generate DIR (--text T | --ids 1,2,3)... [generation flags]}: all inputs in one
 * batch; one JSON line per input, {@code {"text","input_ids","sequences","texts","scores"}}.
 * Sequences start with the decoder start id, as transformers returns them; {@code texts} are the
 * decoded sequences (omitted when the folder has no tokenizer); {@code text} is null for
 * {@code --ids} inputs. {@code --ids} rows are taken as given ({@code </s>} is not appended).
 */
public final class GenerateCommand implements Subcommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String summary() {
        return "DIR --text T|--ids 1,2,3 [--strategy greedy|beam|sample ...]  JSON lines of sequences";
    }

    @Override
    public int run(CommandLineArgs args, PrintStream out, PrintStream err) throws Exception {
        Path dir = Path.of(args.positional(0, "DIR"));
        if (args.positionals().size() > 1) {
            throw new CommandLineArgs.UsageException("unexpected argument '" + args.positionals().get(1) + "'");
        }
        List<String> texts = args.all("text");
        List<String> idRows = args.all("ids");
        if (texts.isEmpty() && idRows.isEmpty()) throw new CommandLineArgs.UsageException("give at least one --text or --ids");
        DecodingStrategy strategy = GenerationOptions.strategy(args, "greedy");
        GenerationConfig config = GenerationOptions.config(args, strategy);
        var modelOptions = GenerationOptions.model(args);
        args.rejectUnused();
        List<int[]> parsedIds = new ArrayList<>();
        for (String row : idRows) parsedIds.add(parseIds(row));

        try (Mt5Model model = Mt5Model.load(dir, modelOptions)) {
            List<String> sources = new ArrayList<>();
            List<GenerationInput> batch = new ArrayList<>();
            if (!texts.isEmpty()) {
                for (String t : texts) {
                    sources.add(t);
                    batch.add(new GenerationInput(model.tokenizer().encode(t), config));
                }
            }
            for (int[] ids : parsedIds) {
                sources.add(null);
                batch.add(new GenerationInput(ids, config));
            }
            List<GenerationOutput> outputs = model.generator().generate(batch);
            for (int i = 0; i < batch.size(); i++) {
                ObjectNode line = JSON.createObjectNode();
                line.put("text", sources.get(i));
                ArrayNode in = line.putArray("input_ids");
                for (int id : batch.get(i).inputIds()) in.add(id);
                ArrayNode sequences = line.putArray("sequences");
                ArrayNode decoded = model.hasTokenizer() ? line.putArray("texts") : null;
                ArrayNode scores = line.putArray("scores");
                for (GeneratedSequence s : outputs.get(i).sequences()) {
                    ArrayNode seq = sequences.addArray();
                    for (int id : s.tokenIds()) seq.add(id);
                    if (decoded != null) decoded.add(model.tokenizer().decode(s.tokenIds()));
                    scores.add(s.score());
                }
                out.write(JSON.writeValueAsBytes(line));
                out.write('\n');
            }
        }
        out.flush();
        return 0;
    }

    static int[] parseIds(String row) {
        String[] parts = row.split(",");
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new CommandLineArgs.UsageException("--ids expects comma-separated integers, got '" + row + "'");
            }
        }
        if (ids.length == 0) throw new CommandLineArgs.UsageException("--ids must not be empty");
        return ids;
    }
}
