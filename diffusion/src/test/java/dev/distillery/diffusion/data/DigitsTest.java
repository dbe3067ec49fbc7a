package dev.distillery.diffusion.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DigitsTest {

    @Test
    void loadsAll1797ImagesScaledToMinusOneOne() {
        Digits d = Digits.load();
        assertEquals(1797, d.size());
        float[][] images = d.images();
        boolean sawMinusOne = false;
        boolean sawOne = false;
        for (float[] img : images) {
            assertEquals(64, img.length);
            for (float v : img) {
                assertTrue(v >= -1f && v <= 1f, "pixel " + v);
                // x/8 - 1 with x an integer 0..16: multiples of 1/8
                assertEquals(v * 8, Math.rint(v * 8), 0.0);
                sawMinusOne |= v == -1f;
                sawOne |= v == 1f;
            }
        }
        assertTrue(sawMinusOne && sawOne, "both extreme grey levels occur");
        // first row of the file: 0,0,5,13,9,1,0,0,... label 0
        assertEquals(-1f, images[0][0], 0f);
        assertEquals(5 / 8f - 1f, images[0][2], 0f);
        assertEquals(13 / 8f - 1f, images[0][3], 0f);
        assertEquals(0, d.labels()[0]);
    }

    /** scikit-learn's digits have 174..183 images per class. */
    @Test
    void labelDistributionIsNearlyUniform() {
        int[] counts = new int[10];
        for (int label : Digits.load().labels()) {
            counts[label]++;
        }
        for (int c = 0; c < 10; c++) {
            assertTrue(counts[c] >= 170 && counts[c] <= 185, "class " + c + ": " + counts[c]);
        }
        assertEquals(1797, Arrays.stream(counts).sum());
    }

    @Test
    void splitIsFixedDisjointAndComplete() {
        Digits d = Digits.load();
        int[] train = d.splitIndices(true);
        int[] test = d.splitIndices(false);
        assertEquals(1437, train.length);
        assertEquals(360, test.length);
        Set<Integer> seen = new HashSet<>();
        for (int i : train) {
            seen.add(i);
        }
        for (int i : test) {
            assertTrue(seen.add(i), "index " + i + " is in both splits");
        }
        assertEquals(1797, seen.size());
        assertEquals(Arrays.toString(test), Arrays.toString(Digits.load().splitIndices(false)), "deterministic");
        // Pinned: java.util.Random's algorithm is specified by the JDK, so this never changes.
        assertEquals("[2, 11, 18, 21, 24, 31]", Arrays.toString(Arrays.copyOf(test, 6)), "the published split");
        assertEquals(1437, d.train().size());
        assertEquals(360, d.test().size());
        assertEquals(d.labels()[test[0]], d.test().labels()[0]);
        int[] testClasses = new int[10];
        for (int label : d.test().labels()) {
            testClasses[label]++;
        }
        for (int c = 0; c < 10; c++) {
            assertTrue(testClasses[c] >= 20, "every class is in the test split: class " + c + " has " + testClasses[c]);
        }
    }

    @Test
    void malformedRowsNameTheLineAndTheExpectation() {
        String ok = "0,".repeat(64) + "3";
        String shortRow = "0,".repeat(63) + "3";
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Digits.parse(
                new ByteArrayInputStream((ok + "\n" + shortRow + "\n").getBytes(StandardCharsets.US_ASCII)), "test.csv"));
        assertTrue(e.getMessage().contains("test.csv line 2") && e.getMessage().contains("expected 65")
                && e.getMessage().contains("found 64 fields"), e.getMessage());
        String badPixel = "0,".repeat(10) + "17," + "0,".repeat(53) + "3";
        e = assertThrows(IllegalStateException.class, () -> Digits.parse(
                new ByteArrayInputStream(badPixel.getBytes(StandardCharsets.US_ASCII)), "test.csv"));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("pixel 10 = 17"), e.getMessage());
        String badLabel = "0,".repeat(64) + "x";
        e = assertThrows(IllegalStateException.class, () -> Digits.parse(
                new ByteArrayInputStream(badLabel.getBytes(StandardCharsets.US_ASCII)), "test.csv"));
        assertTrue(e.getMessage().contains("label") && e.getMessage().contains("'x'"), e.getMessage());
    }
}
