package dev.mt5augment.models.vocab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mt5augment.models.checkpoint.CheckpointValidator;
import dev.mt5augment.models.checkpoint.Checkpoints;
import dev.mt5augment.models.checkpoint.MappedCheckpoint;
import dev.mt5augment.models.checkpoint.TensorDType;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.models.tokenizer.HuggingFaceTextTokenizer;
import dev.mt5augment.models.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trimmed checkpoint opens and validates, holds the gathered rows, and everything else unchanged. */
class TrimmedCheckpointTest {

    @Test
    void gathersTheVocabularyRowsAndCopiesEveryOtherTensor(@TempDir Path tmp) {
        TrimReport report = TrimFixture.trimFixture(tmp, "out", KeepPolicy.builder().build());
        IdMapping m = IdMapping.read(tmp.resolve("out"));
        assertEquals(1408, report.oldVocabSize());
        assertEquals(m.newVocabSize(), report.newVocabSize());
        assertTrue(report.newModelBytes() < report.oldModelBytes());
        Mt5Config config = Mt5Config.load(tmp.resolve("out"));
        assertEquals(m.newVocabSize(), config.vocabSize());
        assertEquals(Mt5Config.load(TrimFixture.dir()), withVocab(config, 1408), "only vocab_size changed");
        assertSameWeights(TrimFixture.dir(), tmp.resolve("out"), m, TensorDType.F32);
        assertFalse(Files.exists(tmp.resolve(".out.trim-partial")), "staging folder removed");
    }

    @Test
    void trimsAPytorchBinWithAnFp16OrSpieceOnlySourceKeepingItsDtype(@TempDir Path tmp) throws Exception {
        Path corpus = TrimFixture.write(tmp.resolve("train.txt"), TrimFixture.trainingLines());

        // pytorch_model.bin with its embed_tokens aliases, tokenizer from spiece.model only.
        Path bin = TrimFixture.modelWith(tmp, "bin", "config.json", "pytorch_model.bin", "spiece.model");
        TrimReport fromBin = VocabularyTrimmer.builder(bin, tmp.resolve("bin-out")).corpus(corpus).build().trim();
        assertEquals(List.of("decoder.embed_tokens.weight", "encoder.embed_tokens.weight"), fromBin.droppedAliases().stream().sorted().toList());
        IdMapping m = IdMapping.read(tmp.resolve("bin-out"));
        assertSameWeights(TrimFixture.dir(), tmp.resolve("bin-out"), m, TensorDType.F32);
        assertFalse(Files.exists(tmp.resolve("bin-out/spiece.model")), "a spiece.model would carry the old ids");

        // The same selection as from the tokenizer.json source, and the same trimmed tokenization.
        TrimReport fromJson = VocabularyTrimmer.builder(TrimFixture.dir(), tmp.resolve("json-out")).corpus(corpus).build().trim();
        assertArrayEquals(IdMapping.read(tmp.resolve("json-out")).oldIds(), m.oldIds());
        assertEquals(fromJson.newVocabSize(), fromBin.newVocabSize());
        try (HuggingFaceTextTokenizer a = Tokenizers.load(tmp.resolve("bin-out"));
             HuggingFaceTextTokenizer b = Tokenizers.load(tmp.resolve("json-out"))) {
            List<String> lines = TrimFixture.corpusLines();
            List<int[]> x = a.encode(lines);
            List<int[]> y = b.encode(lines);
            for (int i = 0; i < lines.size(); i++) assertArrayEquals(y.get(i), x.get(i), lines.get(i));
        }

        // An F16 source stays F16: rows are copied as stored, not converted.
        Path fp16 = Files.createDirectories(tmp.resolve("fp16"));
        Files.copy(TrimFixture.dir().resolve("model.fp16.safetensors"), fp16.resolve("model.safetensors"));
        Files.copy(TrimFixture.dir().resolve("config.json"), fp16.resolve("config.json"));
        Files.copy(TrimFixture.dir().resolve("tokenizer.json"), fp16.resolve("tokenizer.json"));
        VocabularyTrimmer.builder(fp16, tmp.resolve("fp16-out")).corpus(corpus).build().trim();
        assertSameWeights(fp16, tmp.resolve("fp16-out"), IdMapping.read(tmp.resolve("fp16-out")), TensorDType.F16);
    }

    @Test
    void trimsAModelWithoutTokenizerByIdsAlone(@TempDir Path tmp) throws Exception {
        Path bare = TrimFixture.modelWith(tmp, "bare", "config.json", "model.safetensors", "generation_config.json");
        Path ids = tmp.resolve("ids.txt");
        Files.writeString(ids, "# the first 100 ids and one of the padding rows\n" + "[" + String.join(",",
                java.util.stream.IntStream.range(0, 100).mapToObj(Integer::toString).toList()) + "]\n1407\n");
        TrimReport r = VocabularyTrimmer.builder(bare, tmp.resolve("out"))
                .policy(KeepPolicy.builder().extraIds(IdListFile.read(ids)).build()).build().trim();
        assertEquals(101, r.newVocabSize());
        assertEquals(0, r.newPieces());
        assertFalse(Files.exists(tmp.resolve("out/tokenizer.json")));
        IdMapping m = IdMapping.read(tmp.resolve("out"));
        assertEquals(1407, m.toOld(100));
        assertSameWeights(TrimFixture.dir(), tmp.resolve("out"), m, TensorDType.F32);
    }

    private static Mt5Config withVocab(Mt5Config c, int vocab) {
        return new Mt5Config(c.modelType(), vocab, c.dModel(), c.dKv(), c.numHeads(), c.dFf(), c.numLayers(), c.numDecoderLayers(),
                c.relativeAttentionNumBuckets(), c.relativeAttentionMaxDistance(), c.layerNormEpsilon(), c.activation(),
                c.gatedFeedForward(), c.tieWordEmbeddings(), c.padTokenId(), c.eosTokenId(), c.decoderStartTokenId());
    }

    /** Opens both through the engine's loader: vocabulary rows gathered, all else bit-identical. */
    static void assertSameWeights(Path original, Path trimmed, IdMapping m, TensorDType dtype) {
        Set<String> vocabRows = Set.of("shared.weight", "lm_head.weight");
        try (MappedCheckpoint a = Checkpoints.open(original); MappedCheckpoint b = Checkpoints.open(trimmed);
             NDManager manager = NDManager.newBaseManager("PyTorch")) {
            CheckpointValidator.validate(b, Mt5Config.load(trimmed));
            for (String name : b.tensorNames()) {
                assertEquals(dtype, b.info(name).dtype(), name);
                float[] before = a.loadFloat32(name, manager).toFloatArray();
                NDArray after = b.loadFloat32(name, manager);
                if (!vocabRows.contains(name)) {
                    assertArrayEquals(before, after.toFloatArray(), name);
                    continue;
                }
                int d = (int) after.getShape().get(1);
                assertEquals(m.newVocabSize(), after.getShape().get(0), name);
                float[] rows = after.toFloatArray();
                for (int n = 0; n < m.newVocabSize(); n++) {
                    int old = m.toOld(n);
                    assertArrayEquals(java.util.Arrays.copyOfRange(before, old * d, old * d + d),
                            java.util.Arrays.copyOfRange(rows, n * d, n * d + d), name + " row " + n + " (old " + old + ")");
                }
            }
            Set<String> expected = new java.util.TreeSet<>(a.tensorNames());
            expected.removeAll(TrimmedCheckpointWriter.SHARED_ALIASES);
            assertEquals(expected, new java.util.TreeSet<>(b.tensorNames()));
        }
    }
}
