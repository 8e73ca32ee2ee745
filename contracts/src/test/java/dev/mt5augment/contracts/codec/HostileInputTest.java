package dev.mt5augment.contracts.codec;

import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.request.AugmentRequest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every case of {@link HostileCorpus} gets exactly the promised verdict, without an exception,
 * within a time bound, allocating at most a small multiple of its size.
 */
class HostileInputTest {

    private static final List<HostileCase> CORPUS = HostileCorpus.all();
    private static final Map<Integer, RequestDecoder> DECODERS = new HashMap<>();
    private static final com.sun.management.ThreadMXBean ALLOCATIONS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    @Test
    void theCorpusIsLargeAndCoversEveryContractCode() {
        assertTrue(CORPUS.size() >= 200, "only " + CORPUS.size() + " cases");
        assertTrue(CORPUS.stream().filter(HostileCase::valid).count() >= 40);
        var covered = CORPUS.stream().filter(c -> !c.valid()).map(HostileCase::expected).distinct().toList();
        for (var code : dev.mt5augment.contracts.error.ErrorCode.values()) {
            // REPLY_TOPIC_NOT_ALLOWED depends on worker configuration: RequestDecoderTest covers it.
            if (code.contractViolation() && code != dev.mt5augment.contracts.error.ErrorCode.REPLY_TOPIC_NOT_ALLOWED) {
                assertTrue(covered.contains(code), "no hostile case expects " + code);
            }
        }
        assertEquals(CORPUS.size(), CORPUS.stream().map(HostileCase::name).distinct().count(), "case names must be unique");
    }

    @TestFactory
    Stream<DynamicTest> eachInputGetsItsCode() {
        return CORPUS.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(HostileCase c) {
        RequestDecoder decoder = DECODERS.computeIfAbsent(c.maxRecordBytes(),
                n -> RequestDecoder.builder().maxRecordBytes(n).build());
        long[] allocated = new long[1];
        DecodeOutcome<AugmentRequest> outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            long before = ALLOCATIONS.getCurrentThreadAllocatedBytes();
            DecodeOutcome<AugmentRequest> o = decoder.decode(c.value(), c.key());
            allocated[0] = ALLOCATIONS.getCurrentThreadAllocatedBytes() - before;
            return o;
        });
        // Bounded memory: a small multiple of the input (UTF-16 copies, parser buffers), never more.
        long bound = 12L * c.value().length + (1 << 20);
        assertTrue(allocated[0] < bound, "allocated " + allocated[0] + " bytes for " + c.value().length + " input bytes");
        if (c.valid()) {
            if (outcome instanceof DecodeOutcome.Rejected<AugmentRequest> r) {
                fail("expected a valid request, got " + r.error());
            }
            AugmentRequest request = ((DecodeOutcome.Decoded<AugmentRequest>) outcome).value();
            // What the encoder writes decodes to the same request.
            assertEquals(request, ((DecodeOutcome.Decoded<AugmentRequest>) decoder.decode(RequestEncoder.encode(request), null)).value());
            return;
        }
        if (outcome instanceof DecodeOutcome.Decoded<AugmentRequest> d) {
            fail("expected " + c.expected() + ", got a valid request " + d.value());
        }
        ContractError error = ((DecodeOutcome.Rejected<AugmentRequest>) outcome).error();
        assertEquals(c.expected(), error.code(), () -> "message: " + error.message());
        if (c.expectedField() != null) assertEquals(c.expectedField(), error.field(), () -> "message: " + error.message());
        assertFalse(error.message().isBlank());
        assertTrue(error.message().length() <= ContractError.MAX_MESSAGE_CHARS);
        assertFalse(error.message().contains("could not be checked"), error.message());
    }
}
