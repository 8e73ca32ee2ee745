package dev.mt5augment.contracts.result;

import dev.mt5augment.contracts.request.RequestId;
import dev.mt5augment.contracts.request.RequestLimits;
import dev.mt5augment.contracts.task.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The answer to one request, keyed by its id on the reply topic. Create one with
 * {@link #ok(String, Task, List, String, String, Timings)} or
 * {@link #error(String, Task, ResultError, String, String, Timings)}.
 *
 * @param id             the request id
 * @param status         ok or error
 * @param task           the request's task; {@code null} on an error result when it could not be read
 * @param results        one entry per input text, in input order; empty on error
 * @param augmentedTexts every variant of every input, flattened in input order, as the original
 *                       HTTP API returned them; empty on error
 * @param error          why the request failed; {@code null} when ok
 * @param model          the model's name; {@code null} when unknown
 * @param worker         the worker's id; {@code null} when unknown
 * @param timings        where the time went
 * @param schemaVersion  always 1
 */
public record AugmentResult(
        String id,
        ResultStatus status,
        Task task,
        List<TextResult> results,
        List<String> augmentedTexts,
        ResultError error,
        String model,
        String worker,
        Timings timings,
        int schemaVersion) {

    public AugmentResult {
        if (!RequestId.isValid(id)) throw new IllegalArgumentException("a result needs a valid request id, got " + id);
        Objects.requireNonNull(status, "status");
        results = List.copyOf(Objects.requireNonNull(results, "results"));
        augmentedTexts = List.copyOf(Objects.requireNonNull(augmentedTexts, "augmentedTexts"));
        Objects.requireNonNull(timings, "timings");
        if (schemaVersion != RequestLimits.SCHEMA_VERSION) {
            throw new IllegalArgumentException("schema_version must be " + RequestLimits.SCHEMA_VERSION + ", got " + schemaVersion);
        }
        if (status == ResultStatus.OK) {
            Objects.requireNonNull(task, "task");
            if (error != null) throw new IllegalArgumentException("an ok result has no error");
            if (results.isEmpty()) throw new IllegalArgumentException("an ok result has one entry per input text");
            if (!augmentedTexts.equals(flatten(results))) {
                throw new IllegalArgumentException("augmented_texts must be the variants of results, flattened in order");
            }
        } else {
            Objects.requireNonNull(error, "error");
            if (!results.isEmpty() || !augmentedTexts.isEmpty()) {
                throw new IllegalArgumentException("an error result carries no results");
            }
        }
    }

    /** A served request; {@code augmented_texts} is derived from {@code results}. */
    public static AugmentResult ok(String id, Task task, List<TextResult> results, String model, String worker,
                                   Timings timings) {
        return new AugmentResult(id, ResultStatus.OK, task, results, flatten(results), null, model, worker, timings,
                RequestLimits.SCHEMA_VERSION);
    }

    /** A failed request. */
    public static AugmentResult error(String id, Task taskOrNull, ResultError error, String model, String worker,
                                      Timings timings) {
        return new AugmentResult(id, ResultStatus.ERROR, taskOrNull, List.of(), List.of(), error, model, worker, timings,
                RequestLimits.SCHEMA_VERSION);
    }

    public boolean isOk() {
        return status == ResultStatus.OK;
    }

    private static List<String> flatten(List<TextResult> results) {
        List<String> all = new ArrayList<>();
        for (TextResult r : Objects.requireNonNull(results, "results")) all.addAll(r.variants());
        return all;
    }
}
