/** JMH benchmarks for Gatehouse; see docs/benchmarks.md for how to run them. */
package dev.gatehouse.bench;
