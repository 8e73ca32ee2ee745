package dev.mt5augment.models.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.models.tokenizer.HuggingFaceTextTokenizer;
import dev.mt5augment.models.tokenizer.Tokenizers;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/mt5 tokenize DIR --text T [--text T ...]}: one JSON line per text,
 * {@code {"text": T, "ids": [...]}}, ids as the encoder gets them (ending with {@code </s>}).
 * DIR is a checkpoint folder ({@code tokenizer.json} or {@code spiece.model}) or either file.
 * Lines are written as UTF-8 whatever the console's charset.
 */
public final class TokenizeCommand implements Subcommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String summary() {
        return "DIR --text T [--text T...]  JSON lines {\"text\",\"ids\"} (ids end with </s>)";
    }

    @Override
    public int run(CommandLineArgs args, PrintStream out, PrintStream err) throws Exception {
        Path dir = Path.of(args.positional(0, "DIR"));
        List<String> texts = args.all("text");
        args.rejectUnused();
        if (args.positionals().size() > 1) {
            throw new CommandLineArgs.UsageException("unexpected argument '" + args.positionals().get(1) + "'");
        }
        if (texts.isEmpty()) throw new CommandLineArgs.UsageException("give at least one --text");
        try (HuggingFaceTextTokenizer tokenizer = Tokenizers.load(dir)) {
            List<int[]> encoded = tokenizer.encode(texts);
            for (int i = 0; i < texts.size(); i++) {
                ObjectNode line = JSON.createObjectNode();
                line.put("text", HuggingFaceTextTokenizer.validUnicode(texts.get(i)));
                ArrayNode ids = line.putArray("ids");
                for (int id : encoded.get(i)) ids.add(id);
                out.write(JSON.writeValueAsBytes(line));
                out.write('\n');
            }
        }
        out.flush();
        return 0;
    }
}
