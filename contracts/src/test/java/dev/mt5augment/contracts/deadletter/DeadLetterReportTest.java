package dev.mt5augment.contracts.deadletter;

import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DeadLetterReportTest {

    @Test
    void headersAreUtf8TextInAFixedOrderAndReadBack() {
        DeadLetterReport report = DeadLetterReport.of(ContractError.of(ErrorCode.EMPTY_TEXT, "texts[0]", "texts[0] is empty"),
                "r-1", "augment.requests", 3, 1234L, 1_700_000_000_000L, "augment-workers", "gpu0@host");
        Map<String, byte[]> h = report.headers();
        assertEquals(List.of(DeadLetterHeaders.ERROR_CODE, DeadLetterHeaders.ERROR_MESSAGE, DeadLetterHeaders.ERROR_FIELD,
                DeadLetterHeaders.ORIGINAL_TOPIC, DeadLetterHeaders.ORIGINAL_PARTITION, DeadLetterHeaders.ORIGINAL_OFFSET,
                DeadLetterHeaders.ORIGINAL_TIMESTAMP, DeadLetterHeaders.CONSUMER_GROUP, DeadLetterHeaders.WORKER_ID,
                DeadLetterHeaders.REQUEST_ID), List.copyOf(h.keySet()), "absent exception class left out");
        assertEquals("EMPTY_TEXT", new String(h.get("mt5.dlt.error.code"), StandardCharsets.UTF_8));
        assertEquals("1234", new String(h.get("mt5.dlt.original.offset"), StandardCharsets.UTF_8));
        assertEquals(report, DeadLetterReport.fromHeaders(h::get));
    }

    @Test
    void headerNamesFollowOneScheme() {
        for (String name : DeadLetterHeaders.ALL) assertTrue(name.matches("mt5\\.dlt\\.[a-z]+(\\.[a-z]+)*"), name);
        assertEquals(DeadLetterHeaders.ALL.size(), DeadLetterHeaders.ALL.stream().distinct().count());
        assertThrows(IllegalArgumentException.class, () -> DeadLetterReport.fromHeaders(name -> null));
    }
}
