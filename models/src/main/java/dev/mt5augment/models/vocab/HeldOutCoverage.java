package dev.mt5augment.models.vocab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.models.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How much of a held-out text a trimmed vocabulary covers. Each non-blank line is encoded with the
 * full tokenizer; a token is covered when its id was kept ({@code <unk>} is kept, so a character the
 * full vocabulary lacks counts as covered: it is unknown either way; {@link #unknownTokens} says how
 * many). A line is fully covered when all its tokens are. For those lines the trimmed tokenizer must
 * give the same ids, mapped ({@link VocabularyTrimmer} explains why); {@link #identicalLines} counts
 * the lines where it does, checked by encoding them again with the trimmed tokenizer.
 *
 * @param lines              non-blank lines (cut parts of over-long lines count separately)
 * @param tokens             tokens, the appended {@code </s>} excluded
 * @param coveredTokens      tokens whose id was kept
 * @param unknownTokens      {@code <unk>} tokens of the full tokenizer (included in the covered ones)
 * @param fullyCoveredLines  lines all of whose tokens were kept
 * @param identicalLines     fully covered lines the trimmed tokenizer encodes to the same ids, mapped
 * @param firstDifferentLines up to 5 segment numbers (1-based) of fully covered lines encoded differently
 */
public record HeldOutCoverage(long lines, long tokens, long coveredTokens, long unknownTokens, long fullyCoveredLines,
                              long identicalLines, List<Long> firstDifferentLines) {

    private static final int LISTED = 5;

    public HeldOutCoverage {
        firstDifferentLines = List.copyOf(firstDifferentLines);
    }

    public double tokenCoverage() {
        return tokens == 0 ? 0 : (double) coveredTokens / tokens;
    }

    public double lineCoverage() {
        return lines == 0 ? 0 : (double) fullyCoveredLines / lines;
    }

    /**
     * Measures {@code heldOut}.
     *
     * @param full    the untrimmed tokenizer
     * @param trimmed the trimmed tokenizer, or null to skip the identity check
     */
    public static HeldOutCoverage measure(TextTokenizer full, TextTokenizer trimmed, IdMapping mapping, int unkId, Path heldOut) {
        long lines = 0, tokens = 0, covered = 0, unknown = 0, fullyCovered = 0, identical = 0;
        List<Long> different = new ArrayList<>();
        try (CorpusReader reader = CorpusReader.open(heldOut, "held-out file")) {
            for (List<String> batch = reader.nextBatch(CorpusCounter.BATCH_SEGMENTS, CorpusCounter.BATCH_CHARS); !batch.isEmpty();
                 batch = reader.nextBatch(CorpusCounter.BATCH_SEGMENTS, CorpusCounter.BATCH_CHARS)) {
                List<int[]> fullIds = full.encode(batch);
                List<String> coveredText = new ArrayList<>();
                List<int[]> coveredIds = new ArrayList<>();
                List<Long> coveredLine = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    lines++;
                    int[] ids = fullIds.get(i);
                    boolean all = true;
                    for (int t = 0; t < ids.length - 1; t++) {
                        tokens++;
                        if (ids[t] == unkId) unknown++;
                        if (mapping.isKept(ids[t])) covered++;
                        else all = false;
                    }
                    if (all) {
                        fullyCovered++;
                        coveredText.add(batch.get(i));
                        coveredIds.add(ids);
                        coveredLine.add(lines);
                    }
                }
                if (trimmed == null || coveredText.isEmpty()) continue;
                List<int[]> again = trimmed.encode(coveredText);
                for (int i = 0; i < again.size(); i++) {
                    if (Arrays.equals(mapping.toNew(coveredIds.get(i)), again.get(i))) {
                        identical++;
                    } else if (different.size() < LISTED) {
                        different.add(coveredLine.get(i));
                    }
                }
            }
        }
        return new HeldOutCoverage(lines, tokens, covered, unknown, fullyCovered, identical, different);
    }

    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("lines", lines);
        o.put("tokens", tokens);
        o.put("covered_tokens", coveredTokens);
        o.put("token_coverage", round(tokenCoverage()));
        o.put("unknown_tokens", unknownTokens);
        o.put("fully_covered_lines", fullyCoveredLines);
        o.put("line_coverage", round(lineCoverage()));
        o.put("fully_covered_lines_identical", identicalLines);
        var diff = o.putArray("fully_covered_lines_different");
        firstDifferentLines.forEach(diff::add);
        return o;
    }

    static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
