package dev.mt5augment.contracts.codec;

import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.request.Decoding;
import dev.mt5augment.contracts.task.Task;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.mt5augment.contracts.codec.HostileCorpus.q;
import static dev.mt5augment.contracts.codec.HostileCorpus.req;
import static org.junit.jupiter.api.Assertions.*;

/** What the decoder fills in, normalises, and hands back for error replies. */
class RequestDecoderTest {

    private final RequestDecoder decoder = RequestDecoder.withDefaults();

    private AugmentRequest decode(String json, String key) {
        var outcome = decoder.decode(json.getBytes(StandardCharsets.UTF_8), key);
        if (outcome instanceof DecodeOutcome.Rejected<AugmentRequest> r) fail("rejected: " + r.error());
        return ((DecodeOutcome.Decoded<AugmentRequest>) outcome).value();
    }

    private DecodeOutcome.Rejected<AugmentRequest> reject(String json, String key) {
        return reject(decoder, json.getBytes(StandardCharsets.UTF_8), key);
    }

    private static DecodeOutcome.Rejected<AugmentRequest> reject(RequestDecoder d, byte[] value, String key) {
        var outcome = d.decode(value, key);
        if (outcome instanceof DecodeOutcome.Decoded<AugmentRequest> ok) fail("accepted: " + ok.value());
        return (DecodeOutcome.Rejected<AugmentRequest>) outcome;
    }

    @Test
    void fillsTheDocumentedDefaults() {
        AugmentRequest r = decode("{\"id\":\"r1\",\"text\":\"  你好  \"}", null);
        assertEquals("r1", r.id());
        assertEquals(List.of("你好"), r.texts());
        assertEquals(Task.AUGMENT, r.task());
        assertEquals(List.of(), r.labels());
        assertEquals(Decoding.SAMPLE, r.decoding());
        assertEquals(3, r.numReturnSequences());
        assertEquals(1, r.numBeams());
        assertEquals(0.85, r.temperature());
        assertEquals(0.95, r.topP());
        assertEquals(50, r.topK());
        assertEquals(128, r.maxLength());
        assertEquals(0, r.minLength());
        assertEquals(1.0, r.repetitionPenalty());
        assertEquals(0, r.noRepeatNgramSize());
        assertTrue(r.dedupe());
        assertNull(r.seed());
        assertNull(r.replyTo());
        assertNull(r.deadlineMs());
        assertEquals(1, r.schemaVersion());
    }

    @Test
    void zeroShotTasksDefaultToBeamSearchWideEnoughForTheSequences() {
        AugmentRequest title = decode(req("task", q("title")), null);
        assertEquals(Decoding.BEAM, title.decoding());
        assertEquals(4, title.numBeams());
        AugmentRequest many = decode(req("task", q("summarize"), "num_return_sequences", "7"), null);
        assertEquals(7, many.numBeams());
        assertEquals(Decoding.SAMPLE, decode(req("task", q("custom")), null).decoding());
        AugmentRequest greedy = decode(req("decoding", q("greedy")), null);
        assertEquals(1, greedy.numReturnSequences());
        assertEquals(1, greedy.numBeams());
    }

    @Test
    void thePayloadIdWinsOverTheKeyAndTheKeyStandsInWhenThereIsNone() {
        assertEquals("r1", decode(req(), "other-key").id());
        assertEquals("the-key", decode("{\"text\":\"a\"}", "the-key").id());
    }

    @Test
    void integersMayBeWrittenWithAFractionOrExponentWhenWhole() {
        AugmentRequest r = decode(req("top_k", "1e2", "max_length", "64.0", "seed", "-5E+1"), null);
        assertEquals(100, r.topK());
        assertEquals(64, r.maxLength());
        assertEquals(-50L, r.seed());
    }

    @Test
    void lengthsCountCodePointsAfterTrimming() {
        String emoji512 = "😀".repeat(512);
        assertEquals(emoji512, decode(req("text", q("\u3000 " + emoji512 + " \n".replace("\n", "\\n"))), null).texts().get(0));
        assertEquals(ErrorCode.TEXT_TOO_LONG, reject(req("text", q(emoji512 + "😀")), null).error().code());
    }

    @Test
    void errorRepliesFindTheIdEvenWhenTheJsonIsBroken() {
        var truncated = reject("{\"id\":\"abc-1\",\"reply_to\":\"mine\",\"text\":\"unterminated", "key-1");
        assertEquals(ErrorCode.MALFORMED_JSON, truncated.error().code());
        assertEquals("abc-1", truncated.idIfReadable());
        assertEquals("mine", truncated.replyToIfReadable());

        var badField = reject("{\"top_k\":\"5\",\"text\":\"a\",\"id\":\"late-id\"}", null);
        assertEquals(ErrorCode.SCHEMA_VIOLATION, badField.error().code());
        assertEquals("late-id", badField.idIfReadable());

        var badId = reject(req("id", q("not valid")), "key-2");
        assertEquals("key-2", badId.idIfReadable(), "an invalid payload id falls back to the record key");

        var ambiguous = reject("{\"id\":\"a\",\"id\":\"b\",\"text\":\"x\"}", null);
        assertNull(ambiguous.idIfReadable(), "a repeated id is ambiguous");

        var notUtf8 = reject(decoder, concat("{\"id\":\"u-1\",\"text\":\"", new byte[]{(byte) 0xFF}, "\"}"), null);
        assertEquals(ErrorCode.NOT_UTF8, notUtf8.error().code());
        assertEquals("u-1", notUtf8.idIfReadable());

        var tooLarge = reject(RequestDecoder.builder().maxRecordBytes(100).build(),
                req("text", q("x".repeat(200))).getBytes(StandardCharsets.UTF_8), "big-1");
        assertEquals(ErrorCode.RECORD_TOO_LARGE, tooLarge.error().code());
        assertEquals("big-1", tooLarge.idIfReadable(), "an oversized record is not parsed; the key is the id");

        var badKey = reject("{\"text\":\"\"}", "bad key");
        assertNull(badKey.idIfReadable());
        assertNull(reject(req("reply_to", q("a b"), "text", q("")), null).replyToIfReadable(), "an illegal reply_to is never used");
    }

    @Test
    void aWorkerCanRestrictReplyTopics() {
        RequestDecoder strict = RequestDecoder.builder().replyTopicAllowed(t -> t.startsWith("team-a.")).build();
        assertEquals("team-a.out", ((DecodeOutcome.Decoded<AugmentRequest>) strict.decode(
                req("reply_to", q("team-a.out")).getBytes(StandardCharsets.UTF_8), null)).value().replyTo());
        var refused = reject(strict, req("reply_to", q("team-b.out")).getBytes(StandardCharsets.UTF_8), null);
        assertEquals(ErrorCode.REPLY_TOPIC_NOT_ALLOWED, refused.error().code());
        assertEquals("reply_to", refused.error().field());
        assertEquals("r1", refused.idIfReadable());
        assertNull(refused.replyToIfReadable(), "the error reply goes to the default topic, not the refused one");

        var otherError = reject(strict, req("reply_to", q("team-b.out"), "top_k", "-1").getBytes(StandardCharsets.UTF_8), null);
        assertNull(otherError.replyToIfReadable());
        var allowedTopic = reject(strict, req("reply_to", q("team-a.out"), "top_k", "-1").getBytes(StandardCharsets.UTF_8), null);
        assertEquals("team-a.out", allowedTopic.replyToIfReadable());

        RequestDecoder throwing = RequestDecoder.builder().replyTopicAllowed(t -> { throw new IllegalStateException("boom"); }).build();
        assertEquals(ErrorCode.REPLY_TOPIC_NOT_ALLOWED,
                reject(throwing, req("reply_to", q("x")).getBytes(StandardCharsets.UTF_8), null).error().code());
    }

    @Test
    void errorsNameTheFieldAndQuoteBoundedValues() {
        ContractError e = reject(req("task", q("x".repeat(10_000))), null).error();
        assertEquals(ErrorCode.UNSUPPORTED_TASK, e.code());
        assertEquals("task", e.field());
        assertTrue(e.message().length() < 300, e.message());
        assertTrue(e.message().contains("augment, classify"), e.message());

        ContractError unknown = reject(req("u".repeat(1000), "1"), null).error();
        assertTrue(unknown.field().length() <= ContractError.MAX_FIELD_CHARS);

        ContractError tooMany = reject(req("text", null, "texts", HostileCorpus.array(5000, "t")), null).error();
        assertEquals("texts holds more than 256 texts; at most 256 are allowed (send several requests)", tooMany.message());

        ContractError range = reject(req("num_return_sequences", "4294967299"), null).error();
        assertEquals("num_return_sequences must be between 1 and 10, got 4294967299", range.message(),
                "checked before narrowing to int");
        ContractError surrogate = reject(req("text", q("ok\\ud800")), null).error();
        assertEquals(ErrorCode.NOT_UTF8, surrogate.code());
        assertTrue(surrogate.message().contains("\\ud800"), surrogate.message());
    }

    @Test
    void syntaxErrorsSayWhere() {
        ContractError e = reject("{\"id\":\"r1\",\n\"text\": NaN}", null).error();
        assertEquals(ErrorCode.MALFORMED_JSON, e.code());
        assertTrue(e.message().contains("line 2"), e.message());
    }

    @Test
    void aTombstoneIsRefusedNotThrown() {
        var r = (DecodeOutcome.Rejected<AugmentRequest>) decoder.decode(null, "k1");
        assertEquals(ErrorCode.MALFORMED_JSON, r.error().code());
        assertEquals("k1", r.idIfReadable());
    }

    @Test
    void theBuilderSharesTheRulesAndThrowsTypedErrors() {
        AugmentRequest r = AugmentRequest.builder().id("b-1").text(" hi ").task(Task.CLASSIFY).labels(List.of(" 好 ", "坏")).build();
        assertEquals(List.of("hi"), r.texts());
        assertEquals(List.of("好", "坏"), r.labels());
        assertEquals(Decoding.BEAM, r.decoding());
        var ex = assertThrows(dev.mt5augment.contracts.error.InvalidRequestException.class,
                () -> AugmentRequest.builder().id("b-2").text("x").task("classify").build());
        assertEquals(ErrorCode.MISSING_LABELS, ex.error().code());
        assertEquals(r, r.toBuilder().build());
        assertEquals(r, decode(RequestEncoder.encodeToString(r), null));
        var direct = assertThrows(dev.mt5augment.contracts.error.InvalidRequestException.class, () -> new AugmentRequest("d-1",
                List.of("a"), Task.AUGMENT, List.of(), Decoding.GREEDY, 2, 1, 0.85, 0.95, 50, 128, 0, 1.0, 0, true, null, null, null, 1));
        assertEquals(ErrorCode.PARAM_OUT_OF_RANGE, direct.error().code());
    }

    @Test
    void encodingWritesWireNamesAndEveryDefault() {
        String json = RequestEncoder.encodeToString(decode("{\"id\":\"r1\",\"text\":\"a\",\"seed\":7}", null));
        assertEquals("{\"id\":\"r1\",\"task\":\"augment\",\"texts\":[\"a\"],\"decoding\":\"sample\",\"num_return_sequences\":3,"
                + "\"num_beams\":1,\"temperature\":0.85,\"top_p\":0.95,\"top_k\":50,\"max_length\":128,\"min_length\":0,"
                + "\"repetition_penalty\":1.0,\"no_repeat_ngram_size\":0,\"dedupe\":true,\"seed\":7,\"schema_version\":1}", json);
    }

    private static byte[] concat(String a, byte[] b, String c) {
        return HostileCorpus.concat(a.getBytes(StandardCharsets.UTF_8), b, c.getBytes(StandardCharsets.UTF_8));
    }
}
