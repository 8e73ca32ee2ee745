package dev.mt5augment.models.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Every config.json field that changes the math of a T5 / mT5 encoder-decoder.
 * Defaults are transformers' {@code T5Config} defaults, used when a field is absent.
 *
 * @param modelType                    {@code t5} or {@code mt5}
 * @param vocabSize                    rows of the embedding and the LM head
 * @param dModel                       hidden size
 * @param dKv                          size of one attention head
 * @param numHeads                     attention heads
 * @param dFf                          feed-forward inner size
 * @param numLayers                    encoder blocks
 * @param numDecoderLayers             decoder blocks
 * @param relativeAttentionNumBuckets  position-bias buckets
 * @param relativeAttentionMaxDistance distances past this share the last bucket
 * @param layerNormEpsilon             RMS-norm epsilon
 * @param activation                   feed-forward activation
 * @param gatedFeedForward             {@code wo(act(wi_0·x) * (wi_1·x))} when true, else {@code wo(act(wi·x))}
 * @param tieWordEmbeddings            LM head shares {@code shared.weight}; the decoder output is then
 *                                     scaled by {@code dModel^-0.5} first (T5 v1.0)
 * @param padTokenId                   padding id
 * @param eosTokenId                   {@code </s>}
 * @param decoderStartTokenId          first decoder input
 */
public record Mt5Config(
        String modelType,
        int vocabSize,
        int dModel,
        int dKv,
        int numHeads,
        int dFf,
        int numLayers,
        int numDecoderLayers,
        int relativeAttentionNumBuckets,
        int relativeAttentionMaxDistance,
        double layerNormEpsilon,
        Activation activation,
        boolean gatedFeedForward,
        boolean tieWordEmbeddings,
        int padTokenId,
        int eosTokenId,
        int decoderStartTokenId) {

    private static final Set<String> MODEL_TYPES = Set.of("t5", "mt5");
    private static final Set<String> ARCHITECTURES = Set.of(
            "T5ForConditionalGeneration", "MT5ForConditionalGeneration");

    public Mt5Config {
        positive("vocab_size", vocabSize);
        positive("d_model", dModel);
        positive("d_kv", dKv);
        positive("num_heads", numHeads);
        positive("d_ff", dFf);
        positive("num_layers", numLayers);
        positive("num_decoder_layers", numDecoderLayers);
        positive("relative_attention_num_buckets", relativeAttentionNumBuckets);
        positive("relative_attention_max_distance", relativeAttentionMaxDistance);
        if (!(layerNormEpsilon > 0)) throw new ConfigException("layer_norm_epsilon must be > 0, got " + layerNormEpsilon);
        for (int id : new int[] {padTokenId, eosTokenId, decoderStartTokenId}) {
            if (id < 0 || id >= vocabSize) throw new ConfigException("special token id " + id + " is outside the vocabulary of " + vocabSize);
        }
    }

    /** Width of the concatenated attention heads, {@code numHeads * dKv}. */
    public int innerDim() {
        return numHeads * dKv;
    }

    /** Reads {@code dir/config.json}. */
    public static Mt5Config load(Path dir) {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) throw new ConfigException("no config.json in " + dir);
        try {
            return fromJson(new ObjectMapper().readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Parses a config.json tree; {@code source} names it in error messages. */
    public static Mt5Config fromJson(JsonNode json, String source) {
        if (json == null || !json.isObject()) throw new ConfigException(source + ": expected a JSON object");
        String modelType = json.path("model_type").asText("");
        JsonNode archNode = json.get("architectures");
        if (archNode != null && !archNode.isNull() && !archNode.isArray()) {
            throw new ConfigException(source + ": architectures must be a list of names, got " + archNode);
        }
        List<String> architectures = archNode != null && archNode.isArray() ? toStrings(archNode) : List.of();
        if (!MODEL_TYPES.contains(modelType)) {
            throw new ConfigException(source + ": model_type '" + modelType + "' is not supported; this engine runs "
                    + "T5 / mT5 encoder-decoders (model_type t5 or mt5)");
        }
        for (String arch : architectures) {
            if (!ARCHITECTURES.contains(arch)) {
                throw new ConfigException(source + ": architecture '" + arch + "' is not supported; expected one of "
                        + ARCHITECTURES);
            }
        }
        if (json.path("is_encoder_decoder").isBoolean() && !json.get("is_encoder_decoder").asBoolean()) {
            throw new ConfigException(source + ": is_encoder_decoder=false; only the full encoder-decoder is supported");
        }

        // transformers' T5Config: "gated-gelu" means gated + gelu_new; otherwise "[gated-]ACT".
        String proj = text(json, "feed_forward_proj", "relu", source);
        String[] parts = proj.split("-");
        boolean gated = parts.length == 2 && parts[0].equals("gated");
        if (parts.length > 2 || (parts.length == 2 && !gated)) {
            throw new ConfigException(source + ": feed_forward_proj '" + proj
                    + "' is not of the form ACT or gated-ACT");
        }
        String act = parts[parts.length - 1];
        if (proj.equals("gated-gelu")) act = "gelu_new";
        Activation activation;
        try {
            activation = Activation.fromHuggingFaceName(act);
        } catch (ConfigException e) {
            throw new ConfigException(source + ": feed_forward_proj '" + proj + "': " + e.getMessage());
        }

        int numLayers = integer(json, "num_layers", 6, source);
        try {
            return new Mt5Config(
                    modelType,
                    integer(json, "vocab_size", 32128, source),
                    integer(json, "d_model", 512, source),
                    integer(json, "d_kv", 64, source),
                    integer(json, "num_heads", 8, source),
                    integer(json, "d_ff", 2048, source),
                    numLayers,
                    json.hasNonNull("num_decoder_layers") ? integer(json, "num_decoder_layers", numLayers, source) : numLayers,
                    integer(json, "relative_attention_num_buckets", 32, source),
                    integer(json, "relative_attention_max_distance", 128, source),
                    number(json, "layer_norm_epsilon", 1e-6, source),
                    activation,
                    gated,
                    bool(json, "tie_word_embeddings", true, source),
                    integer(json, "pad_token_id", 0, source),
                    integer(json, "eos_token_id", 1, source),
                    json.hasNonNull("decoder_start_token_id")
                            ? integer(json, "decoder_start_token_id", 0, source)
                            : integer(json, "pad_token_id", 0, source));
        } catch (ConfigException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }

    private static List<String> toStrings(JsonNode array) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int integer(JsonNode json, String field, int fallback, String source) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new ConfigException(source + ": " + field + " must be an integer, got " + n);
        }
        return n.intValue();
    }

    private static double number(JsonNode json, String field, double fallback, String source) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isNumber()) throw new ConfigException(source + ": " + field + " must be a number, got " + n);
        return n.doubleValue();
    }

    private static boolean bool(JsonNode json, String field, boolean fallback, String source) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isBoolean()) throw new ConfigException(source + ": " + field + " must be true or false, got " + n);
        return n.booleanValue();
    }

    private static String text(JsonNode json, String field, String fallback, String source) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isTextual()) throw new ConfigException(source + ": " + field + " must be a string, got " + n);
        return n.textValue();
    }

    /**
     * This config as transformers writes config.json: the fields above under their Hugging Face names,
     * plus {@code architectures} and {@code is_encoder_decoder}. {@link #fromJson} reads it back equal.
     */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        String act = switch (activation) {
            case RELU -> "relu";
            case GELU_NEW -> "gelu_new";
            case GELU -> "gelu";
            case SILU -> "silu";
        };
        String proj;
        if (!gatedFeedForward) {
            proj = act;
        } else if (activation == Activation.GELU_NEW) {
            proj = "gated-gelu"; // transformers' name for gated gelu_new
        } else if (activation == Activation.GELU) {
            throw new ConfigException("a gated erf-GELU feed-forward has no feed_forward_proj name in transformers");
        } else {
            proj = "gated-" + act;
        }
        com.fasterxml.jackson.databind.node.ObjectNode o = new ObjectMapper().createObjectNode();
        o.putArray("architectures").add(modelType.equals("mt5") ? "MT5ForConditionalGeneration" : "T5ForConditionalGeneration");
        o.put("d_ff", dFf);
        o.put("d_kv", dKv);
        o.put("d_model", dModel);
        o.put("decoder_start_token_id", decoderStartTokenId);
        o.put("dense_act_fn", act);
        o.put("eos_token_id", eosTokenId);
        o.put("feed_forward_proj", proj);
        o.put("is_encoder_decoder", true);
        o.put("is_gated_act", gatedFeedForward);
        o.put("layer_norm_epsilon", layerNormEpsilon);
        o.put("model_type", modelType);
        o.put("num_decoder_layers", numDecoderLayers);
        o.put("num_heads", numHeads);
        o.put("num_layers", numLayers);
        o.put("pad_token_id", padTokenId);
        o.put("relative_attention_max_distance", relativeAttentionMaxDistance);
        o.put("relative_attention_num_buckets", relativeAttentionNumBuckets);
        o.put("tie_word_embeddings", tieWordEmbeddings);
        o.put("vocab_size", vocabSize);
        return o;
    }

    private static void positive(String field, int value) {
        if (value <= 0) throw new ConfigException(field + " must be > 0, got " + value);
    }
}
