package dev.mt5augment.models.tokenizer.sentencepiece;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.models.tokenizer.TokenizerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * Writes the Hugging Face {@code tokenizer.json} that segments text exactly as a unigram
 * {@code spiece.model} does, for readers such as DJL's {@code HuggingFaceTokenizer} (Rust
 * tokenizers 0.21) that cannot load SentencePiece models.
 *
 * <p>The layout is the one transformers' T5 slow-to-fast converter writes, plus one addition
 * documented in the tiny-mt5 fixture README:
 * <ul>
 *   <li>normalizer: {@code Sequence[Precompiled(charsmap), Strip, Replace(" {2,}" → " ")]}. The strip
 *       is the addition: without it the Rust tokenizer emits an extra {@code ▁} for trailing
 *       whitespace and whitespace-only text, where SentencePiece emits nothing. Strip and Replace are
 *       there only when {@code remove_extra_whitespaces} is on, Precompiled only when there is a charsmap;</li>
 *   <li>pre-tokenizer and decoder: {@code Metaspace(▁, prepend_scheme always|never, split)}, the form
 *       tokenizers 0.21 serializes ({@code always} is the legacy {@code add_prefix_space: true});</li>
 *   <li>post-processor: {@code TemplateProcessing} appending {@code </s>} (T5 adds no BOS);</li>
 *   <li>model: {@code Unigram} with every piece and its score in id order, {@code unk_id}, {@code byte_fallback};</li>
 *   <li>added tokens: CONTROL and UNKNOWN pieces as special tokens, USER_DEFINED pieces as plain
 *       added tokens, as transformers' converter does.</li>
 * </ul>
 * Models this layout cannot reproduce (BPE/word/char, whitespace as suffix, unescaped whitespace,
 * no {@code </s>}) are refused with a message naming the file.
 */
public final class SentencePieceToTokenizerJson {

    /** SentencePiece's whitespace marker, U+2581. */
    public static final String SPACE_MARKER = "\u2581";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SentencePieceToTokenizerJson() {
    }

    /** The {@code tokenizer.json} tree for {@code model}. */
    public static ObjectNode convert(SentencePieceModel model) {
        refuseWhatCannotBeExpressed(model);
        ObjectNode root = JSON.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.set("added_tokens", addedTokens(model.pieces()));
        root.set("normalizer", normalizer(model.normalizerSpec()));
        root.set("pre_tokenizer", metaspace(model.normalizerSpec()));
        root.set("post_processor", appendEos(model.piece(model.trainerSpec().eosId()).text(), model.trainerSpec().eosId()));
        root.set("decoder", decoder(model));
        root.set("model", unigram(model));
        return root;
    }

    /** {@link #convert} as compact JSON text. */
    public static String toJson(SentencePieceModel model) {
        try {
            return MAPPER.writeValueAsString(convert(model));
        } catch (IOException e) {
            throw new TokenizerException(model.source() + ": cannot serialize tokenizer.json: " + e.getMessage(), e);
        }
    }

    /** Writes {@link #convert}'s result, pretty-printed, to {@code out}. */
    public static void write(SentencePieceModel model, Path out) {
        ObjectNode tree = convert(model);
        try {
            Files.write(out, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
        } catch (IOException e) {
            throw new TokenizerException(out + ": cannot write tokenizer.json: " + e.getMessage(), e);
        }
    }

    private static void refuseWhatCannotBeExpressed(SentencePieceModel model) {
        String source = model.source();
        TrainerSpec t = model.trainerSpec();
        if (t.modelType() != ModelType.UNIGRAM) {
            throw new TokenizerException(source + ": model_type " + t.modelType()
                    + " is not supported; only unigram SentencePiece models (T5, mT5) can be converted");
        }
        if (t.treatWhitespaceAsSuffix()) {
            throw new TokenizerException(source + ": treat_whitespace_as_suffix is not supported (Metaspace puts ▁ before words)");
        }
        if (!model.normalizerSpec().escapeWhitespaces()) {
            throw new TokenizerException(source + ": escape_whitespaces=false is not supported (Metaspace always escapes spaces)");
        }
        if (t.eosId() < 0) {
            throw new TokenizerException(source + ": the model has no </s> (eos_id=-1); mT5 inputs end with </s>");
        }
    }

    private static ArrayNode addedTokens(List<Piece> pieces) {
        ArrayNode tokens = JSON.arrayNode();
        for (int id = 0; id < pieces.size(); id++) {
            Piece p = pieces.get(id);
            boolean special = p.type() == PieceType.CONTROL || p.type() == PieceType.UNKNOWN;
            if (!special && p.type() != PieceType.USER_DEFINED) continue;
            ObjectNode token = tokens.addObject();
            token.put("id", id);
            token.put("content", p.text());
            token.put("single_word", false);
            token.put("lstrip", false);
            token.put("rstrip", false);
            token.put("normalized", false);
            token.put("special", special);
        }
        return tokens;
    }

    private static ObjectNode normalizer(NormalizerSpec spec) {
        ArrayNode steps = JSON.arrayNode();
        byte[] charsmap = spec.precompiledCharsmap();
        if (charsmap.length > 0) {
            steps.addObject()
                    .put("type", "Precompiled")
                    .put("precompiled_charsmap", Base64.getEncoder().encodeToString(charsmap));
        }
        if (spec.removeExtraWhitespaces()) {
            steps.addObject().put("type", "Strip").put("strip_left", true).put("strip_right", true);
            ObjectNode replace = steps.addObject().put("type", "Replace");
            replace.putObject("pattern").put("Regex", " {2,}");
            replace.put("content", " ");
        }
        if (steps.isEmpty()) return null;
        ObjectNode sequence = JSON.objectNode().put("type", "Sequence");
        sequence.set("normalizers", steps);
        return sequence;
    }

    private static ObjectNode metaspace(NormalizerSpec spec) {
        return JSON.objectNode()
                .put("type", "Metaspace")
                .put("replacement", SPACE_MARKER)
                .put("prepend_scheme", spec.addDummyPrefix() ? "always" : "never")
                .put("split", true);
    }

    private static ObjectNode decoder(SentencePieceModel model) {
        ObjectNode metaspace = metaspace(model.normalizerSpec());
        if (!model.trainerSpec().byteFallback()) return metaspace;
        // <0xXX> pieces are turned back into bytes (and those into text) before ▁ becomes a space.
        ObjectNode sequence = JSON.objectNode().put("type", "Sequence");
        ArrayNode decoders = sequence.putArray("decoders");
        decoders.addObject().put("type", "ByteFallback");
        decoders.add(metaspace);
        return sequence;
    }

    private static ObjectNode appendEos(String eos, int eosId) {
        ObjectNode template = JSON.objectNode().put("type", "TemplateProcessing");
        ArrayNode single = template.putArray("single");
        sequence(single, "A");
        specialToken(single, eos);
        ArrayNode pair = template.putArray("pair");
        sequence(pair, "A");
        specialToken(pair, eos);
        sequence(pair, "B");
        specialToken(pair, eos);
        ObjectNode entry = template.putObject("special_tokens").putObject(eos);
        entry.put("id", eos);
        entry.putArray("ids").add(eosId);
        entry.putArray("tokens").add(eos);
        return template;
    }

    private static void sequence(ArrayNode template, String id) {
        template.addObject().putObject("Sequence").put("id", id).put("type_id", 0);
    }

    private static void specialToken(ArrayNode template, String token) {
        template.addObject().putObject("SpecialToken").put("id", token).put("type_id", 0);
    }

    private static ObjectNode unigram(SentencePieceModel model) {
        ObjectNode unigram = JSON.objectNode().put("type", "Unigram").put("unk_id", model.trainerSpec().unkId());
        ArrayNode vocab = unigram.putArray("vocab");
        for (Piece p : model.pieces()) {
            // The float score widened exactly, as Python's float(score) gives it.
            vocab.addArray().add(p.text()).add((double) p.score());
        }
        unigram.put("byte_fallback", model.trainerSpec().byteFallback());
        return unigram;
    }
}
