package dev.mt5augment.models.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.models.tokenizer.sentencepiece.SentencePieceModel;
import dev.mt5augment.models.tokenizer.sentencepiece.SentencePieceToTokenizerJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizersTest {

    @Test
    void prefersTokenizerJsonAndFallsBackToSpieceModel(@TempDir Path dir) throws IOException {
        assertEquals(TinyMt5Fixture.tokenizerJson(), Tokenizers.locate(TinyMt5Fixture.dir()));
        Files.copy(TinyMt5Fixture.spieceModel(), dir.resolve("spiece.model"));
        Files.writeString(dir.resolve("config.json"), "{}");
        assertEquals(dir.resolve("spiece.model"), Tokenizers.locate(dir));
        try (HuggingFaceTextTokenizer t = Tokenizers.load(dir)) {
            assertArrayEquals(TinyMt5Fixture.cases().get(2).idsWithEos(), t.encode(TinyMt5Fixture.cases().get(2).text()));
        }
        // Converted in memory: nothing was written next to the model.
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("config.json", "spiece.model"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void missingTokenizerListsWhatTheFolderHolds(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{}");
        Files.writeString(dir.resolve("model.safetensors"), "");
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir));
        assertEquals(dir + ": no tokenizer: expected tokenizer.json or spiece.model; the folder holds config.json, model.safetensors",
                e.getMessage());
        Path nowhere = dir.resolve("nowhere");
        assertEquals(nowhere + ": no such file or directory",
                assertThrows(TokenizerException.class, () -> Tokenizers.load(nowhere)).getMessage());
    }

    @Test
    void corruptTokenizerJsonIsNamedAndNotSilentlyReplaced(@TempDir Path dir) throws IOException {
        Files.copy(TinyMt5Fixture.spieceModel(), dir.resolve("spiece.model"));
        Path json = dir.resolve("tokenizer.json");

        Files.writeString(json, "{\"model\": ");
        assertLoadFails(dir, json + ": not valid JSON");
        Files.writeString(json, "[1, 2]");
        assertLoadFails(dir, json + ": not a JSON object");
        Files.writeString(json, "{}");
        assertLoadFails(dir, json + ": has no \"model\" object");
        Files.writeString(json, "{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}");
        assertLoadFails(dir, json + ": model type 'BPE' is not a unigram");

        ObjectNode good = (ObjectNode) TinyMt5Fixture.read(TinyMt5Fixture.tokenizerJson());
        ObjectNode badUnk = good.deepCopy();
        ((ObjectNode) badUnk.get("model")).put("unk_id", 5000);
        Files.writeString(json, badUnk.toString());
        assertLoadFails(dir, json + ": model.unk_id 5000 is not an id among the 1400 pieces");

        ObjectNode hostileId = good.deepCopy();
        ((ObjectNode) ((ArrayNode) hostileId.get("added_tokens")).get(0)).put("id", 2_000_000_000);
        Files.writeString(json, hostileId.toString());
        assertLoadFails(dir, "has no id below 1403");

        ObjectNode badPair = good.deepCopy();
        ((ArrayNode) badPair.get("model").get("vocab")).set(7, TinyMt5Fixture.JSON.getNodeFactory().textNode("x"));
        Files.writeString(json, badPair.toString());
        assertLoadFails(dir, json + ": model.vocab[7] is not a [piece, score] pair: \"x\"");

        ObjectNode noEos = good.deepCopy();
        ((ArrayNode) noEos.get("added_tokens")).remove(1);
        ((ArrayNode) ((ArrayNode) noEos.get("model").get("vocab")).get(1)).set(0, TinyMt5Fixture.JSON.getNodeFactory().textNode("<eos>"));
        Files.writeString(json, noEos.toString());
        assertLoadFails(dir, json + ": has no </s> token");

        ObjectNode noPostProcessor = good.deepCopy();
        noPostProcessor.putNull("post_processor");
        Files.writeString(json, noPostProcessor.toString());
        assertLoadFails(dir, json + ": encoding the empty text gives [], expected [1]");

        ObjectNode rustRejects = good.deepCopy();
        rustRejects.putObject("pre_tokenizer").put("type", "Metaspace").put("replacement", "ab");
        Files.writeString(json, rustRejects.toString());
        assertLoadFails(dir, json + ": the Hugging Face tokenizer library rejects it");
    }

    @Test
    void corruptSpieceModelIsNamed(@TempDir Path dir) throws IOException {
        byte[] model = Files.readAllBytes(TinyMt5Fixture.spieceModel());
        Files.write(dir.resolve("spiece.model"), java.util.Arrays.copyOf(model, 1000));
        assertLoadFails(dir, dir.resolve("spiece.model") + ": corrupt SentencePiece model at byte ");
    }

    @Test
    void writesTokenizerJsonFromEitherSource(@TempDir Path dir) throws IOException {
        Path fromJson = dir.resolve("a.json");
        Tokenizers.writeTokenizerJson(TinyMt5Fixture.dir(), fromJson);
        assertArrayEquals(Files.readAllBytes(TinyMt5Fixture.tokenizerJson()), Files.readAllBytes(fromJson));

        Path onlySpiece = Files.createDirectory(dir.resolve("only-spiece"));
        Files.copy(TinyMt5Fixture.spieceModel(), onlySpiece.resolve("spiece.model"));
        Path fromSpiece = dir.resolve("b.json");
        Tokenizers.writeTokenizerJson(onlySpiece, fromSpiece);
        assertEquals(SentencePieceToTokenizerJson.convert(SentencePieceModel.read(TinyMt5Fixture.spieceModel())),
                TinyMt5Fixture.JSON.readTree(fromSpiece.toFile()));
        // The written file loads and encodes like the original.
        try (HuggingFaceTextTokenizer t = Tokenizers.load(fromSpiece)) {
            for (TinyMt5Fixture.Case c : TinyMt5Fixture.cases()) assertArrayEquals(c.idsWithEos(), t.encode(c.text()), c.toString());
        }
    }

    @Test
    void concurrentCallsAgreeAndCloseStopsLaterOnes() throws Exception {
        HuggingFaceTextTokenizer t = Tokenizers.load(TinyMt5Fixture.dir());
        List<TinyMt5Fixture.Case> cases = TinyMt5Fixture.cases();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (TinyMt5Fixture.Case c : cases) {
                            assertArrayEquals(c.idsWithEos(), t.encode(c.text()), c.toString());
                            t.decode(c.idsWithEos());
                        }
                    }
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdown();
        }
        t.close();
        t.close(); // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.encode("x"));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> t.decode(new int[] {5}));
        assertThrows(IllegalStateException.class, () -> t.encode(List.of("x")));
    }

    private static void assertLoadFails(Path dir, String fragment) {
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir));
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }
}
