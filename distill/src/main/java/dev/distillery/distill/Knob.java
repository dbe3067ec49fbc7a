package dev.distillery.distill;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One setting of a registered method that a user may change from its recipe (a "knob"): the
 * target EMA of consistency distillation, the guidance weight of guided distillation, the
 * fake-score updates of DMD2. A method lists its knobs in {@link DistillMethod#knobs()}; the values a
 * run gives them are a {@link MethodSettings}, checked against the knobs before anything is built.
 *
 * @param key          the name users write ({@code mu}, {@code sigma-max}): lower case letters,
 *                     digits and inner dashes
 * @param description  one line: what it is, and whatever sizes it to the run
 * @param integer      whether the value is an integer
 * @param defaultValue the recipe's value in canonical form ({@link #format}), at the method's recipe
 *                     budget and batch 128 where the recipe sizes it to the run
 * @param domain       the values it takes
 */
public record Knob(String key, String description, boolean integer, String defaultValue, Domain domain) {
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    /** A plain decimal number: no NaN, infinities, hexadecimal or type suffixes. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    public Knob {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(domain, "domain");
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a knob's key is lower case letters, digits and inner dashes, got '" + key + "'");
        }
    }

    /**
     * The value {@code text} gives this knob of {@code method}, or an {@link IllegalArgumentException}
     * that names the method, the key, what it takes, and the method's keys {@code all}.
     */
    public double parse(String method, String text, List<Knob> all) {
        String t = text == null ? "" : text.strip();
        double v = NUMBER.matcher(t).matches() ? Double.parseDouble(t) : Double.NaN;
        if (!Double.isFinite(v) || (integer && (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE)) || !domain.contains(v)) {
            throw new IllegalArgumentException(method + " setting " + key + "=" + text + " is not "
                    + (domain.powerOfTwo() ? "" : integer ? "an integer " : "a number ") + domain + "; " + keys(method, all));
        }
        return v;
    }

    /** {@code v} as this knob's canonical text: {@code 18}, {@code 0.95}, {@code 0.0005} (no exponent, no trailing zeros). */
    public static String format(double v) {
        String s = BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    /** "cd's settings: mu, n, ..." (or that it has none), for error messages. */
    static String keys(String method, List<Knob> all) {
        return all.isEmpty() ? method + " has no settings"
                : method + "'s settings: " + String.join(", ", all.stream().map(Knob::key).toList());
    }

    /** One line for help and reports: {@code mu (target EMA decay; default 0.95, in [0, 1))}. */
    @Override
    public String toString() {
        return key + " (" + description + "; default " + defaultValue + ", " + domain + ")";
    }

    /**
     * The values a knob takes: an interval, optionally of powers of two only.
     *
     * @param low        lower end ({@code -Infinity}: none)
     * @param lowOpen    whether {@code low} itself is excluded
     * @param high       upper end ({@code +Infinity}: none)
     * @param highOpen   whether {@code high} itself is excluded
     * @param powerOfTwo whether only powers of two are allowed
     */
    public record Domain(double low, boolean lowOpen, double high, boolean highOpen, boolean powerOfTwo) {
        /** {@code v >= low}. */
        public static Domain atLeast(double low) {
            return new Domain(low, false, Double.POSITIVE_INFINITY, true, false);
        }

        /** {@code v > low}. */
        public static Domain above(double low) {
            return new Domain(low, true, Double.POSITIVE_INFINITY, true, false);
        }

        /** {@code [low, high]}. */
        public static Domain closed(double low, double high) {
            return new Domain(low, false, high, false, false);
        }

        /** {@code [0, 1)}: an EMA decay. */
        public static Domain decay() {
            return new Domain(0, false, 1, true, false);
        }

        /** {@code [0, 1]}: a share of the run. */
        public static Domain share() {
            return closed(0, 1);
        }

        /** {@code (0, 1]}: a diffusion time after its start, e.g. a generator's start time. */
        public static Domain time() {
            return new Domain(0, true, 1, false, false);
        }

        /** 1, 2, 4, 8, ... */
        public static Domain powersOfTwo() {
            return new Domain(1, false, Double.POSITIVE_INFINITY, true, true);
        }

        public boolean contains(double v) {
            boolean aboveLow = lowOpen ? v > low : v >= low;
            boolean belowHigh = highOpen ? v < high : v <= high;
            return aboveLow && belowHigh && (!powerOfTwo || (v == Math.rint(v) && v >= 1 && Long.bitCount((long) v) == 1));
        }

        @Override
        public String toString() {
            if (powerOfTwo) {
                return "a power of two (1, 2, 4, ...)";
            }
            boolean noHigh = high == Double.POSITIVE_INFINITY;
            boolean noLow = low == Double.NEGATIVE_INFINITY;
            if (noHigh && noLow) {
                return "(any)";
            }
            if (noHigh) {
                return (lowOpen ? "> " : ">= ") + format(low);
            }
            if (noLow) {
                return (highOpen ? "< " : "<= ") + format(high);
            }
            return String.format(Locale.ROOT, "in %s%s, %s%s", lowOpen ? "(" : "[", format(low), format(high), highOpen ? ")" : "]");
        }
    }
}
