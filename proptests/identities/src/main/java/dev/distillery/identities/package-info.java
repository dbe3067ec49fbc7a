/**
 * The identity catalogue (I1-I19 of MATH.md) as one list, shared by the property suites of this
 * module and the {@code distillery audit} command. May use every layer (docs/ARCHITECTURE.md).
 */
package dev.distillery.identities;
