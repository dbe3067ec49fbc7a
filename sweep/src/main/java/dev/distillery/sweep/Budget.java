package dev.distillery.sweep;

import dev.distillery.cli.GridCell;

import java.util.Locale;

/**
 * A training budget of the grid: a step count ({@code "300"}) for every method, or a share of each
 * method's recipe budget ({@code "0.25x"}; {@code "1x"} is the budget at which the method converges
 * on 25-Gaussians), so that one grid can compare methods whose recipes differ tenfold.
 *
 * @param token as written on the command line (it names the budget in results and reports)
 */
public record Budget(String token) {
    public Budget {
        token = token.trim().toLowerCase(Locale.ROOT);
        double v = value(token);
        if (!(v > 0) || (!token.endsWith("x") && v != Math.rint(v))) {
            throw new IllegalArgumentException("budget '" + token + "' must be a positive step count (300) or a positive "
                    + "share of each method's recipe budget (0.25x)");
        }
    }

    /** Whether the budget scales each method's recipe. */
    public boolean relative() {
        return token.endsWith("x");
    }

    /** The training steps of {@code method} under this budget (at least 1). */
    public int steps(String method) {
        double v = value(token);
        return relative() ? Math.max(1, (int) Math.round(GridCell.recipeSteps(method) * v)) : (int) v;
    }

    /** Where the budget sits on the report's x axis: its share of the recipe, or its steps. */
    public double axisValue() {
        return value(token);
    }

    private static double value(String token) {
        String number = token.endsWith("x") ? token.substring(0, token.length() - 1) : token;
        try {
            return Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("budget '" + token + "' is not a number; write 300 (steps) or 0.25x "
                    + "(a share of each method's recipe budget)");
        }
    }
}
