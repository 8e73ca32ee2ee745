package dev.mt5augment.client.run;

import dev.mt5augment.client.AugmentClientException;
import dev.mt5augment.client.AugmentTimeoutException;
import dev.mt5augment.client.ClientClosedException;
import dev.mt5augment.client.InFlightLimitException;
import dev.mt5augment.client.RequestSendException;
import dev.mt5augment.client.UnreadableReplyException;
import dev.mt5augment.client.cli.UsageException;
import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.ErrorCode;
import dev.mt5augment.contracts.request.AugmentRequest;
import dev.mt5augment.contracts.result.AugmentResult;
import dev.mt5augment.contracts.result.ResultError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One {@code augment run}: reads the input, packs its texts into requests, keeps a bounded window of
 * requests in flight, and writes the answers in input order.
 *
 * <p><b>Bounded memory.</b> The only state that grows with the window: at most {@code window}
 * requests of at most {@code textsPerRequest} texts, with their results, and one entry per input
 * line that still has texts in the window. The reader streams, rows are written as soon as the
 * oldest request is answered, and nothing is kept per finished line. (Resuming adds 12 bytes per
 * already answered text, see {@link AnsweredInputs}.)
 *
 * <p><b>Order.</b> Rows are written in input order: the window is a queue and only its head is
 * written, so a slow head holds back later answers until it is answered, times out or fails. Each
 * row also carries {@code input_line} and {@code input_key}.
 *
 * <p><b>Failures.</b> A text the contract refuses (empty, too long) is never sent. A request that
 * fails with a retryable error (timeout, send failure, unreadable reply, {@code INFERENCE_FAILED},
 * {@code DEADLINE_EXCEEDED}, {@code SHUTTING_DOWN}) is sent again, with a new id, up to
 * {@code retries} times; then, like any other failure, each of its texts goes to the errors file
 * with the code. Nothing is dropped silently.
 *
 * <p>Runs on the calling thread; not thread-safe.
 */
final class BulkJob {

    /**
     * @param textsPerRequest texts packed into one request (1–256)
     * @param window          requests in flight at most
     * @param retries         extra attempts for a retryable failure
     * @param split           split each text on 、 and ，
     */
    record Settings(int textsPerRequest, int window, int retries, boolean split) {
    }

    /** Sends a request; {@code AugmentClient::submit}. */
    @FunctionalInterface
    interface Submitter {
        CompletableFuture<AugmentResult> submit(AugmentRequest request);
    }

    /** A request's worth of texts, and its current attempt. */
    private static final class Chunk {
        final List<InputText> texts;
        AugmentRequest request;
        CompletableFuture<AugmentResult> future;
        int attempts;

        Chunk(List<InputText> texts) {
            this.texts = texts;
        }
    }

    private final Settings settings;
    private final RequestParameters parameters;
    private final Submitter submitter;
    private final RowWriter rows;
    private final OutputFile out;
    private final ErrorLog errors;
    private final ProgressListener progress;
    private final long linesTotal;
    private final String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final ArrayDeque<Chunk> window = new ArrayDeque<>();
    /** Lines with texts still in the batch or the window → how many. */
    private final Map<Long, int[]> openLines = new HashMap<>();
    private List<InputText> batch = new ArrayList<>();
    private long sequence;
    private long startNanos;
    private long lines;
    private long blankLines;
    private long linesDone;
    private long linesSkipped;
    private long textsAnswered;
    private long textsSkipped;
    private long variantsWritten;
    private long requests;
    private long retries;

    BulkJob(Settings settings, RequestParameters parameters, Submitter submitter, RowWriter rows, OutputFile out,
            ErrorLog errors, ProgressListener progress, long linesTotal) {
        this.settings = settings;
        this.parameters = parameters;
        this.submitter = submitter;
        this.rows = rows;
        this.out = out;
        this.errors = errors;
        this.progress = progress;
        this.linesTotal = linesTotal;
    }

    JobSummary run(InputReader reader) throws IOException, InterruptedException {
        startNanos = System.nanoTime();
        for (InputItem item = reader.next(); item != null; item = reader.next()) {
            lines++;
            if (item instanceof InputItem.Record r) {
                take(r, reader.header());
            } else if (item instanceof InputItem.Unreadable u) {
                errors.write(new ErrorLog.Entry(u.line(), null, null, u.code(), u.message(), null, null, 0));
                lineDone(false);
            } else {
                blankLines++;
                lineDone(false);
            }
            while (!window.isEmpty() && window.peekFirst().future.isDone()) completeHead();
        }
        if (!batch.isEmpty()) send();
        while (!window.isEmpty()) completeHead();
        progress.finish(snapshot());
        return new JobSummary(lines, blankLines, linesSkipped, textsAnswered, textsSkipped, variantsWritten,
                errors.count(), requests, retries, System.nanoTime() - startNanos);
    }

    private void take(InputItem.Record r, List<String> header) throws IOException, InterruptedException {
        String misfit = rows.admit(header, r.fields());
        if (misfit != null) {
            errors.write(new ErrorLog.Entry(r.line(), null, r.text(), "FIELD_CLASH", misfit, null, null, 0));
            lineDone(false);
            return;
        }
        List<String> pieces = settings.split() ? TextSplitter.split(r.text()) : List.of(r.text());
        List<InputText> toSend = new ArrayList<>(pieces.size());
        int skipped = 0;
        for (int part = 0; part < pieces.size(); part++) {
            InputKey key = InputKey.of(r.line(), part, pieces.get(part));
            switch (out.answered().check(key)) {
                case ANSWERED -> {
                    skipped++;
                    textsSkipped++;
                    continue;
                }
                case CHANGED -> throw new UsageException(out.path() + " was written for another input: its row for line "
                        + r.line() + (settings.split() ? " piece " + part : "") + " answers a different text; "
                        + "use another --out (or the same input and --split setting as before)");
                case NEW -> { }
            }
            ContractError refused = parameters.check(pieces.get(part));
            if (refused != null) {
                errors.write(new ErrorLog.Entry(r.line(), key, pieces.get(part), refused.code().name(),
                        refused.message(), refused.field(), null, 0));
                continue;
            }
            toSend.add(new InputText(key, pieces.get(part), r.fields()));
        }
        if (pieces.isEmpty()) blankLines++;
        if (toSend.isEmpty()) {
            lineDone(skipped > 0 && skipped == pieces.size());
            return;
        }
        openLines.put(r.line(), new int[]{toSend.size()});
        for (InputText t : toSend) {
            batch.add(t);
            if (batch.size() == settings.textsPerRequest()) send();
        }
    }

    /** Sends the batch, after making room in the window. */
    private void send() throws IOException, InterruptedException {
        while (window.size() >= settings.window()) completeHead();
        Chunk c = new Chunk(batch);
        batch = new ArrayList<>(settings.textsPerRequest());
        attempt(c);
        window.addLast(c);
    }

    private void attempt(Chunk c) {
        c.attempts++;
        List<String> texts = new ArrayList<>(c.texts.size());
        for (InputText t : c.texts) texts.add(t.text());
        c.request = parameters.build("run-" + runId + "-" + (++sequence), texts);
        requests++;
        c.future = submitter.submit(c.request);
    }

    /** Waits for the oldest request; sends it again on a retryable failure, else writes its outcome. */
    private void completeHead() throws IOException, InterruptedException {
        Chunk c = window.peekFirst();
        AugmentResult result = null;
        Throwable failure = null;
        try {
            result = c.future.get();
        } catch (ExecutionException e) {
            failure = e.getCause();
        }
        if (retryable(result, failure) && c.attempts <= settings.retries()) {
            retries++;
            if (failure instanceof RequestSendException) Thread.sleep(Math.min(5_000, 500L * c.attempts)); // broker trouble: back off
            attempt(c);
            return;
        }
        window.removeFirst();
        if (result != null && result.isOk() && result.results().size() == c.texts.size()) {
            write(c, result);
        } else {
            fail(c, result, failure);
        }
    }

    private void write(Chunk c, AugmentResult result) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * c.texts.size());
        for (int i = 0; i < c.texts.size(); i++) {
            List<String> variants = result.results().get(i).variants();
            bytes.writeBytes(rows.rows(c.texts.get(i), variants));
            variantsWritten += variants.size();
        }
        if (out.empty()) out.write(rows.preamble());
        out.write(bytes.toByteArray());
        textsAnswered += c.texts.size();
        for (InputText t : c.texts) textDone(t);
    }

    private void fail(Chunk c, AugmentResult result, Throwable failure) throws IOException {
        String code;
        String message;
        String field = null;
        if (result != null && !result.isOk()) {
            ResultError e = result.error();
            code = e.code();
            message = e.message();
            field = e.field();
        } else if (result != null) {
            code = "REPLY_MISMATCH";
            message = "the result has " + result.results().size() + " entries for " + c.texts.size() + " texts";
        } else {
            code = codeOf(failure);
            message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        }
        for (InputText t : c.texts) {
            errors.write(new ErrorLog.Entry(t.key().line(), t.key(), t.text(), code, message, field, c.request.id(), c.attempts));
            textDone(t);
        }
    }

    private static boolean retryable(AugmentResult result, Throwable failure) {
        if (result != null) {
            return !result.isOk() && result.error().knownCode().map(ErrorCode::retryable).orElse(false);
        }
        return failure instanceof AugmentTimeoutException || failure instanceof RequestSendException
                || failure instanceof UnreadableReplyException;
    }

    /** Error codes of failures on the client's side (the worker's codes are passed through). */
    private static String codeOf(Throwable failure) {
        if (failure instanceof AugmentTimeoutException) return ErrorCode.DEADLINE_EXCEEDED.name();
        if (failure instanceof RequestSendException) return "SEND_FAILED";
        if (failure instanceof UnreadableReplyException) return "REPLY_UNREADABLE";
        if (failure instanceof ClientClosedException) return "CLIENT_CLOSED";
        if (failure instanceof InFlightLimitException) return "CLIENT_BUSY";
        if (failure instanceof AugmentClientException) return "CLIENT_ERROR";
        return "CLIENT_ERROR";
    }

    private void textDone(InputText t) {
        long line = t.key().line();
        int[] open = openLines.get(line);
        if (open != null && --open[0] == 0) {
            openLines.remove(line);
            lineDone(false);
        }
    }

    private void lineDone(boolean skipped) {
        linesDone++;
        if (skipped) linesSkipped++;
        progress.update(snapshot());
    }

    private ProgressListener.Snapshot snapshot() {
        return new ProgressListener.Snapshot(linesDone, linesTotal, linesSkipped, textsAnswered, errors.count(),
                System.nanoTime() - startNanos);
    }
}
