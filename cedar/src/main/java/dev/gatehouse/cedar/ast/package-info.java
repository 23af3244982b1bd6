/**
 * The Cedar abstract syntax tree: immutable records and sealed interfaces for policies, scope
 * constraints, conditions and expressions, made to be pattern-matched by the evaluator, the
 * validator and the formatter.
 */
package dev.gatehouse.cedar.ast;
