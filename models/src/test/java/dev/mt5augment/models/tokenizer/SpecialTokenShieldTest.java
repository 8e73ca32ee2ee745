package dev.mt5augment.models.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecialTokenShieldTest {

    private static JsonNode json(String text) throws Exception {
        return TinyMt5Fixture.JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void hidesSpecialPiecesWhereverTheyAreAndKeepsPlainAddedTokens() throws Exception {
        // "</s>" is added as id 1 but spelled in the vocabulary at id 3 too; "<mask>" is a plain added token.
        JsonNode original = json("{'added_tokens': ["
                + "{'id': 1, 'content': '</s>', 'special': true},"
                + "{'id': 6, 'content': '<mask>', 'special': false}],"
                + "'model': {'type': 'Unigram', 'unk_id': 2, 'vocab': ["
                + "['<pad>', 0.0], ['<eos>', 0.0], ['<unk>', 0.0], ['</s>', -5.0], ['\u2581', -1.0], ['</s>\u2581', -9.0]]}}");
        SpecialTokenShield.Shielded shielded = SpecialTokenShield.apply(original, "t.json");
        JsonNode vocab = shielded.tokenizerJson().get("model").get("vocab");
        assertEquals("<eos>", vocab.get(1).get(0).asText(), "id 1 is not spelled </s>: left alone");
        assertEquals("<unk>\u2581", vocab.get(2).get(0).asText());
        assertEquals("</s>\u2581\u2581", vocab.get(3).get(0).asText(), "skips the spelling already taken by id 5");
        assertEquals(-5.0, vocab.get(3).get(1).asDouble(), "scores stay");
        assertEquals(1, shielded.tokenizerJson().get("added_tokens").size());
        assertEquals("<mask>", shielded.tokenizerJson().get("added_tokens").get(0).get("content").asText());

        Vocabulary v = shielded.vocabulary();
        assertEquals(6, v.pieceCount());
        assertEquals(1, v.eosId());
        assertEquals(2, v.unkId());
        for (int special : new int[] {1, 2, 3}) {
            assertTrue(v.isSpecial(special), "special " + special);
            assertFalse(v.isText(special), "not text " + special);
        }
        for (int text : new int[] {0, 4, 5, 6}) assertTrue(v.isText(text), "text " + text);
        assertFalse(v.isText(7));
        assertFalse(v.isText(-1));
        // The input tree is not modified.
        assertEquals("</s>", original.get("model").get("vocab").get(3).get(0).asText());
        assertEquals(2, original.get("added_tokens").size());
    }
}
