package dev.distillery.autograd.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.distillery.autograd.backend.RandomKind;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key derivation: pinned values, the documented definitions, and collision freedom. */
class RngKeyTest {

    /** Pinned once from this implementation; a change here breaks every saved seed. */
    @Test
    void splitAndFoldOfSeed42ArePinned() {
        RngKey[] children = RngKey.of(42).split();
        assertEquals(0x9fa2fbe845e84dd0L, children[0].value());
        assertEquals(0xe59a15d7949126c2L, children[1].value());
        assertEquals(0x8d93237a41410907L, RngKey.of(42).fold(7).value());
    }

    @Test
    void splitChildIsTheDocumentedPhiloxBlock() {
        RngKey parent = RngKey.of(0x0123456789abcdefL);
        int[] w = new int[4];
        RngKey[] children = parent.split(5);
        for (int i = 0; i < children.length; i++) {
            Philox.block(i, 0, 0, RngKey.TAG_SPLIT, 0x89abcdef, 0x01234567, w);
            assertEquals(((long) w[1] << 32) | (w[0] & 0xFFFFFFFFL), children[i].value(), "child " + i);
        }
        Philox.block(0x9abcdef0, 0x12345678, 0, RngKey.TAG_FOLD, 0x89abcdef, 0x01234567, w);
        assertEquals(((long) w[1] << 32) | (w[0] & 0xFFFFFFFFL), parent.fold(0x123456789abcdef0L).value());
    }

    @Test
    void splitIsDeterministicAndPrefixStable() {
        RngKey key = RngKey.of(7);
        assertArrayEquals(key.split(4), key.split(4));
        RngKey[] two = key.split();
        RngKey[] eight = key.split(8);
        assertEquals(two[0], eight[0]);
        assertEquals(two[1], eight[1]);
        assertEquals(0, key.split(0).length);
        assertThrows(IllegalArgumentException.class, () -> key.split(-1));
    }

    @Test
    void derivedKeysDifferFromEachOtherAndFromTheParent() {
        RngKey key = RngKey.of(0);
        Set<Long> seen = new HashSet<>();
        seen.add(key.value());
        for (RngKey child : key.split(10_000)) {
            assertEquals(true, seen.add(child.value()), "split collision " + child);
        }
        for (long d = 0; d < 10_000; d++) {
            assertEquals(true, seen.add(key.fold(d).value()), "fold collision at " + d);
        }
        Rng rng = new Rng(key);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(true, seen.add(rng.nextKey().value()), "nextKey collision at " + i);
        }
    }

    @Test
    void neighbouringSeedsGiveUnrelatedChildren() {
        RngKey a = RngKey.of(1).split()[0];
        RngKey b = RngKey.of(2).split()[0];
        assertNotEquals(a, b);
        int flipped = Long.bitCount(a.value() ^ b.value());
        assertEquals(32, flipped, 16, "avalanche: about half the bits should differ, got " + flipped);
    }

    @Test
    void derivationDoesNotDependOnTheThread() throws Exception {
        RngKey root = RngKey.of(123);
        RngKey[] expected = root.split(64);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<RngKey>> futures = new ArrayList<>();
            for (int i = 63; i >= 0; i--) {
                final int index = i;
                futures.add(pool.submit(() -> root.split(index + 1)[index]));
            }
            for (int i = 0; i < 64; i++) {
                assertEquals(expected[63 - i], futures.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void keyStreamIsThePhiloxStreamOfTheSeed() {
        RngKey key = RngKey.of(99);
        for (long p = 0; p < 16; p++) {
            assertEquals(PhiloxStream.at(RandomKind.UNIFORM, 99, p), key.uniform(p));
            assertEquals(PhiloxStream.at(RandomKind.NORMAL, 99, p), key.normal(p));
        }
    }
}
