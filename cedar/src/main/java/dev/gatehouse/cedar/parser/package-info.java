/** The Cedar policy text parser: a hand-written lexer and a recursive-descent parser producing the AST. */
package dev.gatehouse.cedar.parser;
