package dev.mt5augment.models.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Mt5ConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path fixture() {
        return Path.of(System.getProperty("mt5.fixtures"), "tiny-mt5");
    }

    private static Mt5Config parse(String json) throws Exception {
        return Mt5Config.fromJson(JSON.readTree(json), "config.json");
    }

    private static void assertRefused(String json, String... parts) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(json));
        assertTrue(e.getMessage().startsWith("config.json"), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }

    @Test
    void readsTheFixtureConfig() {
        Mt5Config c = Mt5Config.load(fixture());
        assertEquals("mt5", c.modelType());
        assertEquals(1408, c.vocabSize());
        assertEquals(64, c.dModel());
        assertEquals(16, c.dKv());
        assertEquals(4, c.numHeads());
        assertEquals(64, c.innerDim());
        assertEquals(128, c.dFf());
        assertEquals(2, c.numLayers());
        assertEquals(2, c.numDecoderLayers());
        assertEquals(32, c.relativeAttentionNumBuckets());
        assertEquals(128, c.relativeAttentionMaxDistance());
        assertEquals(1e-6, c.layerNormEpsilon());
        assertEquals(Activation.GELU_NEW, c.activation(), "gated-gelu means gelu_new");
        assertTrue(c.gatedFeedForward());
        assertFalse(c.tieWordEmbeddings());
        assertEquals(0, c.padTokenId());
        assertEquals(1, c.eosTokenId());
        assertEquals(0, c.decoderStartTokenId());
        assertEquals(ModelShape.TINY.config(), c);
    }

    @Test
    void t5StyleReluConfigTakesTransformersDefaults() throws Exception {
        Mt5Config c = parse("{\"model_type\":\"t5\",\"architectures\":[\"T5ForConditionalGeneration\"],"
                + "\"feed_forward_proj\":\"relu\",\"num_layers\":4}");
        assertEquals(Activation.RELU, c.activation());
        assertFalse(c.gatedFeedForward());
        assertTrue(c.tieWordEmbeddings(), "tie_word_embeddings defaults to true (T5 v1.0)");
        assertEquals(32128, c.vocabSize());
        assertEquals(512, c.dModel());
        assertEquals(4, c.numDecoderLayers(), "num_decoder_layers defaults to num_layers");
        assertEquals(0, c.decoderStartTokenId(), "decoder start defaults to pad");
        assertEquals(Activation.GELU_NEW, parse("{\"model_type\":\"t5\",\"feed_forward_proj\":\"gated-gelu_new\"}").activation());
        assertEquals(Activation.GELU, parse("{\"model_type\":\"t5\",\"feed_forward_proj\":\"gelu\"}").activation());
        Mt5Config silu = parse("{\"model_type\":\"mt5\",\"feed_forward_proj\":\"gated-silu\"}");
        assertEquals(Activation.SILU, silu.activation());
        assertTrue(silu.gatedFeedForward());
        assertEquals(Activation.RELU, parse("{\"model_type\":\"t5\"}").activation(), "feed_forward_proj defaults to relu");
    }

    @Test
    void unknownArchitecturesAreRefused() {
        assertRefused("{\"model_type\":\"bart\"}", "model_type 'bart'");
        assertRefused("{}", "model_type ''");
        assertRefused("{\"model_type\":\"t5\",\"architectures\":[\"T5EncoderModel\"]}", "architecture 'T5EncoderModel'");
        assertRefused("{\"model_type\":\"mt5\",\"architectures\":\"MT5ForConditionalGeneration\"}", "architectures");
        assertRefused("{\"model_type\":\"t5\",\"is_encoder_decoder\":false}", "is_encoder_decoder");
        assertRefused("{\"model_type\":\"t5\",\"feed_forward_proj\":\"gated-gelu-x\"}", "feed_forward_proj");
        assertRefused("{\"model_type\":\"t5\",\"feed_forward_proj\":\"swiglu\"}", "unsupported activation 'swiglu'");
        assertRefused("{\"model_type\":\"t5\",\"feed_forward_proj\":\"double-relu\"}", "gated-ACT");
    }

    @Test
    void badTypesAndValuesAreRefused() {
        assertRefused("{\"model_type\":\"t5\",\"d_model\":\"768\"}", "d_model must be an integer");
        assertRefused("{\"model_type\":\"t5\",\"d_model\":768.5}", "d_model must be an integer");
        assertRefused("{\"model_type\":\"t5\",\"d_model\":1e12}", "d_model");
        assertRefused("{\"model_type\":\"t5\",\"num_heads\":0}", "num_heads must be > 0");
        assertRefused("{\"model_type\":\"t5\",\"vocab_size\":-5}", "vocab_size must be > 0");
        assertRefused("{\"model_type\":\"t5\",\"tie_word_embeddings\":\"yes\"}", "tie_word_embeddings must be true or false");
        assertRefused("{\"model_type\":\"t5\",\"layer_norm_epsilon\":\"1e-6\"}", "layer_norm_epsilon must be a number");
        assertRefused("{\"model_type\":\"t5\",\"layer_norm_epsilon\":0}", "layer_norm_epsilon must be > 0");
        assertRefused("{\"model_type\":\"t5\",\"feed_forward_proj\":3}", "feed_forward_proj must be a string");
        assertRefused("{\"model_type\":\"t5\",\"vocab_size\":100,\"eos_token_id\":100}", "special token id 100");
        assertRefused("[]", "expected a JSON object");
    }

    @Test
    void loadNamesTheFileOnMissingOrBrokenConfigs(@TempDir Path tmp) throws Exception {
        ConfigException missing = assertThrows(ConfigException.class, () -> Mt5Config.load(tmp));
        assertTrue(missing.getMessage().contains("no config.json in " + tmp), missing.getMessage());
        Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"mt5\",");
        ConfigException broken = assertThrows(ConfigException.class, () -> Mt5Config.load(tmp));
        assertTrue(broken.getMessage().contains(tmp.resolve("config.json").toString()), broken.getMessage());
        assertTrue(broken.getMessage().contains("not valid JSON"), broken.getMessage());
    }

    @Test
    void toJsonReadsBackEqualAndMatchesTransformersNames() throws Exception {
        for (ModelShape shape : ModelShape.values()) {
            assertEquals(shape.config(), Mt5Config.fromJson(shape.config().toJson(), shape.cliName()));
        }
        ObjectNode written = ModelShape.TINY.config().toJson();
        ObjectNode fixture = (ObjectNode) JSON.readTree(fixture().resolve("config.json").toFile());
        written.fieldNames().forEachRemaining(f -> assertEquals(fixture.get(f), written.get(f), f));
        Mt5Config relu = Mt5Config.fromJson(JSON.readTree("{\"model_type\":\"t5\",\"tie_word_embeddings\":true}"), "x");
        assertEquals("relu", relu.toJson().get("feed_forward_proj").asText());
        assertEquals(relu, Mt5Config.fromJson(relu.toJson(), "x"));
        assertEquals(582_401_280L, new dev.mt5augment.models.checkpoint.Mt5WeightLayout(ModelShape.MT5_BASE.config())
                .parameterCount(), "mT5-base: 582M parameters, untied");
        assertThrows(ConfigException.class, () -> ModelShape.fromCliName("mt5-xxl"));
    }
}
