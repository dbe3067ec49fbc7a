package dev.distillery.cli.report;

/**
 * The few JSON pieces the reports need, written by hand: string escaping (RFC 8259 section 7) and
 * numbers in full precision. {@link Double#toString} round-trips every finite double and its
 * output ({@code 1.0E-5}) is a valid JSON number; NaN and the infinities have no JSON spelling and
 * are written as {@code null}.
 */
public final class Json {
    private Json() {
    }

    /** {@code s} as a quoted JSON string; {@code null} as the literal {@code null}. */
    public static String string(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    // control characters must be escaped; U+2028/2029 too, so the text is also valid JavaScript
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A finite double in full (round-trip) precision; NaN and +-Infinity as {@code null}. */
    public static String number(double v) {
        return Double.isFinite(v) ? exact(v) : "null";
    }

    /**
     * The shortest text {@link Double#toString} gives when it parses back to {@code v}, else 17
     * significant digits (always enough for a double). JDK 17's {@code toString} is not always the
     * shortest (JDK-4511638, fixed in 19); the check makes the round trip a guarantee, not a hope.
     */
    public static String exact(double v) {
        String s = Double.toString(v);
        if (Double.parseDouble(s) == v) {
            return s;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(17)).toString();
    }
}
