package dev.mt5augment.models.generation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BeamHypothesesTest {

    @Test
    void keepsTheBestNumBeamsScoredByLengthPenalisedSum() {
        BeamHypotheses h = new BeamHypotheses(2, 1.0, false);
        h.add(new int[] {0, 5}, -1.0, true);        // -0.5
        h.add(new int[] {0, 5, 6, 7}, -1.2, true);  // -0.3
        h.add(new int[] {0, 8}, -2.0, true);        // -1.0: worse than the worst kept, dropped
        h.add(new int[] {0, 9, 9}, -0.3, false);    // -0.1: evicts -0.5
        List<BeamHypotheses.Hypothesis> best = h.best(2);
        assertEquals(2, h.size());
        assertEquals(-0.1, best.get(0).score(), 1e-12);
        assertArrayEquals(new int[] {0, 9, 9}, best.get(0).tokens());
        assertFalse(best.get(0).finished());
        assertEquals(-0.3, best.get(1).score(), 1e-12);
    }

    @Test
    void lengthPenaltyAppliesToTheLengthWithStartToken() {
        BeamHypotheses h = new BeamHypotheses(1, 2.0, true);
        h.add(new int[] {0, 4, 4}, -9.0, true);
        assertEquals(-1.0, h.best(1).get(0).score(), 1e-12);
    }

    @Test
    void doneRules() {
        BeamHypotheses early = new BeamHypotheses(2, 1.0, true);
        early.add(new int[] {0, 1}, -1, true);
        assertFalse(early.isDone(-0.1, 3), "fewer than numBeams hypotheses");
        early.add(new int[] {0, 2}, -1, true);
        assertTrue(early.isDone(-0.1, 3), "early stopping: done once full");

        BeamHypotheses patient = new BeamHypotheses(2, 1.0, false);
        patient.add(new int[] {0, 1}, -1.0, true); // -0.5
        patient.add(new int[] {0, 2}, -2.0, true); // -1.0 (worst)
        assertFalse(patient.isDone(-2.0, 3), "a live beam could still reach -0.67 > -1.0");
        assertTrue(patient.isDone(-3.3, 3), "-1.1 cannot beat the worst kept");
    }
}
