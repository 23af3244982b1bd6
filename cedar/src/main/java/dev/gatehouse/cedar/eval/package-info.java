/** The Cedar evaluator: expression semantics, error behaviour and the extension functions. */
package dev.gatehouse.cedar.eval;
