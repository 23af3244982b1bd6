/**
 * JSON for Cedar: a small exact JSON reader and writer (64-bit integers are never routed through
 * {@code double}), Cedar's value and entities JSON formats, and the JSON policy format (EST).
 */
package dev.gatehouse.cedar.json;
