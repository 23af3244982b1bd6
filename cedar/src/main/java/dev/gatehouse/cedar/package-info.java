/** Cedar policy language: parsing, validation and authorization, in pure Java. */
package dev.gatehouse.cedar;
