/**
 * A runner for the official Cedar conformance corpus (cedar-integration-tests format), shared by
 * the CLI and the JUnit conformance test.
 */
package dev.gatehouse.cedar.conformance;
