package dev.mt5augment.models.tokenizer.sentencepiece;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.models.tokenizer.TinyMt5Fixture;
import dev.mt5augment.models.tokenizer.TokenizerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentencePieceToTokenizerJsonTest {

    @Test
    void convertsTheFixtureToItsTokenizerJson() throws Exception {
        SentencePieceModel model = SentencePieceModel.read(TinyMt5Fixture.spieceModel());
        // Through text, so numbers compare as parsed doubles on both sides.
        JsonNode converted = TinyMt5Fixture.JSON.readTree(SentencePieceToTokenizerJson.toJson(model));
        JsonNode fixture = TinyMt5Fixture.read(TinyMt5Fixture.tokenizerJson());
        assertEquals(canonical(fixture), canonical(converted));

        // The parts that decide segmentation, compared as they are written, without canonicalizing.
        assertEquals(fixture.get("model").get("vocab"), converted.get("model").get("vocab"));
        assertEquals(fixture.get("model").get("unk_id"), converted.get("model").get("unk_id"));
        assertEquals(fixture.get("normalizer"), converted.get("normalizer"));
        assertEquals(fixture.get("added_tokens"), converted.get("added_tokens"));
        assertEquals(fixture.get("post_processor"), converted.get("post_processor"));
    }

    @Test
    void writesTheFormTokenizers021Serializes() {
        ObjectNode json = SentencePieceToTokenizerJson.convert(SentencePieceModel.read(TinyMt5Fixture.spieceModel()));
        String metaspace = "{\"type\":\"Metaspace\",\"replacement\":\"\u2581\",\"prepend_scheme\":\"always\",\"split\":true}";
        assertEquals(metaspace, json.get("pre_tokenizer").toString());
        assertEquals(metaspace, json.get("decoder").toString());
        assertFalse(json.get("model").get("byte_fallback").asBoolean());
        Iterator<String> keys = json.fieldNames();
        StringBuilder order = new StringBuilder();
        keys.forEachRemaining(k -> order.append(k).append(' '));
        assertEquals("version truncation padding added_tokens normalizer pre_tokenizer post_processor decoder model ",
                order.toString());
    }

    @Test
    void followsTheNormalizerAndTrainerSwitches() {
        ProtoBytes trainer = new ProtoBytes().varint(35, 1); // byte_fallback
        ProtoBytes normalizer = new ProtoBytes().varint(3, 0).varint(4, 0); // no dummy prefix, keep whitespace
        ProtoBytes bytes = ProtoBytes.smallModel(trainer, normalizer)
                .message(1, ProtoBytes.piece("<0x41>", 0f, PieceType.BYTE))
                .message(1, ProtoBytes.piece("<mask>", 0f, PieceType.USER_DEFINED));
        ObjectNode json = SentencePieceToTokenizerJson.convert(SentencePieceModel.parse(bytes.toByteArray(), "s.model"));
        assertTrue(json.get("normalizer").isNull(), "no charsmap and no whitespace removal: no normalizer");
        assertEquals("never", json.get("pre_tokenizer").get("prepend_scheme").asText());
        assertTrue(json.get("model").get("byte_fallback").asBoolean());
        assertEquals("ByteFallback", json.get("decoder").get("decoders").get(0).get("type").asText());
        assertEquals("Metaspace", json.get("decoder").get("decoders").get(1).get("type").asText());
        JsonNode mask = json.get("added_tokens").get(3);
        assertEquals(8, mask.get("id").asInt());
        assertEquals("<mask>", mask.get("content").asText());
        assertFalse(mask.get("special").asBoolean());
        assertEquals(3, json.get("added_tokens").size() - 1, "<pad> </s> <unk> special, the byte piece not added");

        ObjectNode whitespaceOnly = SentencePieceToTokenizerJson.convert(SentencePieceModel.parse(
                ProtoBytes.smallModel(new ProtoBytes(), new ProtoBytes()).toByteArray(), "w.model"));
        assertEquals(java.util.List.of("Strip", "Replace"),
                whitespaceOnly.get("normalizer").get("normalizers").findValuesAsText("type"));
    }

    @Test
    void refusesModelsItCannotReproduce() {
        assertRefused(new ProtoBytes().varint(3, 2), new ProtoBytes(), "model_type BPE is not supported; only unigram");
        assertRefused(new ProtoBytes().varint(3, 3), new ProtoBytes(), "model_type WORD is not supported");
        assertRefused(new ProtoBytes().varint(24, 1), new ProtoBytes(), "treat_whitespace_as_suffix is not supported");
        assertRefused(new ProtoBytes(), new ProtoBytes().varint(5, 0), "escape_whitespaces=false is not supported");
        assertRefused(new ProtoBytes().varint(42, -1), new ProtoBytes(), "has no </s> (eos_id=-1)");
    }

    @Test
    void writesPrettyJsonThatReadsBackTheSame(@TempDir Path dir) throws Exception {
        SentencePieceModel model = SentencePieceModel.read(TinyMt5Fixture.spieceModel());
        Path out = dir.resolve("tokenizer.json");
        SentencePieceToTokenizerJson.write(model, out);
        assertEquals(SentencePieceToTokenizerJson.convert(model), TinyMt5Fixture.JSON.readTree(out.toFile()));
    }

    private static void assertRefused(ProtoBytes trainer, ProtoBytes normalizer, String fragment) {
        SentencePieceModel model = SentencePieceModel.parse(ProtoBytes.smallModel(trainer, normalizer).toByteArray(), "x.model");
        TokenizerException e = assertThrows(TokenizerException.class, () -> SentencePieceToTokenizerJson.convert(model));
        assertTrue(e.getMessage().startsWith("x.model: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    /**
     * Writes both spellings of the same tokenizer the same way: the legacy Metaspace
     * {@code add_prefix_space: true} is tokenizers 0.21's {@code prepend_scheme: always} with
     * {@code split: true}, and a Unigram without {@code byte_fallback} has it false.
     */
    static JsonNode canonical(JsonNode tokenizer) {
        ObjectNode copy = (ObjectNode) tokenizer.deepCopy();
        for (String key : new String[] {"pre_tokenizer", "decoder"}) {
            if (copy.get(key) instanceof ObjectNode m && m.path("type").asText().equals("Metaspace")) {
                if (m.has("add_prefix_space")) {
                    m.put("prepend_scheme", m.remove("add_prefix_space").asBoolean() ? "always" : "never");
                }
                if (!m.has("split")) m.put("split", true);
                m.remove("str_rep");
            }
        }
        ObjectNode model = (ObjectNode) copy.get("model");
        if (!model.has("byte_fallback")) model.put("byte_fallback", false);
        return copy;
    }
}
