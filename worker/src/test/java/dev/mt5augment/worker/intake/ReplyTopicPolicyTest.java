package dev.mt5augment.worker.intake;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReplyTopicPolicyTest {
    private final ReplyTopicPolicy policy = new ReplyTopicPolicy(Pattern.compile("augment\\.results.*"));

    @Test
    void onlyLegalTopicsMatchingThePatternInFull() {
        assertTrue(policy.test("augment.results"));
        assertTrue(policy.test("augment.results.team_a-1"));
        assertFalse(policy.test("x.augment.results"), "the whole name must match");
        assertFalse(policy.test("augmentXresults"));
        assertFalse(policy.test("augment.results/../../etc"), "illegal characters");
        assertFalse(policy.test("augment.results." + "a".repeat(300)), "too long for Kafka");
        assertFalse(policy.test(""));
        assertFalse(policy.test(null));
        assertFalse(new ReplyTopicPolicy(Pattern.compile(".*")).test(".."));
    }
}
