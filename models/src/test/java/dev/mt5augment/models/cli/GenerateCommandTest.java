package dev.mt5augment.models.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mt5augment.models.fixtures.TinyMt5;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerateCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void textsAndIdsInOneBatchGiveOneJsonLineEachWithGoldenBeams() throws Exception {
        JsonNode golden = TinyMt5.golden();
        String sentence = golden.get("sentences").get(0).asText();
        CliRun run = CliRun.of("generate", CliRun.fixture().toString(), "--text", sentence, "--ids", "385,50,16,210,242,534,231,146,3,527,388,519,531,191,471,4,27,864,218,2,177,177,177,177,346,7,1",
                "--strategy", "beam", "--num-beams", "4", "--num-return-sequences", "2", "--max-new-tokens", "20");
        assertEquals(0, run.status(), run.err());
        String[] lines = run.out().strip().split("\n");
        assertEquals(2, lines.length);
        JsonNode first = JSON.readTree(lines[0]);
        assertEquals(sentence, first.get("text").asText());
        assertEquals(golden.get("input_ids").get(0).get(0).asInt(), first.get("input_ids").get(0).asInt());
        JsonNode beams = TinyMt5.generation("beam4_return2");
        assertEquals(beams.get("sequences").get(0).toString(), first.get("sequences").get(0).toString());
        assertEquals(beams.get("decoded").get(0).asText(), first.get("texts").get(0).asText());
        assertEquals(beams.get("sequences_scores").get(0).asDouble(), first.get("scores").get(0).asDouble(), 1e-4);
        JsonNode second = JSON.readTree(lines[1]);
        assertTrue(second.get("text").isNull());
        assertEquals(beams.get("decoded").get(3).asText(), second.get("texts").get(1).asText());
    }

    @Test
    void badArgumentsExitWithStatusTwoAndSayWhy() {
        String dir = CliRun.fixture().toString();
        CliRun noInput = CliRun.of("generate", dir);
        assertEquals(2, noInput.status());
        assertTrue(noInput.err().contains("--text"), noInput.err());
        CliRun strategy = CliRun.of("generate", dir, "--ids", "5,1", "--strategy", "nucleus");
        assertEquals(2, strategy.status());
        assertTrue(strategy.err().contains("greedy, beam or sample"), strategy.err());
        CliRun ids = CliRun.of("generate", dir, "--ids", "5,x");
        assertEquals(2, ids.status());
        CliRun returns = CliRun.of("generate", dir, "--ids", "5,1", "--strategy", "beam", "--num-beams", "2", "--num-return-sequences", "3");
        assertEquals(2, returns.status());
        assertTrue(returns.err().contains("numReturnSequences"), returns.err());
        CliRun typo = CliRun.of("generate", dir, "--ids", "5,1", "--temprature", "0.5");
        assertEquals(2, typo.status());
        CliRun vocab = CliRun.of("generate", dir, "--ids", "5,99999,1");
        assertEquals(1, vocab.status());
        assertTrue(vocab.err().contains("outside the vocabulary"), vocab.err());
    }
}
