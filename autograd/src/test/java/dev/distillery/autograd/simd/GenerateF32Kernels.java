package dev.distillery.autograd.simd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates the F32 kernels ({@code SimdKernelsF32.java}, {@code SimdConvF32.java}) from the
 * hand-written F64 ones ({@link #SOURCES}), so the two precisions are one source (as EJML does). The substitution is textual and deliberately
 * small:
 * <ol>
 *   <li>lines marked {@code PRECISION} are replaced whole from {@link #PRECISION_LINES} (each must
 *       occur exactly once, so a change to the F64 constant fails loudly here);</li>
 *   <li>outside string literals, whole words are renamed ({@code DoubleVector -> FloatVector},
 *       {@code double -> float} unless followed by the marker comment {@code keep}, ...);</li>
 *   <li>in code (not comments or strings), floating literals get an {@code f} suffix.</li>
 * </ol>
 * Run from the repository root (or the autograd module) to rewrite the committed file:
 * {@code java --add-modules=jdk.incubator.vector -cp autograd/target/test-classes:autograd/target/classes
 * dev.distillery.autograd.simd.GenerateF32Kernels}. {@code GeneratedKernelsUpToDateTest} fails when
 * the committed file is stale.
 */
public final class GenerateF32Kernels {
    static final String PACKAGE_DIR = "src/main/java/dev/distillery/autograd/simd/";
    static final String COMMAND = "java --add-modules=jdk.incubator.vector "
            + "-cp autograd/target/test-classes:autograd/target/classes "
            + "dev.distillery.autograd.simd.GenerateF32Kernels";

    /** The hand-written F64 sources, each generating the class with F32 in place of F64. */
    static final java.util.List<String> SOURCES = java.util.List.of(
            "SimdKernelsF64", "SimdConvF64", "SimdGroupNormF64", "SimdAdamF64");

    /** F64 line -> F32 line, for constants that depend on the format (in SimdKernelsF64). */
    static final Map<String, String> PRECISION_LINES = new LinkedHashMap<>();

    static {
        PRECISION_LINES.put(
                "    private static final double EXP_SHIFTER = 0x1.8p52; // PRECISION: 1.5 * 2^(mantissa bits)",
                "    private static final float EXP_SHIFTER = 0x1.8p23f; // PRECISION: 1.5 * 2^(mantissa bits)");
        PRECISION_LINES.put(
                "    private static final int MANTISSA_BITS = 52; // PRECISION",
                "    private static final int MANTISSA_BITS = 23; // PRECISION");
        PRECISION_LINES.put(
                "    private static final int EXPONENT_BIAS = 1023; // PRECISION",
                "    private static final int EXPONENT_BIAS = 127; // PRECISION");
        PRECISION_LINES.put(
                "    private static final long EXP_SHIFTER_BITS = Double.doubleToRawLongBits(EXP_SHIFTER); // PRECISION",
                "    private static final int EXP_SHIFTER_BITS = Float.floatToRawIntBits(EXP_SHIFTER); // PRECISION");
    }

    /** Whole-word renames, applied in order outside string literals. */
    private static final String[][] WORDS = {
        {"SimdKernelsF64", "SimdKernelsF32"},
        {"SimdConvF64", "SimdConvF32"},
        {"SimdGroupNormF64", "SimdGroupNormF32"},
        {"SimdAdamF64", "SimdAdamF32"},
        {"DoubleVector", "FloatVector"},
        {"LongVector", "IntVector"},
        {"reinterpretAsLongs", "reinterpretAsInts"},
        {"reinterpretAsDoubles", "reinterpretAsFloats"},
        {"doubleValue", "floatValue"},
        {"Double", "Float"},
        {"F64", "F32"},
        {"f64", "f32"},
    };
    private static final String KEEP = "double/*keep*/";
    private static final String KEEP_TOKEN = "KEEP_AT_FULL_WIDTH_double";
    private static final Pattern DOUBLE_WORD = Pattern.compile("\\bdouble\\b");
    private static final Pattern FLOAT_LITERAL = Pattern.compile(
            "(?<![\\w.])(0[xX][0-9a-fA-F]*\\.?[0-9a-fA-F]*[pP][+-]?\\d+|\\d+\\.\\d+(?:[eE][+-]?\\d+)?|\\d+[eE][+-]?\\d+)(?![\\w.])");

    private GenerateF32Kernels() {
    }

    /** The F32 counterpart's file name of an F64 source name. */
    static String target(String source) {
        return source.replace("F64", "F32") + ".java";
    }

    /** The F32 source for the F64 source of class {@code name}. */
    public static String generate(String name, String f64) {
        String src = f64.replace("\r\n", "\n").replace(KEEP, KEEP_TOKEN);
        boolean kernels = name.equals("SimdKernelsF64");
        for (Map.Entry<String, String> e : kernels ? PRECISION_LINES.entrySet() : Map.<String, String>of().entrySet()) {
            int first = src.indexOf(e.getKey() + "\n");
            if (first < 0 || src.indexOf(e.getKey() + "\n", first + 1) >= 0) {
                throw new IllegalStateException("PRECISION line must occur exactly once in " + name + ".java: "
                        + e.getKey().strip() + " (update GenerateF32Kernels.PRECISION_LINES)");
            }
            src = src.replace(e.getKey() + "\n", e.getValue() + "\n");
        }
        StringBuilder out = new StringBuilder();
        out.append("// GENERATED from ").append(name).append(".java by GenerateF32Kernels — do not edit.\n");
        out.append("// Regenerate: ").append(COMMAND).append('\n');
        boolean inBlockComment = false;
        for (String line : src.split("\n", -1)) {
            StringBuilder sb = new StringBuilder();
            int i = 0;
            while (i < line.length()) {
                if (inBlockComment) {
                    int end = line.indexOf("*/", i);
                    int stop = end < 0 ? line.length() : end + 2;
                    sb.append(words(line.substring(i, stop)));
                    inBlockComment = end < 0;
                    i = stop;
                    continue;
                }
                int q = line.indexOf('"', i);
                int bc = line.indexOf("/*", i);
                int lc = line.indexOf("//", i);
                int next = min(q, bc, lc);
                if (next < 0) {
                    sb.append(code(line.substring(i)));
                    break;
                }
                sb.append(code(line.substring(i, next)));
                if (next == q) {
                    int end = q + 1;
                    while (end < line.length() && line.charAt(end) != '"') {
                        end += line.charAt(end) == '\\' ? 2 : 1;
                    }
                    sb.append(line, q, Math.min(line.length(), end + 1));
                    i = end + 1;
                } else if (next == lc) {
                    sb.append(words(line.substring(lc)));
                    break;
                } else {
                    inBlockComment = true;
                    sb.append("/*");
                    i = bc + 2;
                }
            }
            out.append(sb).append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString().replace(KEEP_TOKEN, KEEP);
    }

    private static int min(int... xs) {
        int m = -1;
        for (int x : xs) {
            if (x >= 0 && (m < 0 || x < m)) {
                m = x;
            }
        }
        return m;
    }

    private static String words(String s) {
        for (String[] w : WORDS) {
            s = s.replaceAll("\\b" + w[0] + "\\b", w[1]);
        }
        return DOUBLE_WORD.matcher(s).replaceAll("float");
    }

    private static String code(String s) {
        s = words(s);
        Matcher m = FLOAT_LITERAL.matcher(s);
        return m.replaceAll("$1f");
    }

    /** The module directory: the working directory, or autograd/ under it. */
    static Path moduleDir() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve(PACKAGE_DIR)) ? here : here.resolve("autograd");
    }

    public static void main(String[] args) throws IOException {
        Path dir = moduleDir().resolve(PACKAGE_DIR);
        for (String source : SOURCES) {
            String f64 = Files.readString(dir.resolve(source + ".java"), StandardCharsets.UTF_8);
            Path target = dir.resolve(target(source));
            Files.writeString(target, generate(source, f64), StandardCharsets.UTF_8);
            System.out.println("wrote " + target);
        }
    }
}
