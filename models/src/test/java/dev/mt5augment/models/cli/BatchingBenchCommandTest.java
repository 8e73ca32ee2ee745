package dev.mt5augment.models.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchingBenchCommandTest {

    @Test
    void comparesBothSchedulersOnTheSameRequestsAndTheirIdsAgree() throws Exception {
        CliRun run = CliRun.of("bench-batching", CliRun.fixture().toString(), "--requests", "12", "--returns", "2",
                "--max-new-tokens", "16", "--batch-rows", "8", "--threads", "1", "--arrival-rate", "400",
                "--latency-requests", "10", "--input-tokens", "4-30");
        assertEquals(0, run.status(), run.err());
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertTrue(r.get("outputs_identical").asBoolean(), "both schedulers produce the same ids: " + r);
        for (String s : new String[] {"static", "continuous"}) {
            JsonNode t = r.get("throughput").get(s);
            assertEquals(24, t.get("sequences").asInt(), s);
            assertTrue(t.get("sequences_per_second").asDouble() > 0, s);
            JsonNode l = r.get("latency").get(s);
            assertTrue(l.get("p95_ms").asDouble() >= l.get("p50_ms").asDouble(), s + ": " + l);
        }
        JsonNode c = r.get("throughput").get("continuous");
        assertEquals(c.get("generated_tokens").asLong(), c.get("decoder_row_steps").asLong(),
                "continuous batching feeds only unfinished rows: one row-step per generated token");
        assertTrue(r.get("throughput").get("static").get("decoder_row_steps").asLong() >= c.get("decoder_row_steps").asLong());
        assertTrue(r.get("throughput").get("continuous_over_static").asDouble() > 0);
        JsonNode lengths = r.get("generated_tokens_per_sequence");
        assertTrue(lengths.get("min").asInt() < lengths.get("max").asInt(), "the tiny fixture stops at mixed lengths: " + lengths);
        assertEquals(400.0, r.get("latency").get("arrival_rate_per_second").asDouble());
    }

    @Test
    void eosBiasShortensOutputsAndBadOptionsAreUsageErrors() throws Exception {
        CliRun biased = CliRun.of("bench-batching", CliRun.fixture().toString(), "--requests", "6", "--returns", "1",
                "--max-new-tokens", "12", "--threads", "1", "--arrival-rate", "0", "--scheduler", "continuous",
                "--eos-scale", "0", "--eos-bias", "1000");
        assertEquals(0, biased.status(), biased.err());
        JsonNode r = new ObjectMapper().readTree(biased.out());
        assertEquals(1, r.get("generated_tokens_per_sequence").get("max").asInt(), "a huge </s> bias ends every output at once");
        assertTrue(r.get("latency") == null && r.get("outputs_identical") == null, r.toString());

        assertEquals(2, CliRun.of("bench-batching", CliRun.fixture().toString(), "--scheduler", "fifo").status());
        assertEquals(2, CliRun.of("bench-batching", CliRun.fixture().toString(), "--arrival-rate", "-3").status());
        assertEquals(2, CliRun.of("bench-batching", CliRun.fixture().toString(), "--strategy", "beam").status());
        assertEquals(2, CliRun.of("bench-batching", CliRun.fixture().toString(), "--admit-free-rows", "999").status());
    }
}
