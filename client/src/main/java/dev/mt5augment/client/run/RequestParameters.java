package dev.mt5augment.client.run;

import dev.mt5augment.contracts.error.ContractError;
import dev.mt5augment.contracts.error.InvalidRequestException;
import dev.mt5augment.contracts.request.AugmentRequest;

import java.util.List;

/**
 * The request fields a run sets from its flags, each {@code null} for the contract's default, and
 * how a run builds its requests from them. The contract's builder does every check, so the CLI
 * and the workers agree on what is valid.
 */
record RequestParameters(String task, List<String> labels, String decoding, Long numReturnSequences, Long numBeams,
                         Double temperature, Double topP, Long topK, Long maxLength, Long minLength,
                         Double repetitionPenalty, Long noRepeatNgramSize, boolean dedupe, Long seed, Long deadlineMs) {

    /** A request carrying these parameters. */
    AugmentRequest build(String id, List<String> texts) {
        AugmentRequest.Builder b = AugmentRequest.builder().id(id).texts(texts).dedupe(dedupe);
        if (task != null) b.task(task);
        if (labels != null) b.labels(labels);
        if (decoding != null) b.decoding(decoding);
        if (numReturnSequences != null) b.numReturnSequences(numReturnSequences);
        if (numBeams != null) b.numBeams(numBeams);
        if (temperature != null) b.temperature(temperature);
        if (topP != null) b.topP(topP);
        if (topK != null) b.topK(topK);
        if (maxLength != null) b.maxLength(maxLength);
        if (minLength != null) b.minLength(minLength);
        if (repetitionPenalty != null) b.repetitionPenalty(repetitionPenalty);
        if (noRepeatNgramSize != null) b.noRepeatNgramSize(noRepeatNgramSize);
        if (seed != null) b.seed(seed);
        if (deadlineMs != null) b.deadlineMs(deadlineMs);
        return b.build();
    }

    /** Why the parameters themselves are invalid (checked once, with a harmless text), or {@code null}. */
    ContractError checkParameters() {
        return check("x");
    }

    /** Why one text cannot be sent with these parameters (empty, too long...), or {@code null}. */
    ContractError check(String text) {
        try {
            build("check", List.of(text));
            return null;
        } catch (InvalidRequestException e) {
            return e.error();
        }
    }

    RequestParameters withDeadlineMs(Long v) {
        return new RequestParameters(task, labels, decoding, numReturnSequences, numBeams, temperature, topP, topK,
                maxLength, minLength, repetitionPenalty, noRepeatNgramSize, dedupe, seed, v);
    }
}
