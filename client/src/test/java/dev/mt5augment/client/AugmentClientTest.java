package dev.mt5augment.client;

import dev.mt5augment.client.testing.SharedBroker;
import dev.mt5augment.client.testing.SharedBroker.TestTopics;
import dev.mt5augment.client.testing.StandInResponder;
import dev.mt5augment.client.testing.StandInResponder.Received;
import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.result.AugmentResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The client's request/reply protocol against a real KRaft broker. The other side is
 * {@link StandInResponder}, a test fixture playing the worker's role so that replies can be delayed,
 * reordered, duplicated, withheld, aborted or garbled on purpose.
 */
@SuppressWarnings("try") // a responder runs for the block without being referenced
class AugmentClientTest {

    private static AugmentClient.Builder client(TestTopics t) {
        return AugmentClient.builder().bootstrapServers(SharedBroker.bootstrap())
                .requestTopic(t.requests()).replyTopic(t.results()).startTimeout(Duration.ofSeconds(30));
    }

    private static AugmentRequest request(String id, String text) {
        return AugmentRequest.builder().id(id).text(text).numReturnSequences(2).build();
    }

    private static Throwable failureOf(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void everyFutureGetsTheReplyWithItsOwnIdWhenRepliesComeInReverseOrder() throws Exception {
        TestTopics t = SharedBroker.topics("reorder");
        int n = 40;
        List<Received> held = new ArrayList<>();
        // Holds every request until all have arrived, then answers them last-first.
        StandInResponder.Behaviour reverse = (r, out) -> {
            held.add(r);
            if (held.size() == n) for (int i = n - 1; i >= 0; i--) out.send(held.get(i), StandInResponder.echo(held.get(i).request()));
        };
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests(), false, reverse);
             AugmentClient client = client(t).build()) {
            List<CompletableFuture<AugmentResult>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) futures.add(client.submit(request("req-" + i, "文本" + i)));
            for (int i = 0; i < n; i++) {
                AugmentResult r = futures.get(i).get(30, TimeUnit.SECONDS);
                assertEquals("req-" + i, r.id());
                assertEquals(List.of("文本" + i + "|v1", "文本" + i + "|v2"), r.augmentedTexts());
            }
            assertEquals(n, responder.received().size());
            Received first = responder.received().get(0);
            assertEquals(t.results(), first.replyTopic(), "the reply-topic header names the client's reply topic");
            assertNotNull(first.correlationId(), "a correlation-id header is set");
            ClientStats s = client.stats();
            assertEquals(n, s.okReplies());
            assertEquals(0, s.inFlight());
            assertEquals(n, s.sent());
        }
    }

    @Test
    void aRequestWithoutReplyTimesOutNamingItsIdAndTimeoutAndALateReplyIsIgnored() throws Exception {
        TestTopics t = SharedBroker.topics("timeout");
        CountDownLatch timedOut = new CountDownLatch(1);
        // Answers only after the client has given up.
        StandInResponder.Behaviour late = (r, out) -> {
            try {
                timedOut.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.send(r, StandInResponder.echo(r.request()));
        };
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests(), false, late);
             AugmentClient client = client(t).timeout(Duration.ofMillis(700)).build()) {
            long start = System.nanoTime();
            CompletableFuture<AugmentResult> f = client.submit(request("slow-1", "慢"));
            Throwable cause = failureOf(f);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            timedOut.countDown();
            AugmentTimeoutException e = assertInstanceOf(AugmentTimeoutException.class, cause);
            assertEquals("slow-1", e.requestId());
            assertEquals(Duration.ofMillis(700), e.timeout());
            assertTrue(e.getMessage().contains("slow-1") && e.getMessage().contains("700 ms"), e.getMessage());
            assertTrue(tookMs >= 650 && tookMs < 5_000, "timed out after " + tookMs + " ms");
            awaitTrue(() -> client.stats().ignoredReplies() == 1, "the late reply is read and ignored");
            assertEquals(1, client.stats().timedOut());
            assertEquals(0, client.stats().inFlight());
        }
    }

    @Test
    void failFastRefusesAtOnceWhenTheWindowIsFullAndBlockWaitsForAFreeSlot() throws Exception {
        TestTopics t = SharedBroker.topics("window");
        List<Received> held = new CopyOnWriteArrayList<>();
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests(), false, (r, out) -> held.add(r));
             AugmentClient failFast = client(t).maxInFlight(2).inFlightPolicy(InFlightPolicy.FAIL_FAST).build();
             AugmentClient blocking = client(t).maxInFlight(1).maxBlock(Duration.ofMillis(400)).build()) {
            CompletableFuture<AugmentResult> a = failFast.submit(request("ff-1", "一"));
            CompletableFuture<AugmentResult> b = failFast.submit(request("ff-2", "二"));
            CompletableFuture<AugmentResult> c = failFast.submit(request("ff-3", "三"));
            assertTrue(c.isCompletedExceptionally(), "refused without waiting");
            InFlightLimitException limit = assertInstanceOf(InFlightLimitException.class, failureOf(c));
            assertEquals("ff-3", limit.requestId());
            assertTrue(limit.getMessage().contains("2 requests"), limit.getMessage());

            // BLOCK: the second request waits maxBlock, then is refused.
            CompletableFuture<AugmentResult> d = blocking.submit(request("bl-1", "四"));
            long start = System.nanoTime();
            CompletableFuture<AugmentResult> e = blocking.submit(request("bl-2", "五"));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waitedMs >= 350, "blocked " + waitedMs + " ms");
            assertInstanceOf(InFlightLimitException.class, failureOf(e));

            // BLOCK: a reply frees the slot and a waiting submit goes through.
            awaitTrue(() -> held.size() == 3, "three requests reached the responder");
            CompletableFuture<CompletableFuture<AugmentResult>> waiting = CompletableFuture.supplyAsync(
                    () -> blocking.submit(request("bl-3", "六")));
            Thread.sleep(150);
            assertFalse(waiting.isDone(), "bl-3 waits for bl-1's slot");
            Received bl1 = held.stream().filter(r -> r.request().id().equals("bl-1")).findFirst().orElseThrow();
            responder.reply(bl1, StandInResponder.echo(bl1.request()));
            assertEquals("bl-1", d.get(30, TimeUnit.SECONDS).id());
            CompletableFuture<AugmentResult> bl3 = waiting.get(30, TimeUnit.SECONDS);
            assertFalse(bl3.isDone() && bl3.isCompletedExceptionally(), "bl-3 was sent once the slot was free");
            assertFalse(a.isDone() || b.isDone());
        }
    }

    @Test
    void duplicateRepliesAreIgnoredAndALateReplyToAnEarlierAttemptDoesNotCompleteTheRetry() throws Exception {
        TestTopics t = SharedBroker.topics("dupes");
        List<Received> attempts = new CopyOnWriteArrayList<>();
        StandInResponder.Behaviour behaviour = (r, out) -> {
            if (r.request().id().equals("twice")) {
                out.send(r, StandInResponder.echo(r.request()));
                out.send(r, StandInResponder.echo(r.request(), "-again"));
                return;
            }
            attempts.add(r);
            if (attempts.size() == 2) {
                // The first attempt's reply comes late, after the retry; then the retry's.
                out.send(attempts.get(0), StandInResponder.echo(attempts.get(0).request(), "-attempt1"));
                out.send(attempts.get(1), StandInResponder.echo(attempts.get(1).request(), "-attempt2"));
            }
        };
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests(), false, behaviour);
             AugmentClient client = client(t).build()) {
            AugmentResult r = client.call(request("twice", "重"));
            assertEquals(List.of("重|v1", "重|v2"), r.augmentedTexts(), "the first reply wins");
            awaitTrue(() -> client.stats().ignoredReplies() == 1, "the duplicate is read and ignored");

            CompletableFuture<AugmentResult> first = client.submit(request("retry", "再"), Duration.ofMillis(500));
            assertInstanceOf(AugmentTimeoutException.class, failureOf(first));
            AugmentResult second = client.call(request("retry", "再"));
            assertEquals(List.of("再|v1-attempt2", "再|v2-attempt2"), second.augmentedTexts(),
                    "the retry is completed by its own reply, not the first attempt's");
            assertNotEquals(attempts.get(0).correlationId(), attempts.get(1).correlationId());
        }
    }

    @Test
    void aSecondRequestWithAnIdInFlightIsRefusedAndCancellingFreesTheSlot() throws Exception {
        TestTopics t = SharedBroker.topics("ids");
        try (AugmentClient client = client(t).maxInFlight(1).inFlightPolicy(InFlightPolicy.FAIL_FAST).build()) {
            CompletableFuture<AugmentResult> a = client.submit(request("same", "一"));
            a.cancel(true);
            assertEquals(0, client.stats().inFlight(), "cancelling abandons the request and frees its slot");
            CompletableFuture<AugmentResult> b = client.submit(request("same", "一"));
            assertFalse(b.isDone());
        }
        try (AugmentClient client = client(t).maxInFlight(5).build()) {
            CompletableFuture<AugmentResult> a = client.submit(request("same", "一"));
            CompletableFuture<AugmentResult> dup = client.submit(request("same", "二"));
            DuplicateRequestIdException e = assertInstanceOf(DuplicateRequestIdException.class, failureOf(dup));
            assertEquals("same", e.requestId());
            assertFalse(a.isDone(), "the first request is unaffected");
            assertThrows(IllegalArgumentException.class, () -> client.submit(
                    AugmentRequest.builder().id("x").text("y").replyTo("elsewhere").build()));
        }
    }

    @Test
    void closeFailsPendingRequestsClearlyAndRefusesNewOnes() throws Exception {
        TestTopics t = SharedBroker.topics("close");
        AugmentClient client = client(t).build();
        CompletableFuture<AugmentResult> pending = client.submit(request("p-1", "未"));
        client.close();
        ClientClosedException e = assertInstanceOf(ClientClosedException.class, failureOf(pending));
        assertEquals("p-1", e.requestId());
        assertTrue(e.getMessage().contains("closed before the reply arrived"), e.getMessage());
        assertInstanceOf(ClientClosedException.class, failureOf(client.submit(request("p-2", "后"))));
        assertFalse(client.isHealthy());
        client.close(); // idempotent
    }

    @Test
    void closeWakesACallerBlockedForASlot() throws Exception {
        TestTopics t = SharedBroker.topics("close-blocked");
        AugmentClient client = client(t).maxInFlight(1).maxBlock(Duration.ofSeconds(60)).build();
        client.submit(request("b-1", "一"));
        CompletableFuture<CompletableFuture<AugmentResult>> blocked = CompletableFuture.supplyAsync(
                () -> client.submit(request("b-2", "二")));
        Thread.sleep(200);
        assertFalse(blocked.isDone());
        client.close();
        CompletableFuture<AugmentResult> f = blocked.get(10, TimeUnit.SECONDS);
        assertInstanceOf(ClientClosedException.class, failureOf(f));
    }

    @Test
    void twoClientsSharingAReplyTopicEachGetOnlyTheirOwnReplies() throws Exception {
        TestTopics t = SharedBroker.topics("shared");
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests());
             AugmentClient a = client(t).build();
             AugmentClient b = client(t).build()) {
            List<CompletableFuture<AugmentResult>> fa = new ArrayList<>();
            List<CompletableFuture<AugmentResult>> fb = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                fa.add(a.submit(request(a.newRequestId(), "甲" + i)));
                fb.add(b.submit(request(b.newRequestId(), "乙" + i)));
            }
            for (int i = 0; i < 10; i++) {
                assertEquals("甲" + i + "|v1", fa.get(i).get(30, TimeUnit.SECONDS).augmentedTexts().get(0));
                assertEquals("乙" + i + "|v1", fb.get(i).get(30, TimeUnit.SECONDS).augmentedTexts().get(0));
            }
            // Each sees the other's 10 replies too (all partitions are read) and ignores them.
            awaitTrue(() -> a.stats().ignoredReplies() == 10 && b.stats().ignoredReplies() == 10,
                    "a=" + a.stats() + " b=" + b.stats());
        }
    }

    @Test
    void aReplyOfAnAbortedTransactionIsNeverSeenAndTheCommittedOneCompletesTheRequest() throws Exception {
        TestTopics t = SharedBroker.topics("txn");
        StandInResponder.Behaviour abortThenCommit = (r, out) -> {
            out.sendAborted(r, StandInResponder.echo(r.request(), "-aborted"));
            out.send(r, StandInResponder.echo(r.request(), "-committed"));
        };
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests(), true, abortThenCommit);
             AugmentClient client = client(t).build()) {
            AugmentResult r = client.call(request("tx-1", "事务"));
            assertEquals(List.of("事务|v1-committed", "事务|v2-committed"), r.augmentedTexts());
            Thread.sleep(300);
            assertEquals(0, client.stats().ignoredReplies(), "read_committed: the aborted reply was never delivered");
        }
    }

    @Test
    void anErrorResultCompletesNormallyAndAnUnreadableReplyFailsItsRequest() throws Exception {
        TestTopics t = SharedBroker.topics("errors");
        StandInResponder.Behaviour behaviour = (r, out) -> {
            switch (r.request().id()) {
                case "err-1" -> out.send(r, StandInResponder.error(r.request(), "INFERENCE_FAILED", "engine fell over"));
                case "bad-1" -> {
                    out.sendRaw(r, null, null, "not json at all".getBytes(StandardCharsets.UTF_8)); // no id: ignored
                    out.sendRaw(r, "bad-1", r.correlationId(), "{\"id\":\"bad-1\",\"status\":\"maybe\"}".getBytes(StandardCharsets.UTF_8));
                }
                default -> out.send(r, StandInResponder.echo(r.request()));
            }
        };
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests(), false, behaviour);
             AugmentClient client = client(t).build()) {
            AugmentResult err = client.call(request("err-1", "错"));
            assertFalse(err.isOk());
            assertEquals("INFERENCE_FAILED", err.error().code());
            UnreadableReplyException e = assertInstanceOf(UnreadableReplyException.class, failureOf(client.submit(request("bad-1", "坏"))));
            assertEquals("bad-1", e.requestId());
            assertTrue(e.getMessage().contains("SCHEMA_VIOLATION"), e.getMessage());
            assertEquals(2, client.stats().unreadableReplies());
            assertEquals(1, client.stats().errorReplies());
            assertTrue(client.isHealthy(), "garbage on the reply topic does not stop the listener");
            assertTrue(client.call(request("ok-1", "好")).isOk());
        }
    }

    @Test
    void startFailsClearlyWhenTheReplyTopicDoesNotExist() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AugmentClient.builder()
                .bootstrapServers(SharedBroker.bootstrap()).requestTopic("nope.requests").replyTopic("nope.results")
                .startTimeout(Duration.ofSeconds(2)).build());
        assertTrue(e.getMessage().contains("reply topic nope.results"), e.getMessage());
    }

    @Test
    void aSubmitFromTheReplyThreadNeverBlocksForASlot() throws Exception {
        TestTopics t = SharedBroker.topics("callback");
        try (StandInResponder responder = StandInResponder.start(SharedBroker.bootstrap(), t.requests());
             AugmentClient client = client(t).maxInFlight(1).maxBlock(Duration.ofSeconds(60)).build()) {
            // The slot of the first request is free before its callbacks run, so a chained submit goes through.
            AugmentResult chained = client.submit(request("c-1", "一"))
                    .thenCompose(r -> client.submit(request("c-2", r.augmentedTexts().get(0))))
                    .get(30, TimeUnit.SECONDS);
            assertEquals("一|v1|v1", chained.augmentedTexts().get(0));
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting: " + what);
            Thread.sleep(50);
        }
    }
}
