package dev.distillery.autograd;

/**
 * The primitive operations: the only ops with a backward rule of their own. Every other op is
 * a composition of these and differentiates for free. The registry test checks that each
 * constant is exercised by a first- and second-order gradcheck.
 */
public enum Primitive {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM,
    NEG, EXP, LOG, SQRT, RSQRT, ABS, SIN, COS, TANH, SIGMOID, RELU, LEAKY_RELU, SOFTPLUS, ERF,
    POW_SCALAR, SCALE, SHIFT, SILU, SILU_GRAD,
    WHERE,
    SUM, MAX,
    RESHAPE, PERMUTE, EXPAND, SLICE, EMBED, CONCAT, INDEX_SELECT, INDEX_ADD, GATHER_PLANES, SCATTER_ADD_PLANES,
    MATMUL, UNFOLD, FOLD, CONV2D, CONV2D_WEIGHT_GRAD,
    GROUP_NORM,
    CAST
}
