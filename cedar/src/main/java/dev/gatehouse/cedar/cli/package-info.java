/** The command-line entry point of the Cedar module. */
package dev.gatehouse.cedar.cli;
