package dev.distillery.autograd.io;

import static dev.distillery.autograd.io.SafetensorsBytes.file;
import static dev.distillery.autograd.io.SafetensorsBytes.le64;
import static dev.distillery.autograd.io.SafetensorsBytes.shorts;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.distillery.autograd.Backends;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded, seeded fuzz test: mutants of valid files (bit flips, byte overwrites with
 * structural characters, truncations, splices, numbers in the header replaced by extreme ones, a
 * rewritten length prefix) go through the reader and through the {@code Tensor} adapter. Each
 * must load or fail with a {@link SafetensorsException} (any other exception or error fails the
 * test, naming the seed and mutant so it can be replayed), within a time bound per file.
 */
class SafetensorsFuzzTest {
    /** Mutants per run; about 10 s on two busy cores. */
    private static final int MUTANTS = 3000;
    private static final long SEED = Long.getLong("distillery.fuzz.seed", 0x5afe7e45L);
    /** Far above the few milliseconds a mutant takes; catches quadratic or unbounded work. */
    private static final long MAX_MILLIS_PER_FILE = 2000;
    private static final byte[] STRUCTURE = "{}[]\",:-0123456789eE.\\ntu".getBytes(StandardCharsets.US_ASCII);
    private static final String[] EXTREME_NUMBERS = {"0", "-1", "64", "65", "2147483647", "2147483648", "4294967296",
        "9223372036854775807", "9223372036854775808", "18446744073709551615", "1e3", "0.5", "00"};

    @TempDir
    Path dir;

    @Test
    void mutantsLoadOrFailWithTheFormatsOwnExceptionQuickly() throws Exception {
        List<byte[]> seeds = validFiles();
        SplittableRandom rng = new SplittableRandom(SEED);
        Path path = dir.resolve("mutant.safetensors");
        int loaded = 0;
        try (Backends.Scope ignored = Backends.use(Backends.scalar())) {
            for (int i = 0; i < MUTANTS; i++) {
                byte[] mutant = mutate(seeds.get(rng.nextInt(seeds.size())), rng);
                Files.write(path, mutant);
                long t0 = System.nanoTime();
                boolean ok = survives("reader", i, () -> SafetensorsReader.read(mutant));
                survives("adapter", i, () -> TensorFiles.load(path));
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(millis < MAX_MILLIS_PER_FILE, "mutant " + i + " of seed " + SEED + " took " + millis + " ms");
                loaded += ok ? 1 : 0;
            }
        }
        // the mutations must reach the validation, not only be rejected at the length prefix
        assertTrue(loaded > 0 && loaded < MUTANTS, loaded + " of " + MUTANTS + " mutants loaded");
    }

    private interface Load {
        void run() throws Exception;
    }

    /** True when it loaded, false on a {@link SafetensorsException}; anything else fails the test. */
    private static boolean survives(String through, int mutant, Load load) {
        try {
            load.run();
            return true;
        } catch (SafetensorsException expected) {
            return false;
        } catch (Throwable t) {
            fail("mutant " + mutant + " of seed " + SEED + " (-Ddistillery.fuzz.seed=" + SEED + ") through the " + through
                    + " threw " + t, t);
            return false;
        }
    }

    private static List<byte[]> validFiles() {
        List<byte[]> out = new ArrayList<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("note", "seed file");
        out.add(SafetensorsWriter.toBytes(List.of(
                SafetensorsTensor.ofFloats("w", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                SafetensorsTensor.ofDoubles("b", new long[] {3}, new double[] {0.5, -1, 2}),
                SafetensorsTensor.ofFloats("scalar", new long[0], new float[] {7})), meta));
        out.add(SafetensorsWriter.toBytes(List.of(
                SafetensorsTensor.ofFloats("empty", new long[] {0, 4}, new float[0]),
                SafetensorsTensor.ofFloats("x", new long[] {1, 1, 1, 2}, new float[] {1, -1})), Map.of()));
        out.add(file("{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"g\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[4,8]}}", shorts(0x3c00, 0xc000, 0x3f80, 0x7f80)));
        return out;
    }

    private static byte[] mutate(byte[] seed, SplittableRandom rng) {
        byte[] b = seed.clone();
        int rounds = 1 + rng.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            b = switch (rng.nextInt(7)) {
                case 0 -> flipBits(b, rng);
                case 1 -> overwrite(b, rng);
                case 2 -> Arrays.copyOf(b, rng.nextInt(b.length + 1));
                case 3 -> splice(b, rng);
                case 4 -> replaceNumber(b, rng);
                case 5 -> prefix(b, rng);
                default -> Arrays.copyOf(b, b.length + 1 + rng.nextInt(16));
            };
        }
        return b;
    }

    private static byte[] flipBits(byte[] b, SplittableRandom rng) {
        for (int k = 1 + rng.nextInt(8); k > 0 && b.length > 0; k--) {
            b[rng.nextInt(b.length)] ^= (byte) (1 << rng.nextInt(8));
        }
        return b;
    }

    /** Structural characters land in the header, where they change the JSON rather than the data. */
    private static byte[] overwrite(byte[] b, SplittableRandom rng) {
        if (b.length > 8) {
            b[8 + rng.nextInt(b.length - 8)] = STRUCTURE[rng.nextInt(STRUCTURE.length)];
        }
        return b;
    }

    /** Moves a random range somewhere else (duplicating or dropping bytes). */
    private static byte[] splice(byte[] b, SplittableRandom rng) {
        if (b.length < 2) {
            return b;
        }
        int from = rng.nextInt(b.length);
        int len = rng.nextInt(Math.min(32, b.length - from) + 1);
        int at = rng.nextInt(b.length);
        byte[] out = new byte[b.length + len];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, from, out, at, len);
        System.arraycopy(b, at, out, at + len, b.length - at);
        return rng.nextBoolean() ? out : Arrays.copyOf(out, b.length);
    }

    /** Replaces one number of the header text by an extreme one, keeping the length prefix honest. */
    private static byte[] replaceNumber(byte[] b, SplittableRandom rng) {
        if (b.length < 8) {
            return b;
        }
        long n = java.nio.ByteBuffer.wrap(b, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > b.length - 8) {
            return b;
        }
        String header = new String(b, 8, (int) n, StandardCharsets.ISO_8859_1);
        List<int[]> numbers = new ArrayList<>();
        for (int i = 0; i < header.length(); i++) {
            if (Character.isDigit(header.charAt(i))) {
                int j = i;
                while (j < header.length() && Character.isDigit(header.charAt(j))) {
                    j++;
                }
                numbers.add(new int[] {i, j});
                i = j;
            }
        }
        if (numbers.isEmpty()) {
            return b;
        }
        int[] span = numbers.get(rng.nextInt(numbers.size()));
        String changed = header.substring(0, span[0]) + EXTREME_NUMBERS[rng.nextInt(EXTREME_NUMBERS.length)]
                + header.substring(span[1]);
        byte[] h = changed.getBytes(StandardCharsets.ISO_8859_1);
        return SafetensorsBytes.concat(le64(h.length), h, Arrays.copyOfRange(b, 8 + (int) n, b.length));
    }

    private static byte[] prefix(byte[] b, SplittableRandom rng) {
        if (b.length < 8) {
            return b;
        }
        long n = switch (rng.nextInt(3)) {
            case 0 -> rng.nextLong();
            case 1 -> b.length - 8 + rng.nextInt(-4, 5);
            default -> rng.nextInt(b.length);
        };
        System.arraycopy(le64(n), 0, b, 0, 8);
        return b;
    }
}
