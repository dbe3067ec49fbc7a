package dev.distillery.autograd.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Philox#block} against the published known-answer vectors of Random123 (D. E. Shaw
 * Research), file {@code tests/kat_vectors} of https://github.com/DEShawResearch/random123, the
 * three {@code philox4x32 10} lines. Columns there are: name, rounds, counter {@code c0..c3},
 * key {@code k0 k1}, expected output {@code w0..w3}, all 32-bit hex words:
 * <pre>
 * philox4x32 10 00000000 00000000 00000000 00000000 00000000 00000000   6627e8d5 e169c58d bc57ac4c 9b00dbd8
 * philox4x32 10 ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff   408f276d 41c83b0e a20bc7c6 6d5451fd
 * philox4x32 10 243f6a88 85a308d3 13198a2e 03707344 a4093822 299f31d0   d16cfe09 94fdcceb 5001e420 24126ea1
 * </pre>
 * The same three lines are used verbatim by TensorFlow's stateful random tests (citing
 * Random123-Boost {@code test_philox.cpp}) and by several independent ports, which agree.
 */
class PhiloxKnownAnswerTest {

    @ParameterizedTest(name = "ctr {0} {1} {2} {3} key {4} {5}")
    @CsvSource({
        "00000000,00000000,00000000,00000000,00000000,00000000,6627e8d5,e169c58d,bc57ac4c,9b00dbd8",
        "ffffffff,ffffffff,ffffffff,ffffffff,ffffffff,ffffffff,408f276d,41c83b0e,a20bc7c6,6d5451fd",
        "243f6a88,85a308d3,13198a2e,03707344,a4093822,299f31d0,d16cfe09,94fdcceb,5001e420,24126ea1",
    })
    void blockMatchesRandom123KnownAnswers(String c0, String c1, String c2, String c3, String k0, String k1,
            String w0, String w1, String w2, String w3) {
        int[] out = new int[4];
        Philox.block(hex(c0), hex(c1), hex(c2), hex(c3), hex(k0), hex(k1), out);
        assertArrayEquals(new int[] {hex(w0), hex(w1), hex(w2), hex(w3)}, out,
                () -> String.format("got %08x %08x %08x %08x", out[0], out[1], out[2], out[3]));
    }

    private static int hex(String word) {
        return Integer.parseUnsignedInt(word, 16);
    }
}
