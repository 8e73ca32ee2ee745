package dev.mt5augment.contracts.codec;

import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.request.AugmentRequest;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzing the decoder: whatever the bytes, it returns a value or one of the contract codes, never
 * an exception, within a bounded time. A small byte limit (4 KiB) lets the generators reach every
 * stage, the size check included.
 */
class RequestDecoderFuzzTest {

    private static final RequestDecoder DECODER = RequestDecoder.builder().maxRecordBytes(4096).build();
    /** A decode takes microseconds; a whole second means something is quadratic or hanging. */
    private static final long BOUND_NANOS = 1_000_000_000L;

    @Property(tries = 1500)
    void arbitraryBytes(@ForAll @Size(max = 5000) byte[] value, @ForAll("keys") String key) {
        verdict(value, key);
    }

    @Property(tries = 300)
    void arbitraryText(@ForAll @StringLength(max = 400) String text, @ForAll("keys") String key) {
        verdict(RequestArbitraries.utf8(text), key);
    }

    @Property(tries = 1000)
    void mutatedValidRequests(@ForAll("mutatedRequests") byte[] value, @ForAll("keys") String key) {
        verdict(value, key);
    }

    @Property(tries = 1000)
    void objectsOfRequestFields(@ForAll("requestObjects") String json, @ForAll("keys") String key) {
        verdict(RequestArbitraries.utf8(json), key);
        // The generator must reach past the shape checks, or this property proves little.
        Statistics.coverage(c -> {
            c.check("decoded").percentage(p -> p >= 2.0);
            c.check(dev.mt5augment.contracts.error.ErrorCode.PARAM_OUT_OF_RANGE).percentage(p -> p >= 2.0);
        });
    }

    @Property(tries = 500)
    void validRequestsRoundTrip(@ForAll("validRequests") AugmentRequest request) {
        byte[] wire = RequestEncoder.encode(request);
        DecodeOutcome<AugmentRequest> outcome = RequestDecoder.withDefaults().decode(wire, null);
        assertEquals(new DecodeOutcome.Decoded<>(request), outcome);
    }

    private static void verdict(byte[] value, String key) {
        long start = System.nanoTime();
        DecodeOutcome<AugmentRequest> outcome = DECODER.decode(value, key);
        long took = System.nanoTime() - start;
        assertTrue(took < BOUND_NANOS, "decoding took " + took / 1_000_000 + " ms");
        assertNotNull(outcome);
        if (outcome instanceof DecodeOutcome.Decoded<AugmentRequest> d) {
            Statistics.collect("decoded");
            assertEquals(outcome, DECODER.decode(RequestEncoder.encode(d.value()), null), "re-encoding changes nothing");
        } else {
            DecodeOutcome.Rejected<AugmentRequest> r = (DecodeOutcome.Rejected<AugmentRequest>) outcome;
            ContractError e = r.error();
            Statistics.collect(e.code());
            assertTrue(e.code().contractViolation(), "runtime code from the decoder: " + e.code());
            assertFalse(e.message().isBlank());
            assertTrue(e.message().length() <= ContractError.MAX_MESSAGE_CHARS);
            assertFalse(e.message().contains("could not be checked"), "decoder bug: " + e.message());
            if (r.idIfReadable() != null) assertTrue(dev.mt5augment.contracts.request.RequestId.isValid(r.idIfReadable()));
        }
    }

    @Provide
    Arbitrary<String> keys() {
        return RequestArbitraries.keys();
    }

    @Provide
    Arbitrary<byte[]> mutatedRequests() {
        return RequestArbitraries.validRequests().map(RequestEncoder::encode).flatMap(RequestArbitraries::mutate);
    }

    @Provide
    Arbitrary<String> requestObjects() {
        return RequestArbitraries.requestObjects();
    }

    @Provide
    Arbitrary<AugmentRequest> validRequests() {
        return RequestArbitraries.validRequests();
    }
}
