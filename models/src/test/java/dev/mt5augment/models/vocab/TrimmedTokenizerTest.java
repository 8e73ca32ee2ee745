package dev.mt5augment.models.vocab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.models.tokenizer.HuggingFaceTextTokenizer;
import dev.mt5augment.models.tokenizer.Tokenizers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guarantee (a): text that the full tokenizer segments into kept pieces only is segmented the same
 * way by the trimmed tokenizer, ids mapped; and the trimmed tokenizer.json traces back to the original.
 */
class TrimmedTokenizerTest {

    @TempDir
    static Path tmp;
    static TrimReport report;
    static IdMapping mapping;

    @BeforeAll
    static void trim() {
        report = TrimFixture.trimFixture(tmp, "trimmed", KeepPolicy.builder().build());
        mapping = IdMapping.read(tmp.resolve("trimmed"));
    }

    @Test
    void coveredTextTokenizesTheSameAndUncoveredTextStillEncodes() {
        List<String> texts = new ArrayList<>(TrimFixture.corpusLines());
        for (JsonNode c : TrimFixture.readJson(TrimFixture.dir().resolve("tokenization.json")).get("cases")) texts.add(c.get("text").asText());
        int covered = 0;
        int heldOutCovered = 0;
        List<String> heldOut = TrimFixture.heldOutLines();
        try (HuggingFaceTextTokenizer full = Tokenizers.load(TrimFixture.dir());
             HuggingFaceTextTokenizer trimmed = Tokenizers.load(tmp.resolve("trimmed"))) {
            List<int[]> fullIds = full.encode(texts);
            List<int[]> trimmedIds = trimmed.encode(texts);
            for (int i = 0; i < texts.size(); i++) {
                int[] ids = fullIds.get(i);
                int[] got = trimmedIds.get(i);
                if (mapping.keepsAll(ids)) {
                    covered++;
                    assertArrayEquals(mapping.toNew(ids), got, "text " + i + ": " + texts.get(i));
                    assertEquals(full.decode(ids), trimmed.decode(got), "decoded text " + i);
                } else {
                    assertEquals(1, got[got.length - 1], "ends with </s>");
                    for (int id : got) assertTrue(id >= 0 && id < mapping.newVocabSize(), "id " + id + " in range");
                }
            }
            for (int[] ids : full.encode(heldOut)) {
                if (mapping.keepsAll(ids)) heldOutCovered++;
            }
        }
        // Every training line is covered by construction; most held-out lines are too.
        assertTrue(covered >= TrimFixture.trainingLines().size(), "covered " + covered);
        assertEquals(report.heldOut().fullyCoveredLines(), heldOutCovered);
        assertTrue(heldOutCovered >= 30, "held-out lines covered: " + heldOutCovered);
        assertEquals(report.heldOut().fullyCoveredLines(), report.heldOut().identicalLines());
    }

    @Test
    void everyNewIdTracesBackToTheSamePieceAndScore() {
        JsonNode full = TrimFixture.readJson(TrimFixture.dir().resolve("tokenizer.json"));
        JsonNode trimmed = TrimFixture.readJson(tmp.resolve("trimmed/tokenizer.json"));
        JsonNode oldVocab = full.get("model").get("vocab");
        JsonNode newVocab = trimmed.get("model").get("vocab");
        assertEquals(mapping.newVocabSize(), newVocab.size());
        assertEquals(report.newVocabSize(), newVocab.size());
        for (int n = 0; n < newVocab.size(); n++) assertEquals(oldVocab.get(mapping.toOld(n)), newVocab.get(n), "id " + n);
        assertEquals(2, trimmed.get("model").get("unk_id").asInt());
        assertEquals(1, trimmed.get("post_processor").get("special_tokens").get("</s>").get("ids").get(0).asInt());
        assertEquals(full.get("normalizer"), trimmed.get("normalizer"));
        assertEquals(full.get("pre_tokenizer"), trimmed.get("pre_tokenizer"));
        assertEquals(full.get("decoder"), trimmed.get("decoder"));
        // The config and the mapping agree on the new size; the special ids did not move.
        assertEquals(newVocab.size(), TrimFixture.readJson(tmp.resolve("trimmed/config.json")).get("vocab_size").asInt());
        for (int id = 0; id < 3; id++) assertEquals(id, mapping.toNew(id));
        assertEquals(TrimFixture.readJson(TrimFixture.dir().resolve("generation_config.json")),
                TrimFixture.readJson(tmp.resolve("trimmed/generation_config.json")));
    }

    @Test
    void specialTokenTextStaysText() {
        try (HuggingFaceTextTokenizer full = Tokenizers.load(TrimFixture.dir());
             HuggingFaceTextTokenizer trimmed = Tokenizers.load(tmp.resolve("trimmed"))) {
            for (String text : List.of("a</s>b", "<pad>", "x <unk> y", "</s>")) {
                int[] got = trimmed.encode(text);
                for (int i = 0; i < got.length - 1; i++) {
                    assertTrue(got[i] == 2 || got[i] > 2, text + ": special id " + got[i] + " at " + i);
                }
                int[] ids = full.encode(text);
                if (mapping.keepsAll(ids)) assertArrayEquals(mapping.toNew(ids), got, text);
            }
        }
    }

    /** mT5's pieceless rows (1400–1407 here) can be kept with --keep-ids: they stay pieceless, after every piece. */
    @Test
    void keptPiecelessRowsStayPastThePieces(@TempDir Path dir) {
        Path corpus = TrimFixture.write(dir.resolve("c.txt"), TrimFixture.trainingLines().subList(0, 50));
        TrimReport r = VocabularyTrimmer.builder(TrimFixture.dir(), dir.resolve("out")).corpus(corpus)
                .policy(KeepPolicy.builder().extraIds(new int[] {1407, 1400}).build()).build().trim();
        IdMapping m = IdMapping.read(dir.resolve("out"));
        assertEquals(r.newPieces() + 2, m.newVocabSize());
        assertEquals(1400, m.toOld(m.newVocabSize() - 2));
        assertEquals(1407, m.toOld(m.newVocabSize() - 1));
        try (HuggingFaceTextTokenizer trimmed = Tokenizers.load(dir.resolve("out"))) {
            assertEquals(r.newPieces(), trimmed.pieceCount());
            assertEquals("", trimmed.decode(new int[] {m.newVocabSize() - 2, m.newVocabSize() - 1}));
        }
    }

    /**
     * (a) under aggressive, arbitrary trims: keep a random 10–60 % of the pieces and check every
     * corpus line and random piece concatenation that the full tokenizer covers.
     */
    @Test
    void randomTrimsKeepTheSegmentationOfCoveredText(@TempDir Path dir) throws Exception {
        JsonNode raw = Tokenizers.readTokenizerJson(TrimFixture.dir());
        PieceTable pieces = PieceTable.of(raw, "fixture");
        Random random = new Random(20240607);
        long checked = 0;
        try (HuggingFaceTextTokenizer full = Tokenizers.load(TrimFixture.dir())) {
            List<String> corpus = TrimFixture.corpusLines();
            List<int[]> corpusIds = full.encode(corpus);
            for (int trial = 0; trial < 6; trial++) {
                double share = 0.1 + 0.1 * trial;
                int[] extra = random.ints(0, pieces.size()).limit((long) (share * pieces.size())).toArray();
                IdMapping m = VocabularySelection.select(1408, pieces, null, new int[] {0, 1, 0},
                        KeepPolicy.builder().extraIds(extra).build()).mapping();
                Path file = dir.resolve("trial" + trial + ".json");
                Files.writeString(file, TokenizerJsonTrimmer.trim(raw, m, "fixture").toString());
                List<String> texts = new ArrayList<>();
                List<int[]> expected = new ArrayList<>();
                for (int i = 0; i < corpus.size(); i++) {
                    if (m.keepsAll(corpusIds.get(i))) {
                        texts.add(corpus.get(i));
                        expected.add(corpusIds.get(i));
                    }
                }
                List<String> made = new ArrayList<>();
                for (int t = 0; t < 400; t++) made.add(concatenationOfKeptPieces(pieces, m, random));
                List<int[]> madeIds = full.encode(made);
                for (int i = 0; i < made.size(); i++) {
                    if (m.keepsAll(madeIds.get(i))) {
                        texts.add(made.get(i));
                        expected.add(madeIds.get(i));
                    }
                }
                try (HuggingFaceTextTokenizer trimmed = Tokenizers.load(file)) {
                    List<int[]> got = trimmed.encode(texts);
                    for (int i = 0; i < texts.size(); i++) {
                        assertArrayEquals(m.toNew(expected.get(i)), got.get(i), "trial " + trial + ": '" + texts.get(i) + "'");
                    }
                }
                checked += texts.size();
            }
        }
        assertTrue(checked > 600, "covered texts checked: " + checked);
    }

    private static String concatenationOfKeptPieces(PieceTable pieces, IdMapping m, Random random) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(6);
        while (n > 0) {
            int id = m.toOld(random.nextInt(m.newVocabSize()));
            if (id >= pieces.size() || pieces.isSpecial(id)) continue;
            sb.append(pieces.piece(id).replace('\u2581', ' '));
            n--;
        }
        return sb.toString();
    }

    /**
     * Why the lowest-scoring piece is always kept. Rust tokenizers scores an unknown character
     * {@code min_score - 10}. Here the full tokenizer segments "ab" as [▁][ab] (-24), beating [▁a][b]
     * (-1 - 25). A trim that keeps ▁, ab and ▁a but drops both b and the lowest piece zz (-40) raises
     * min_score to -12, so [▁a][<unk>] scores -1 - 22 = -23 and wins: the segmentation of fully kept
     * text changes. Keeping zz pins min_score and the unknown penalty, and the segmentation holds.
     */
    @Test
    void theLowestScoringPieceIsKeptSoUnknownCharactersCostWhatTheyDid(@TempDir Path dir) throws Exception {
        ObjectNode json = syntheticTokenizer(new String[] {"<pad>", "</s>", "<unk>", "\u2581", "ab", "\u2581a", "b", "zz"},
                new double[] {0, 0, 0, -12, -12, -1, -25, -40});
        Path fullFile = dir.resolve("full.json");
        Files.writeString(fullFile, json.toString());
        PieceTable pieces = PieceTable.of(json, "synthetic");
        try (HuggingFaceTextTokenizer full = Tokenizers.load(fullFile)) {
            assertArrayEquals(new int[] {3, 4, 1}, full.encode("ab"));
            assertArrayEquals(new int[] {5, 1}, full.encode("a"));

            // The selection a corpus of "ab" and "a" makes: zz is kept for its score, b is dropped.
            PieceUsage usage = new PieceUsage(new long[] {0, 0, 0, 1, 1, 1, 0, 0}, 2, 3, 0);
            VocabularySelection selection = VocabularySelection.select(8, pieces, usage, new int[] {0, 1, 0}, KeepPolicy.builder().build());
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 7}, selection.mapping().oldIds());
            assertEquals(1, selection.keptBy().get(KeepReason.LOWEST_SCORE));
            Path kept = dir.resolve("kept.json");
            Files.writeString(kept, TokenizerJsonTrimmer.trim(json, selection.mapping(), "synthetic").toString());
            try (HuggingFaceTextTokenizer trimmed = Tokenizers.load(kept)) {
                assertArrayEquals(selection.mapping().toNew(full.encode("ab")), trimmed.encode("ab"));
            }

            // Without zz the same fully kept text changes segmentation: the failure the rule prevents.
            IdMapping withoutLowest = IdMapping.keeping(8, new int[] {0, 1, 2, 3, 4, 5});
            Path dropped = dir.resolve("dropped.json");
            Files.writeString(dropped, TokenizerJsonTrimmer.trim(json, withoutLowest, "synthetic").toString());
            try (HuggingFaceTextTokenizer trimmed = Tokenizers.load(dropped)) {
                assertArrayEquals(new int[] {5, 2, 1}, trimmed.encode("ab"), Arrays.toString(trimmed.encode("ab")));
            }
        }
    }

    /** A minimal mT5-style unigram tokenizer.json: Metaspace, </s> appended, specials 0–2. */
    static ObjectNode syntheticTokenizer(String[] pieces, double[] scores) {
        ObjectNode root = TrimFixture.JSON.createObjectNode();
        root.put("version", "1.0");
        var added = root.putArray("added_tokens");
        for (int id = 0; id < 3; id++) {
            added.addObject().put("id", id).put("content", pieces[id]).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "Metaspace").put("replacement", "\u2581")
                .put("prepend_scheme", "always").put("split", true);
        ObjectNode post = root.putObject("post_processor").put("type", "TemplateProcessing");
        post.putArray("single").addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ((com.fasterxml.jackson.databind.node.ArrayNode) post.get("single")).addObject().putObject("SpecialToken").put("id", "</s>").put("type_id", 0);
        post.putArray("pair").addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ObjectNode eos = post.putObject("special_tokens").putObject("</s>");
        eos.put("id", "</s>");
        eos.putArray("ids").add(1);
        eos.putArray("tokens").add("</s>");
        root.putObject("decoder").put("type", "Metaspace").put("replacement", "\u2581").put("prepend_scheme", "always").put("split", true);
        ObjectNode model = root.putObject("model").put("type", "Unigram").put("unk_id", 2);
        var vocab = model.putArray("vocab");
        for (int i = 0; i < pieces.length; i++) vocab.addArray().add(pieces[i]).add(scores[i]);
        model.put("byte_fallback", false);
        return root;
    }
}
