/** The Cedar pretty printer: policy text whose parse gives back the same AST. */
package dev.gatehouse.cedar.format;
