package dev.mt5augment.models.cli;

import dev.mt5augment.models.vocab.IdListFile;
import dev.mt5augment.models.vocab.KeepPolicy;
import dev.mt5augment.models.vocab.TrimReport;
import dev.mt5augment.models.vocab.VocabularyTrimmer;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code bin/mt5 trim-vocab DIR OUT --corpus FILE [--min-count N] [--keep-ascii] [--keep-ids FILE]
 * [--held-out FILE]}: writes a copy of the model that keeps only the vocabulary the corpus uses
 * (see {@link VocabularyTrimmer} for what is kept and what stays equal) and prints a JSON report.
 * {@code --keep-ids FILE} keeps listed ids too; alone (no corpus) it trims a model by ids, which is how
 * a tokenizer-less benchmark checkpoint ({@code bin/mt5 random --shape mt5-base}) is trimmed.
 */
public final class TrimVocabCommand implements Subcommand {

    @Override
    public String summary() {
        return "DIR OUT --corpus FILE [--min-count N] [--keep-ascii] [--keep-ids FILE] [--held-out FILE]: keep only the vocabulary a corpus uses";
    }

    @Override
    public int run(CommandLineArgs args, PrintStream out, PrintStream err) {
        Path dir = Path.of(args.positional(0, "DIR"));
        Path outDir = Path.of(args.positional(1, "OUT"));
        String corpus = args.string("corpus", null);
        String heldOut = args.string("held-out", null);
        String keepIds = args.string("keep-ids", null);
        int minCount = args.integer("min-count", 1);
        boolean keepAscii = args.flag("keep-ascii");
        args.rejectUnused();
        if (args.positionals().size() > 2) throw new CommandLineArgs.UsageException("unexpected argument " + args.positionals().get(2));
        if (corpus == null && keepIds == null) throw new CommandLineArgs.UsageException("--corpus FILE is required (or --keep-ids FILE)");
        if (minCount < 1) throw new CommandLineArgs.UsageException("--min-count must be at least 1, got " + minCount);
        for (String[] option : new String[][] {{"corpus", corpus}, {"held-out", heldOut}, {"keep-ids", keepIds}}) {
            if ("true".equals(option[1])) throw new CommandLineArgs.UsageException("--" + option[0] + " needs a file");
        }

        KeepPolicy policy = KeepPolicy.builder()
                .minCount(minCount)
                .keepAscii(keepAscii)
                .extraIds(keepIds == null ? new int[0] : IdListFile.read(Path.of(keepIds)))
                .build();
        TrimReport report = VocabularyTrimmer.builder(dir, outDir)
                .corpus(corpus == null ? null : Path.of(corpus))
                .heldOut(heldOut == null ? null : Path.of(heldOut))
                .policy(policy)
                .progress(err)
                .build()
                .trim();
        report.warnings().forEach(w -> err.println("warning: " + w));
        out.println(report.toJson());
        return 0;
    }
}
